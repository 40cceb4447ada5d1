import { afterEach, describe, expect, it, vi } from 'vitest';
import { defaultDemoFleet, defaultDemoQueue } from '../../../sim/demo/plan';
import type { SimulatorPlanEntry } from '../../../sim/demo/simulator';
import { moonrakerSimulator } from '../../../sim/moonraker/simulator';
import { octoprintSimulator } from '../../../sim/octoprint/simulator';
import type { QueueSnapshot } from '../../../src/shared/contract';
import { createTestHub, tempDir, type TestHub } from '../../support/test-hub';

const ctx = { transport: 'memory' as const, clientId: 't' };
const KEY = 'DEMO-QUEUE-TEST-KEY';

/** The demo's OctoPrint Prusa under the id the demo queue names, and a Klipper printer it must leave alone. */
function plan(): SimulatorPlanEntry[] {
  return [
    {
      id: 'octoprint-1',
      factory: octoprintSimulator({ name: 'Prusa', registerKey: KEY, apiKeys: [KEY], timeScale: 4 }),
    },
    { id: 'moonraker-1', factory: moonrakerSimulator({ name: 'Voron', timeScale: 4, startupMs: 100 }) },
  ];
}

describe('the demo queue (serve --demo)', () => {
  let t: TestHub | null = null;
  afterEach(async () => {
    await t?.close();
    t = null;
  });

  it('fills an empty queue once: one job prints on its demo printer, the others wait with their reasons', async () => {
    const dataDir = tempDir();
    const open = () => createTestHub({ dataDir, demo: defaultDemoFleet(dataDir, () => plan(), { queue: defaultDemoQueue }) });
    t = await open();
    await t.hub.startDemo();
    const hub = t.hub;
    const queue = async () => {
      const r = await hub.registrar.dispatch('queue.list', {}, ctx);
      if (!r.ok) throw new Error(r.error.message);
      return (r.value as QueueSnapshot).jobs;
    };
    const byName = async (name: string) => (await queue()).filter((j) => j.fileName === name);

    expect(await queue()).toHaveLength(5);
    await vi.waitFor(
      async () => expect((await byName('demo-cable-clip.gcode')).map((j) => j.state)).toContain('printing'),
      { timeout: 30_000 },
    );
    const prusa = hub.fleet.list().find((d) => d.name === 'Prusa')!;
    expect((await byName('demo-cable-clip.gcode')).find((j) => j.state === 'printing')?.deviceId).toBe(prusa.deviceId);
    await vi.waitFor(async () => {
      expect((await byName('demo-vase.gcode'))[0]?.waitReason).toMatch(/^Held/);
      expect((await byName('demo-night-batch.gcode'))[0]?.waitReason).toMatch(/night-shift/);
      expect((await byName('demo-mini-keychain.gcode'))[0]?.waitReason).toMatch(/No matching printer.*da Vinci/);
    });
    // The Klipper printer is not fed by the demo queue.
    expect((await queue()).some((j) => j.deviceName === 'Voron')).toBe(false);

    // Started again on the same data, the queue is not empty: nothing is added.
    await t.close();
    t = await open();
    await t.hub.startDemo();
    const r = await t.hub.registrar.dispatch('queue.list', {}, ctx);
    expect(r.ok && (r.value as QueueSnapshot).jobs).toHaveLength(5);
  }, 90_000);

  it('queues nothing for a lab at scale', () => {
    expect(defaultDemoQueue({ printers: 10 })).toEqual([]);
    expect(defaultDemoQueue({}).length).toBeGreaterThan(0);
  });
});
