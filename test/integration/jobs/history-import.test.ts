import { afterEach, describe, expect, it, vi } from 'vitest';
import { moonrakerSimulator } from '../../../sim/moonraker/simulator';
import { octoprintSimulator } from '../../../sim/octoprint/simulator';
import type { PrintRecord } from '../../../src/shared/contract';
import { createTestHub, type TestHub } from '../../support/test-hub';
import { tempDir, writeGcode } from '../xyz/xyz-helpers';

const ctx = { transport: 'memory' as const, clientId: 't' };
const OCTO_KEY = 'IMPORT-TEST-OCTOPRINT-KEY';
const MOON_KEY = '0123456789abcdef0123456789abcdef';

function part(moves: number): string {
  const lines = ['; history import test part', 'G28'];
  for (let i = 0; i < moves; i++) lines.push(`G1 X${10 + (i % 9)} Y${10 + (i % 7)} E${(i * 0.02).toFixed(2)} F3000`);
  return lines.join('\n');
}

describe("the printers' own histories → Printdeck's history (simulators over real sockets)", () => {
  let t: TestHub | null = null;
  afterEach(async () => {
    await t?.close();
    t = null;
  });

  it('imports OctoPrint and Klipper histories once, and a print Printdeck started is one row', async () => {
    t = await createTestHub({
      demoPlan: () => [
        {
          id: 'octo',
          factory: octoprintSimulator({
            name: 'Octo',
            registerKey: OCTO_KEY,
            apiKeys: [OCTO_KEY],
            timeScale: 20,
            files: { 'a.gcode': part(20), 'parts/b.gcode': part(20) },
            pastPrints: true,
          }),
        },
        {
          id: 'moon',
          factory: moonrakerSimulator({
            name: 'Moon',
            registerKey: MOON_KEY,
            apiKeys: [MOON_KEY],
            timeScale: 20,
            startupMs: 100,
            bytesPerSecond: 200,
            pastJobs: 9,
          }),
        },
      ],
    });
    const hub = t.hub;
    await hub.startDemo();
    const call = async <T>(m: string, p: unknown): Promise<T> => {
      const r = await hub.registrar.dispatch(m, p, ctx);
      if (!r.ok) throw new Error(`${m}: ${r.error.message}`);
      return r.value as T;
    };
    const all = async () =>
      (await call<{ records: PrintRecord[] }>('history.list', { from: 0, to: Date.now() + 86_400_000, limit: 500 }))
        .records;
    const device = (family: string) => hub.fleet.list().find((d) => d.family === family);
    await vi.waitFor(
      () => {
        for (const f of ['octoprint', 'moonraker']) expect(device(f)).toMatchObject({ link: 'online', state: 'idle' });
      },
      { timeout: 20_000 },
    );

    await hub.importHistory();
    const first = await all();
    const from = (source: string) => first.filter((r) => r.importedFrom === source);
    // Every finished job Moonraker keeps (9 seeded), and the last print of each OctoPrint file.
    expect(from('moonraker')).toHaveLength(9);
    expect(
      from('octoprint')
        .map((r) => r.fileName)
        .sort(),
    ).toEqual(['a.gcode', 'b.gcode']);
    expect(new Set(from('moonraker').map((r) => r.outcome))).toEqual(new Set(['success', 'cancelled', 'failed']));
    // Nothing but the imports: connecting printers are not prints.
    expect(first.filter((r) => r.importedFrom === null)).toEqual([]);
    for (const r of first) expect(r.origin).toBe('printer');

    await hub.importHistory();
    expect((await all()).map((r) => r.id).sort()).toEqual(first.map((r) => r.id).sort());

    // Printdeck prints on both; each printer then has it in its own history too.
    const dir = tempDir();
    const file = writeGcode(dir, 'mine.gcode', 150, 60);
    for (const f of ['octoprint', 'moonraker'])
      await call('printers.print', { deviceId: device(f)!.deviceId, file: { kind: 'path', path: file } });
    await vi.waitFor(
      async () => {
        const mine = (await all()).filter((r) => r.fileName === 'mine.gcode');
        expect(mine.map((r) => [r.family, r.outcome, r.origin]).sort()).toEqual([
          ['moonraker', 'success', 'desktop'],
          ['octoprint', 'success', 'desktop'],
        ]);
      },
      { timeout: 45_000, interval: 200 },
    );

    await hub.importHistory();
    await hub.importHistory();
    const after = await all();
    expect(after).toHaveLength(first.length + 2);
    const mine = after.filter((r) => r.fileName === 'mine.gcode');
    expect(mine).toHaveLength(2);
    for (const r of mine) expect(r).toMatchObject({ origin: 'desktop', importedFrom: null });
    // The Klipper job's filament came with the merge.
    expect(mine.find((r) => r.family === 'moonraker')?.filamentMm).toBeGreaterThan(0);

    const stats = await call<{ total: { prints: number } }>('history.stats', {
      from: 0,
      to: Date.now() + 86_400_000,
      bucket: 'month',
    });
    expect(stats.total.prints).toBe(after.length);
  }, 120_000);
});
