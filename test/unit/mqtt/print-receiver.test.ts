import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PrintReceiver } from '../../../src/main/mqtt/print-receiver';
import type { DeviceStatus } from '../../../src/shared/contract';
import { NO_CAPABILITIES } from '../../../src/shared/domain/device';
import { deviceStatus } from '../../support/device-status';
import { silentLogger, tempDir } from '../../support/test-hub';

const FILE = Buffer.from('G28\nG1 X10 Y10\nG1 X20 Y20\n'.repeat(40));
const SHA = createHash('sha256').update(FILE).digest('hex');
const UPLOAD = 'a1b2c3d4-0000-4000-8000-000000000001';

function setup(status: Partial<DeviceStatus> = {}, idleMs?: number) {
  const dir = tempDir();
  const printed: { name: string; bytes: Buffer }[] = [];
  let current = deviceStatus('p1', { state: 'idle', stateText: 'Idle', job: null, capabilities: { ...NO_CAPABILITIES, print: true }, ...status });
  const receiver = new PrintReceiver(
    dir,
    {
      status: (id) => (id === 'p1' ? current : null),
      print: async (_id, file) => {
        printed.push({ name: file.name, bytes: readFileSync(file.path) });
        current = { ...current, state: 'printing' };
      },
    },
    silentLogger(),
    { maxBytes: 64 * 1024, ...(idleMs === undefined ? {} : { idleMs }) },
  );
  return { dir, receiver, printed, setStatus: (s: Partial<DeviceStatus>) => (current = { ...current, ...s }) };
}

const begin = (over: Record<string, unknown> = {}) => ({ op: 'begin' as const, id: 'b', upload: UPLOAD, name: 'part.gcode', size: FILE.length, sha256: SHA, ...over });
const chunk = (offset: number) => ({ op: 'chunk' as const, id: `c${offset}`, upload: UPLOAD, offset });
const commit = { op: 'commit' as const, id: 'm', upload: UPLOAD };

describe('receiving a print from another site', () => {
  let open: PrintReceiver[] = [];
  afterEach(async () => {
    for (const r of open) await r.dispose();
    open = [];
  });

  it('appends in order, acknowledges a repeated chunk without writing it twice, and prints once however often commit comes', async () => {
    const t = setup();
    open.push(t.receiver);
    expect(await t.receiver.handle('p1', begin())).toEqual({ error: null, received: 0 });
    const half = 500;
    expect(await t.receiver.chunk('p1', chunk(0), FILE.subarray(0, half))).toEqual({ error: null, received: half });
    // The same chunk again (its acknowledgement was lost): nothing written, the count says where to go on.
    expect(await t.receiver.chunk('p1', chunk(0), FILE.subarray(0, half))).toEqual({ error: null, received: half });
    // A gap is refused with the count, not written.
    expect(await t.receiver.chunk('p1', chunk(half + 10), FILE.subarray(half + 10))).toMatchObject({ error: { code: 'CONFLICT' }, received: half });
    // A sender that reconnects begins again with the same upload id and learns where it stopped.
    expect(await t.receiver.handle('p1', begin({ id: 'b2' }))).toEqual({ error: null, received: half });
    expect(await t.receiver.handle('p1', commit)).toMatchObject({ error: { code: 'CONFLICT' }, received: half });
    expect(await t.receiver.chunk('p1', chunk(half), FILE.subarray(half))).toEqual({ error: null, received: FILE.length });
    const [first, again] = await Promise.all([t.receiver.handle('p1', commit), t.receiver.handle('p1', { ...commit, id: 'm2' })]);
    expect(first).toEqual({ error: null, received: FILE.length });
    expect(again).toEqual({ error: null, received: FILE.length });
    expect(await t.receiver.handle('p1', { ...commit, id: 'm3' })).toEqual({ error: null, received: FILE.length });
    expect(t.printed).toHaveLength(1);
    expect(t.printed[0]!.bytes.equals(FILE)).toBe(true);
  });

  it('refuses a damaged file, a file too large, a busy or unknown printer, and a second file for one printer', async () => {
    const t = setup();
    open.push(t.receiver);
    expect(await t.receiver.handle('p1', begin({ size: 1024 * 1024 }))).toMatchObject({ error: { code: 'BAD_REQUEST', message: expect.stringMatching(/up to 0\.1 MiB/) } });
    expect(await t.receiver.handle('p1', begin({ name: 'part.stl' }))).toMatchObject({ error: { code: 'BAD_REQUEST' } });
    expect(await t.receiver.handle('p9', begin())).toMatchObject({ error: { code: 'NOT_FOUND' } });
    expect(await t.receiver.chunk('p1', chunk(0), FILE)).toMatchObject({ error: { code: 'NOT_FOUND' } });

    await t.receiver.handle('p1', begin({ sha256: '0'.repeat(64) }));
    expect(await t.receiver.handle('p1', begin({ upload: 'a1b2c3d4-0000-4000-8000-000000000002' }))).toMatchObject({ error: { code: 'CONFLICT' } });
    await t.receiver.chunk('p1', chunk(0), FILE);
    expect(await t.receiver.handle('p1', commit)).toMatchObject({ error: { code: 'BAD_REQUEST', message: expect.stringMatching(/damaged/) } });
    expect(t.printed).toHaveLength(0);
    expect(readdirSync(t.dir)).toEqual([]);

    t.setStatus({ state: 'printing', stateText: 'Printing' });
    expect(await t.receiver.handle('p1', begin())).toMatchObject({ error: { code: 'CONFLICT', message: expect.stringMatching(/printing/) } });
  });

  it('checks the printer again at commit: one that became busy meanwhile gets nothing, and the partial file goes', async () => {
    const t = setup();
    open.push(t.receiver);
    await t.receiver.handle('p1', begin());
    await t.receiver.chunk('p1', chunk(0), FILE);
    t.setStatus({ state: 'printing', stateText: 'Printing' });
    expect(await t.receiver.handle('p1', commit)).toMatchObject({ error: { code: 'CONFLICT' } });
    expect(t.printed).toHaveLength(0);
    expect(readdirSync(t.dir).filter((f) => f.endsWith('.part'))).toEqual([]);
    expect(path.isAbsolute(t.dir)).toBe(true);
  });

  it('drops an upload nobody adds to, with its partial file; the sender then has to begin again', async () => {
    const t = setup({}, -1);
    open.push(t.receiver);
    await t.receiver.handle('p1', begin());
    await t.receiver.chunk('p1', chunk(0), FILE.subarray(0, 100));
    expect(readdirSync(t.dir)).toHaveLength(1);
    await t.receiver.sweep();
    expect(readdirSync(t.dir)).toEqual([]);
    expect(await t.receiver.chunk('p1', chunk(100), FILE.subarray(100))).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });
});
