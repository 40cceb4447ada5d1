import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_STAGED_PER_CLIENT } from '../../../src/main/files/staging';
import type { CallContext } from '../../../src/main/rpc/registrar';
import { createTestHub, type TestHub } from '../../support/test-hub';
import { ScriptedDriver, scriptedProvider } from '../../support/scripted-driver';

/** A WebSocket client as the host sees it: an id, and a signal that fires when it goes away. */
function client(id: string): CallContext & { disconnect(): void } {
  const gone = new AbortController();
  return { transport: 'websocket', clientId: id, signal: gone.signal, disconnect: () => gone.abort() };
}

describe('staging slots and chunks', () => {
  let t: TestHub;
  const drivers = new Map<string, ScriptedDriver>();
  afterEach(async () => {
    vi.useRealTimers();
    await t?.close();
    drivers.clear();
  });

  async function setup() {
    t = await createTestHub({ providers: { xyz: scriptedProvider(drivers) } });
    t.hub.connections.add({ kind: 'xyz', name: 'Nano', address: 'tcp://127.0.0.1:9', options: {} });
    return { driver: drivers.get('Nano')!, call: (m: string, p: unknown, c: CallContext) => t.hub.registrar.dispatch(m, p, c) };
  }

  async function stage(call: (m: string, p: unknown, c: CallContext) => Promise<unknown>, c: CallContext, name = 'a.gcode', bytes = Buffer.from('G28\n')) {
    const begin = (await call('files.stageBegin', { name, size: bytes.length }, c)) as { ok: boolean; value?: { stagedId: string }; error?: { code: string } };
    if (!begin.ok) return begin;
    const stagedId = begin.value!.stagedId;
    await call('files.stageChunk', { stagedId, offset: 0, dataBase64: bytes.toString('base64') }, c);
    await call('files.stageFinish', { stagedId }, c);
    return { ok: true, stagedId };
  }

  it('gives each client its own quota, so one client cannot block the others', async () => {
    const { call } = await setup();
    const greedy = client('greedy');
    for (let i = 0; i < MAX_STAGED_PER_CLIENT; i++) expect(await stage(call, greedy)).toMatchObject({ ok: true });
    expect(await call('files.stageBegin', { name: 'b.gcode', size: 4 }, greedy)).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    expect(await stage(call, client('other'))).toMatchObject({ ok: true });
  });

  it('frees a client’s slots when it disconnects, and on files.stageCancel', async () => {
    const { call } = await setup();
    const tab = client('tab');
    const ids: string[] = [];
    for (let i = 0; i < MAX_STAGED_PER_CLIENT; i++) ids.push(((await stage(call, tab)) as { stagedId: string }).stagedId);
    expect(await call('files.stageCancel', { stagedId: ids[0] }, tab)).toMatchObject({ ok: true });
    expect(await call('files.stageFinish', { stagedId: ids[0] }, tab)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await stage(call, tab)).toMatchObject({ ok: true });
    tab.disconnect();
    await vi.waitFor(async () => expect(await call('files.stageFinish', { stagedId: ids[1] }, client('x'))).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } }));
    const again = client('tab-reopened');
    for (let i = 0; i < MAX_STAGED_PER_CLIENT; i++) expect(await stage(call, again)).toMatchObject({ ok: true });
  });

  it('lets an unused staging expire after minutes, not an hour', async () => {
    const { call } = await setup();
    const tab = client('tab');
    vi.useFakeTimers({ toFake: ['Date'] });
    for (let i = 0; i < MAX_STAGED_PER_CLIENT; i++) expect(await stage(call, tab)).toMatchObject({ ok: true });
    vi.setSystemTime(Date.now() + 10 * 60_000);
    expect(await stage(call, tab)).toMatchObject({ ok: true });
  });

  it('releases a staged file when the call that named it is refused', async () => {
    const { driver, call } = await setup();
    const tab = client('tab');
    const { stagedId } = (await stage(call, tab, 'notes.txt')) as { stagedId: string };
    expect(await call('printers.print', { deviceId: driver.deviceId, file: { kind: 'staged', stagedId } }, tab)).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await call('files.stageCancel', { stagedId }, tab)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const other = (await stage(call, tab)) as { stagedId: string };
    expect(await call('printers.print', { deviceId: 'ghost', file: { kind: 'staged', stagedId: other.stagedId } }, tab)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await call('files.stageCancel', { stagedId: other.stagedId }, tab)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('releases staged images that uploads.addImages refuses before looking at them', async () => {
    const { call } = await setup();
    const tab = client('tab');
    const { stagedId } = (await stage(call, tab, 'shot.png')) as { stagedId: string };
    const refused = await call('uploads.addImages', { connectionId: 'gone', sessionId: 's1', files: [{ kind: 'staged', stagedId }] }, tab);
    expect(refused).toMatchObject({ ok: false });
    expect(await call('files.stageCancel', { stagedId }, tab)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('serializes chunks of one staging: a duplicate gets CONFLICT and the file holds the right bytes', async () => {
    const { call } = await setup();
    const tab = client('tab');
    const content = Buffer.from('ABCDEFGHabcdefgh');
    const begin = (await call('files.stageBegin', { name: 'c.gcode', size: 16 }, tab)) as { value: { stagedId: string } };
    const { stagedId } = begin.value;
    const first = Buffer.from('ABCDEFGH').toString('base64');
    const impostor = Buffer.from('XXXXXXXX').toString('base64');
    const results = await Promise.all([
      call('files.stageChunk', { stagedId, offset: 0, dataBase64: first }, tab),
      call('files.stageChunk', { stagedId, offset: 0, dataBase64: impostor }, tab),
      call('files.stageChunk', { stagedId, offset: 8, dataBase64: content.subarray(8).toString('base64') }, tab),
    ]);
    expect(results[0]).toMatchObject({ ok: true });
    expect(results[1]).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(results[2]).toMatchObject({ ok: true, value: { received: 16 } });
    expect(await call('files.stageChunk', { stagedId, offset: 0, dataBase64: first }, tab)).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    const finished = (await call('files.stageFinish', { stagedId }, tab)) as { value: { sha256: string } };
    expect(finished.value.sha256).toBe(createHash('sha256').update(content).digest('hex'));
  });

  it('refuses base64 of a bad length instead of decoding part of it', async () => {
    const { call } = await setup();
    const tab = client('tab');
    const begin = (await call('files.stageBegin', { name: 'd.gcode', size: 3 }, tab)) as { value: { stagedId: string } };
    expect(await call('files.stageChunk', { stagedId: begin.value.stagedId, offset: 0, dataBase64: 'YYYYY' }, tab)).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST', detail: 'dataBase64' },
    });
    expect(await call('files.stageChunk', { stagedId: begin.value.stagedId, offset: 0, dataBase64: 'YW=j' }, tab)).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await call('files.stageChunk', { stagedId: begin.value.stagedId, offset: 0, dataBase64: 'YWJj' }, tab)).toMatchObject({ ok: true, value: { received: 3 } });
  });
});
