import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { xyzSimulator } from '../../../sim/xyz/simulator';
import type { DeviceStatus } from '../../../src/shared/domain/device';
import { createTestHub, type TestHub } from '../../support/test-hub';
import { tempDir, writeGcode } from './xyz-helpers';

const ctx = { transport: 'memory' as const, clientId: 't' };

describe('da Vinci printers through the hub (provider, fleet, transfers)', () => {
  let t: TestHub | null = null;
  afterEach(async () => {
    await t?.close();
    t = null;
  });

  it('a demo da Vinci appears as a device and prints a file sent with printers.print', async () => {
    t = await createTestHub({
      demoPlan: () => [{ id: 'xyz-t', factory: xyzSimulator({ transport: 'tcp', model: 'dv1MW0A000', timeScale: 300, fileCheckSec: 10, connectionName: 'Hub mini w' }) }],
    });
    await t.hub.startDemo();
    const hub = t.hub;
    const devices = async (): Promise<DeviceStatus[]> => {
      const r = await hub.registrar.dispatch('devices.list', {}, ctx);
      return r.ok ? (r.value as DeviceStatus[]) : [];
    };
    const deadline = Date.now() + 10_000;
    let device: DeviceStatus | undefined;
    while (Date.now() < deadline) {
      device = (await devices()).find((d) => d.name === 'Hub mini w' && d.link === 'online');
      if (device) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(device).toMatchObject({ family: 'xyz', model: 'da Vinci mini w', state: 'idle' });
    expect(device?.deviceId).toMatch(/^xyz:/);
    const file = writeGcode(tempDir(), 'hub.gcode', 200);
    const started = await hub.registrar.dispatch('printers.print', { deviceId: device!.deviceId, file: { kind: 'path', path: file } }, ctx);
    expect(started.ok).toBe(true);
    let transfer: unknown = null;
    while (Date.now() < deadline + 10_000) {
      const list = await hub.registrar.dispatch('printers.transfers', {}, ctx);
      transfer = list.ok ? (list.value as { phase: string }[])[0] : null;
      if (transfer && ['done', 'failed'].includes((transfer as { phase: string }).phase)) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(transfer).toMatchObject({ phase: 'done', fileName: 'hub.gcode' });
    // A file that is not G-code or .3w is refused before anything is sent.
    const bad = path.join(tempDir(), 'notes.txt');
    writeFileSync(bad, 'hello');
    const refused = await hub.registrar.dispatch('printers.print', { deviceId: device!.deviceId, file: { kind: 'path', path: bad } }, ctx);
    expect(refused).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
  });
});
