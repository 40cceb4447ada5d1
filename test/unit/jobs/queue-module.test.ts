import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { QueueSnapshot } from '../../../src/shared/contract';
import { encodeThreeW } from '../../../src/main/printers/xyz/threew';
import type { CallContext } from '../../../src/main/rpc/registrar';
import { ScriptedDriver, scriptedProvider } from '../../support/scripted-driver';
import { createTestHub, tempDir, type TestHub } from '../../support/test-hub';

const local: CallContext = { transport: 'memory', clientId: 't' };

describe('print queue (hub with scripted printers)', () => {
  let t: TestHub | undefined;
  const drivers = new Map<string, ScriptedDriver>();
  afterEach(async () => {
    await t?.close();
    t = undefined;
    drivers.clear();
  });

  async function setup(names: string[], dataDir?: string) {
    t = await createTestHub({ providers: { xyz: scriptedProvider(drivers) }, ...(dataDir ? { dataDir } : {}) });
    for (const name of names)
      t.hub.connections.add({
        kind: 'xyz',
        name,
        address: `tcp://127.0.0.1:${9000 + names.indexOf(name)}`,
        options: {},
      });
    const call = async <T>(m: string, p: unknown): Promise<T> => {
      const r = await t!.hub.registrar.dispatch(m, p, local);
      if (!r.ok) throw new Error(`${m}: ${r.error.code} ${r.error.message}`);
      return r.value as T;
    };
    const snapshot = () => call<QueueSnapshot>('queue.list', {});
    return { call, snapshot };
  }

  function gcodeFile(name: string, body = 'G28\nG1 X10 Y10 Z5\n'): string {
    const file = path.join(tempDir(), name);
    writeFileSync(file, body);
    return file;
  }

  it('starts jobs for "any nano" on free printers, and the third after a bed is cleared', async () => {
    const { call, snapshot } = await setup(['Nano A', 'Nano B']);
    for (const n of ['one', 'two', 'three'])
      await call('queue.add', { file: { kind: 'path', path: gcodeFile(`${n}.gcode`) }, target: { kind: 'any' } });
    await vi.waitFor(async () => expect((await snapshot()).jobs.filter((j) => j.state === 'printing')).toHaveLength(2));
    const a = drivers.get('Nano A')!;
    expect(a.printed).toHaveLength(1);
    await vi.waitFor(async () =>
      expect((await snapshot()).jobs.find((j) => j.state === 'queued')?.waitReason).toMatch(
        /Nano A is (busy|printing)/,
      ),
    );
    expect((await snapshot()).jobs.find((j) => j.state === 'queued')?.fileName).toBe('three.gcode');

    a.setStatus({
      state: 'done',
      stateText: 'Done',
      job: { name: a.printed[0]!.request.name, progress: 1, elapsedSec: 60, remainingSec: 0, taskId: null },
    });
    await vi.waitFor(async () => expect((await snapshot()).jobs.filter((j) => j.state === 'done')).toHaveLength(1));
    a.setStatus({ state: 'idle', stateText: 'Idle', job: null });
    await vi.waitFor(async () =>
      expect((await snapshot()).jobs.find((j) => j.state === 'queued')?.waitReason).toMatch(
        /bed of Nano A has not been cleared/,
      ),
    );
    expect(a.printed).toHaveLength(1);

    await call('queue.bedCleared', { deviceId: a.deviceId });
    await vi.waitFor(() => expect(a.printed).toHaveLength(2));
    expect(a.printed[1]!.request.name).toBe('three.gcode');
  });

  it('puts a job whose start fails back in the queue with the reason', async () => {
    const { call, snapshot } = await setup(['Nano A']);
    const a = drivers.get('Nano A')!;
    a.failPrintWith = new Error('the printer refused the file');
    await call('queue.add', { file: { kind: 'path', path: gcodeFile('part.gcode') } });
    await vi.waitFor(async () => expect((await snapshot()).jobs[0]!.lastError).toMatch(/refused the file/));
    const job = (await snapshot()).jobs[0]!;
    expect(job.state).toBe('queued');
    expect(job.attempts).toBe(1);
    expect((await snapshot()).printers[0]!.bedClear).toBe(true);
  });

  it('never sends a .3w made for another model, and says why it waits', async () => {
    const { call, snapshot } = await setup(['Nano A']);
    const file = path.join(tempDir(), 'mini.3w');
    writeFileSync(file, encodeThreeW('; generated\nG28\nG1 X10 Y10\n', { model: 'dv1MX0A000' }));
    await call('queue.add', { file: { kind: 'path', path: file } });
    await vi.waitFor(async () =>
      expect((await snapshot()).jobs[0]!.waitReason).toMatch(/made for dv1MX0A000; Nano A takes dv1NX0A000/),
    );
    expect(drivers.get('Nano A')!.printed).toHaveLength(0);
  });

  it('refuses a G-code job too big for the build volume', async () => {
    const { call, snapshot } = await setup(['Nano A']);
    await call('queue.add', { file: { kind: 'path', path: gcodeFile('big.gcode', 'G1 X200 Y10 Z1\n') } });
    await vi.waitFor(async () =>
      expect((await snapshot()).jobs[0]!.waitReason).toMatch(/Too big for Nano A: X 200 mm > 120 mm/),
    );
  });

  it('holds, releases, reorders and removes; the queue survives a restart', async () => {
    const dataDir = tempDir();
    const { call, snapshot } = await setup([], dataDir);
    const ids: string[] = [];
    for (const n of ['a', 'b', 'c']) {
      const { jobs } = await call<{ jobs: { id: string }[] }>('queue.add', {
        file: { kind: 'path', path: gcodeFile(`${n}.gcode`) },
        held: n === 'b',
      });
      ids.push(jobs[0]!.id);
    }
    await call('queue.move', { id: ids[2], beforeId: ids[0] });
    expect((await snapshot()).jobs.map((j) => j.fileName)).toEqual(['c.gcode', 'a.gcode', 'b.gcode']);
    await call('queue.release', { id: ids[1] });
    await call('queue.remove', { id: ids[0] });
    await t!.close();
    t = undefined;
    const again = await setup([], dataDir);
    const jobs = (await again.snapshot()).jobs;
    expect(jobs.map((j) => [j.fileName, j.held])).toEqual([
      ['c.gcode', false],
      ['b.gcode', false],
    ]);
  });

  it('records prints in the history with who started them, and exports CSV', async () => {
    const { call } = await setup(['Nano A']);
    const a = drivers.get('Nano A')!;
    await call('printers.print', { deviceId: a.deviceId, file: { kind: 'path', path: gcodeFile('direct.gcode') } });
    await vi.waitFor(() => expect(a.printed).toHaveLength(1));
    a.setStatus({ state: 'error', stateText: 'Error', problem: { code: 'E1', message: 'Nozzle clogged' } });
    const range = { from: 0, to: Date.now() + 60_000 };
    await vi.waitFor(async () =>
      expect((await call<{ records: { outcome: string }[] }>('history.list', range)).records[0]?.outcome).toBe(
        'failed',
      ),
    );
    const { records } = await call<{ records: { origin: string; fileName: string; reason: string }[] }>(
      'history.list',
      range,
    );
    expect(records[0]).toMatchObject({ origin: 'desktop', fileName: 'direct.gcode', reason: 'Nozzle clogged' });
    const stats = await call<{ total: { prints: number; failed: number; successPct: number } }>('history.stats', {
      ...range,
      bucket: 'day',
    });
    expect(stats.total).toMatchObject({ prints: 1, failed: 1, successPct: 0 });
    const { csv } = await call<{ csv: string }>('history.exportCsv', range);
    const [header, row] = csv.split('\r\n');
    expect(header).toBe(
      'id,printer,device_id,family,file,origin,started_utc,ended_utc,duration_min,outcome,reason,filament_mm,queue_job,imported_from',
    );
    expect(row).toContain(',direct.gcode,desktop,');
    expect(row).toContain(',failed,Nozzle clogged,');
  });
});
