import { afterEach, describe, expect, it, vi } from 'vitest';
import { xyzSimulator } from '../../../sim/xyz/simulator';
import type { DeviceStatus } from '../../../src/shared/domain/device';
import { isJobActive } from '../../../src/shared/domain/device-state';
import { createTestHub, type TestHub } from '../../support/test-hub';
import { tempDir, writeGcode } from './xyz-helpers';

const ctx = { transport: 'memory' as const, clientId: 't' };

/**
 * A simulated da Vinci drops off the network mid-print (the fault proxy cuts every connection and
 * restarts its listener, or swallows everything while the link stays open): the device keeps its
 * last job, marked stale, and when it answers again the notices say it is back and that the print
 * is still going.
 */
describe('a da Vinci dropping off the network mid-print', () => {
  let t: TestHub | null = null;
  afterEach(async () => {
    await t?.close();
    t = null;
  });

  it.each([
    ['a restart (connections cut, listener down)', [{ type: 'restart', downMs: 4_000 }]],
    ['a black hole (the link stays open and silent)', [{ type: 'blackhole', on: true }]],
  ] as const)('keeps the job stale while offline, then reports "back online" and the outcome: %s', { timeout: 120_000 }, async (_, faults) => {
    t = await createTestHub({
      demoPlan: () => [{ id: 'xyz-t', factory: xyzSimulator({ transport: 'tcp', model: 'dv1MW0A000', timeScale: 10, fileCheckSec: 1, connectionName: 'Dropping mini w' }) }],
    });
    await t.hub.startDemo();
    const hub = t.hub;
    const device = async (): Promise<DeviceStatus | undefined> => {
      const r = await hub.registrar.dispatch('devices.list', {}, ctx);
      return r.ok ? (r.value as DeviceStatus[]).find((d) => d.name === 'Dropping mini w') : undefined;
    };
    const notices = () => hub.notifications.list().map((n) => `${n.title} — ${n.body}`);
    const online = await vi.waitFor(async () => {
      const d = await device();
      expect(d?.link).toBe('online');
      return d!;
    }, { timeout: 20_000, interval: 100 });
    const file = writeGcode(tempDir(), 'long.gcode', 200, 36_000);
    expect(await hub.registrar.dispatch('printers.print', { deviceId: online.deviceId, file: { kind: 'path', path: file } }, ctx)).toMatchObject({ ok: true });
    await vi.waitFor(async () => expect(isJobActive((await device())?.state ?? 'unknown')).toBe(true), { timeout: 30_000, interval: 100 });

    // Off the network for a while.
    for (const fault of faults) expect(await hub.registrar.dispatch('demo.inject', { simulatorId: 'xyz-t', fault }, ctx)).toMatchObject({ ok: true });
    const stale = await vi.waitFor(async () => {
      const d = await device();
      expect(d?.link).not.toBe('online');
      return d!;
    }, { timeout: 60_000, interval: 50 });
    expect(stale.job?.name).toBe('long.gcode');
    expect(stale.lastSeenAt).toBeGreaterThan(0);
    await vi.waitFor(() => expect(notices().join('\n')).toContain('Dropping mini w went offline'), { timeout: 20_000 });
    expect(await hub.registrar.dispatch('demo.inject', { simulatorId: 'xyz-t', fault: { type: 'clear' } }, ctx)).toMatchObject({ ok: true });

    // Back: the printer's own word replaces the stale job, and the notice says what became of it.
    await vi.waitFor(() => expect(notices()[0]).toMatch(/Dropping mini w is back online — Still printing long\.gcode/), { timeout: 40_000, interval: 100 });
    const back = await device();
    expect(back?.link).toBe('online');
    expect(isJobActive(back?.state ?? 'unknown')).toBe(true);
    expect(back?.lastSeenAt).toBeUndefined();
  });
});
