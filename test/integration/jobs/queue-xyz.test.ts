import { afterEach, describe, expect, it, vi } from 'vitest';
import { xyzSimulator } from '../../../sim/xyz/simulator';
import type { PrintRecord, QueueSnapshot } from '../../../src/shared/contract';
import { createTestHub, type TestHub } from '../../support/test-hub';
import { tempDir, writeGcode } from '../xyz/xyz-helpers';

const ctx = { transport: 'memory' as const, clientId: 't' };

describe('print queue → two da Vinci simulators over TCP', () => {
  let t: TestHub | null = null;
  afterEach(async () => {
    await t?.close();
    t = null;
  });

  it('dispatches to both, waits for a cleared bed, then starts the third there; the history has the prints', async () => {
    const sim = (id: string) => ({
      id,
      factory: xyzSimulator({
        transport: 'tcp',
        model: 'dv1NW0A000',
        timeScale: 600,
        fileCheckSec: 1,
        doneHoldSec: 6_000,
        connectionName: id,
      }),
    });
    t = await createTestHub({ demoPlan: () => [sim('Nano 1'), sim('Nano 2')] });
    await t.hub.startDemo();
    const hub = t.hub;
    const call = async <T>(m: string, p: unknown): Promise<T> => {
      const r = await hub.registrar.dispatch(m, p, ctx);
      if (!r.ok) throw new Error(`${m}: ${r.error.message}`);
      return r.value as T;
    };
    const queue = () => call<QueueSnapshot>('queue.list', {});
    await vi.waitFor(
      () => expect(hub.fleet.list().filter((d) => d.link === 'online' && d.state === 'idle')).toHaveLength(2),
      { timeout: 15_000 },
    );

    const dir = tempDir();
    for (const n of ['one', 'two', 'three'])
      await call('queue.add', { file: { kind: 'path', path: writeGcode(dir, `${n}.gcode`, 300, 600) } });
    await vi.waitFor(
      async () =>
        expect(
          (await queue()).jobs
            .filter((j) => j.state === 'printing')
            .map((j) => j.deviceName)
            .sort(),
        ).toEqual(['Nano 1', 'Nano 2']),
      { timeout: 30_000 },
    );

    // A print ends; its printer waits for the bed to be cleared before it takes the third job.
    const finished = await vi.waitFor(
      async () => {
        const done = (await queue()).jobs.find((j) => j.state === 'done');
        expect(done).toBeDefined();
        return done!;
      },
      { timeout: 60_000, interval: 200 },
    );
    const third = (await queue()).jobs.find((j) => j.fileName === 'three.gcode')!;
    expect(third.state).toBe('queued');
    await vi.waitFor(
      async () =>
        expect((await queue()).jobs.find((j) => j.id === third.id)?.waitReason).toMatch(
          /has not been cleared|busy|printing/,
        ),
      { timeout: 10_000 },
    );
    await vi.waitFor(() => expect(hub.fleet.list().find((d) => d.deviceId === finished.deviceId)?.state).toBe('idle'), {
      timeout: 30_000,
    });
    await call('queue.bedCleared', { deviceId: finished.deviceId });
    await vi.waitFor(
      async () =>
        expect((await queue()).jobs.find((j) => j.id === third.id)).toMatchObject({
          state: 'printing',
          deviceId: finished.deviceId,
        }),
      { timeout: 30_000 },
    );

    const { records } = await call<{ records: PrintRecord[] }>('history.list', { from: 0, to: Date.now() + 60_000 });
    expect(records.filter((r) => r.origin === 'queue').length).toBeGreaterThanOrEqual(3);
    expect(records.find((r) => r.fileName === finished.fileName && r.outcome === 'success')).toBeDefined();
  }, 120_000);
});
