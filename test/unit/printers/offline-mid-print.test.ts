import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DeviceStatus } from '../../../src/shared/contract';
import { NO_CAPABILITIES } from '../../../src/shared/domain/device';
import { createTestHub, type TestHub } from '../../support/test-hub';
import { ScriptedDriver, scriptedProvider } from '../../support/scripted-driver';

const printing = (progress: number): Partial<DeviceStatus> => ({
  link: 'online',
  state: 'printing',
  stateText: 'Printing',
  job: { name: 'benchy.gcode', progress, elapsedSec: 600, remainingSec: 600, taskId: null },
});
const offline: Partial<DeviceStatus> = { link: 'offline', state: 'offline', stateText: 'Offline', job: null, capabilities: NO_CAPABILITIES };

/** A printer that drops off mid-print keeps its last job (stale) and, on return, says it is back and how the job ended. */
describe('a printer going offline mid-print', () => {
  let t: TestHub;
  const drivers = new Map<string, ScriptedDriver>();
  afterEach(async () => {
    await t?.close();
    drivers.clear();
  });

  async function setup() {
    t = await createTestHub({ providers: { xyz: scriptedProvider(drivers) } });
    t.hub.connections.add({ kind: 'xyz', name: 'Nano', address: 'tcp://127.0.0.1:9', options: {} });
    const driver = drivers.get('Nano')!;
    const device = async () => {
      const r = await t.hub.registrar.dispatch('devices.list', {}, { transport: 'memory', clientId: 't' });
      if (!r.ok) throw new Error(r.error.message);
      return (r.value as DeviceStatus[]).find((d) => d.deviceId === driver.deviceId)!;
    };
    const notices = () => t.hub.notifications.list().map((n) => `${n.level}: ${n.title} — ${n.body}`);
    return { driver, device, notices };
  }

  it('keeps the last job, marked stale with when it was last seen, instead of "no print running"', async () => {
    const { driver, device } = await setup();
    driver.setStatus(printing(0.4));
    const seenAt = (await device()).updatedAt;
    driver.setStatus(offline);
    const shown = await device();
    expect(shown.link).toBe('offline');
    expect(shown.job).toMatchObject({ name: 'benchy.gcode', progress: 0.4 });
    expect(shown.lastSeenAt).toBe(seenAt);
    // Still stale while the link is being set up again.
    driver.setStatus({ link: 'connecting', state: 'unknown' });
    expect((await device()).job?.name).toBe('benchy.gcode');
    // Back online, the printer's own word replaces the stale job.
    driver.setStatus({ link: 'online', state: 'idle', stateText: 'Idle', job: null });
    const back = await device();
    expect(back.job).toBeNull();
    expect(back.lastSeenAt).toBeUndefined();
  });

  it('an idle printer that goes offline shows no job', async () => {
    const { driver, device } = await setup();
    driver.setStatus(offline);
    expect((await device()).job).toBeNull();
  });

  it.each([
    ['finished', { link: 'online', state: 'done', stateText: 'Done' }, /success: Nano is back online — benchy.gcode finished/],
    ['failed', { link: 'online', state: 'error', stateText: 'Error', problem: { code: 'x', message: 'Nozzle jammed' } }, /error: Nano is back online — benchy.gcode failed .*Nozzle jammed/],
    ['still printing', printing(0.7), /info: Nano is back online — Still printing benchy.gcode \(70%\)/],
    ['gone without finishing', { link: 'online', state: 'idle', stateText: 'Idle', job: null }, /warning: Nano is back online — benchy.gcode is no longer running/],
  ] as const)('on return reports "back online" and the outcome: %s', async (_, back, expected) => {
    const { driver, notices } = await setup();
    driver.setStatus(printing(0.4));
    driver.setStatus(offline);
    await vi.waitFor(() => expect(notices().join('\n')).toMatch(/Nano went offline/));
    driver.setStatus({ link: 'connecting', state: 'unknown' });
    driver.setStatus(back as Partial<DeviceStatus>);
    expect(notices()[0]).toMatch(expected);
    // Once settled, the next snapshot announces nothing more.
    const count = notices().length;
    driver.setStatus({ updatedAt: Date.now() });
    expect(notices()).toHaveLength(count);
  });
});

describe('a finished job', () => {
  let t: TestHub;
  const drivers = new Map<string, ScriptedDriver>();
  afterEach(async () => {
    await t?.close();
    drivers.clear();
  });

  it('keeps the time it took when the printer zeroes its counters at the end', async () => {
    t = await createTestHub({ providers: { xyz: scriptedProvider(drivers) } });
    t.hub.connections.add({ kind: 'xyz', name: 'Nano', address: 'tcp://127.0.0.1:9', options: {} });
    const driver = drivers.get('Nano')!;
    driver.setStatus(printing(0.98));
    driver.setStatus({ state: 'done', stateText: 'Done', job: { name: 'benchy.gcode', progress: 0, elapsedSec: 0, remainingSec: 0, taskId: null } });
    const r = await t.hub.registrar.dispatch('devices.list', {}, { transport: 'memory', clientId: 't' });
    expect(r.ok && (r.value as DeviceStatus[])[0]?.job).toMatchObject({ name: 'benchy.gcode', progress: 1, elapsedSec: 600 });
  });
});
