import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { xyzSimulator } from '../../../sim/xyz/simulator';
import type { QueueSnapshot, SendPlanEntry, SendResult, TransferProgress } from '../../../src/shared/contract';
import { startTestHost, type TestHost } from '../../support/test-host';

const NANO_3W = path.resolve(__dirname, '../../fixtures/xyz/AstroKe.3w'); // made for dv1NX0A000, the da Vinci nano
const memory = { transport: 'memory' as const, clientId: 'setup' };

interface Frame {
  t: string;
  id?: number;
  result?: { ok: boolean; value?: unknown; error?: { code: string; message: string } };
  events?: { name: string; payload: unknown }[];
}

/** A browser-like API client on the real host WebSocket: calls, and the transfer events it hears. */
async function client(url: string) {
  const ws = new WebSocket(url);
  const results = new Map<number, Frame['result']>();
  const transfers: TransferProgress[] = [];
  ws.on('message', (d) => {
    const frame = JSON.parse(d.toString()) as Frame;
    if (frame.t === 'result' && frame.id !== undefined) results.set(frame.id, frame.result);
    for (const e of frame.events ?? []) if (e.name === 'printers.transfer') transfers.push(e.payload as TransferProgress);
  });
  await new Promise((r) => ws.once('open', r));
  let id = 0;
  const call = async <T>(method: string, payload: unknown): Promise<T> => {
    const my = ++id;
    ws.send(JSON.stringify({ t: 'call', id: my, method, payload }));
    await vi.waitFor(() => expect(results.has(my)).toBe(true), { timeout: 60_000, interval: 20 });
    const r = results.get(my)!;
    if (!r.ok) throw new Error(`${method}: ${r.error!.code} ${r.error!.message}`);
    return r.value as T;
  };
  /** Sends a file the way the browser does: staged in chunks, once. */
  const stage = async (name: string, bytes: Buffer): Promise<string> => {
    const { stagedId, chunkBytes } = await call<{ stagedId: string; chunkBytes: number }>('files.stageBegin', { name, size: bytes.length });
    for (let offset = 0; offset < bytes.length; offset += chunkBytes) {
      await call('files.stageChunk', { stagedId, offset, dataBase64: bytes.subarray(offset, offset + chunkBytes).toString('base64') });
    }
    await call('files.stageFinish', { stagedId });
    return stagedId;
  };
  return { ws, call, stage, transfers };
}

describe('one file to several simulated da Vinci printers over the host WebSocket', () => {
  let t: TestHost;
  const idOf = (name: string) => t.hub.fleet.list().find((d) => d.name === name)!.deviceId;

  beforeAll(async () => {
    const sim = (name: string, model: string, timeScale: number) => ({
      id: name,
      factory: xyzSimulator({ transport: 'tcp', model, timeScale, fileCheckSec: 1, doneHoldSec: 6_000, connectionName: name }),
    });
    t = await startTestHost({
      demoPlan: () => [sim('Nano 1', 'dv1NX0A000', 60), sim('Nano 2', 'dv1NX0A000', 60), sim('Jr', 'dv1JW0A000', 60), sim('Nano busy', 'dv1NX0A000', 1)],
    });
    await t.hub.startDemo();
    await vi.waitFor(() => expect(t.hub.fleet.list().filter((d) => d.link === 'online' && d.state === 'idle')).toHaveLength(4), { timeout: 30_000 });
    // The fourth printer is busy with a print of its own.
    const r = await t.hub.registrar.dispatch('printers.print', { deviceId: idOf('Nano busy'), file: { kind: 'path', path: NANO_3W } }, memory);
    expect(r.ok).toBe(true);
    await vi.waitFor(() => expect(t.hub.fleet.list().find((d) => d.name === 'Nano busy')?.state).toMatch(/checking|heating|printing/), { timeout: 30_000 });
  }, 90_000);
  afterAll(async () => {
    await t?.close();
  });

  it('checks each printer, prints on the two compatible ones, skips the other model, queues on the busy one; the file is staged once', async () => {
    const c = await client(t.wsUrl());
    const all = ['Nano 1', 'Jr', 'Nano busy', 'Nano 2'].map(idOf);
    const stagedId = await c.stage('AstroKe.3w', readFileSync(NANO_3W));
    const file = { kind: 'staged', stagedId };

    const check = await c.call<{ fileName: string; printers: SendPlanEntry[] }>('queue.checkPrinters', { file, deviceIds: all });
    expect(check.fileName).toBe('AstroKe.3w');
    expect(check.printers.map((p) => [p.name, p.plan])).toEqual([
      ['Nano 1', 'print'],
      ['Jr', 'skip'],
      ['Nano busy', 'busy'],
      ['Nano 2', 'print'],
    ]);
    expect(check.printers[1]!.reason).toMatch(/made for dv1NX0A000; Jr takes daVinciJR10W/);

    // The person chose to queue it on the busy printer; the skipped one is still named, and stays skipped.
    const sent = await c.call<{ results: SendResult[] }>('queue.sendToPrinters', {
      file,
      print: [idOf('Nano 1'), idOf('Nano 2'), idOf('Jr')],
      queue: [idOf('Nano busy')],
    });
    const byName = new Map(sent.results.map((r) => [r.name, r]));
    expect(byName.get('Nano 1')).toMatchObject({ outcome: 'sending', transferId: expect.any(String) });
    expect(byName.get('Nano 2')).toMatchObject({ outcome: 'sending', transferId: expect.any(String) });
    expect(byName.get('Jr')).toMatchObject({ outcome: 'skipped', message: expect.stringMatching(/made for/) });
    expect(byName.get('Nano busy')).toMatchObject({ outcome: 'queued', jobId: expect.any(String) });

    // Each transfer ends with the printer accepting the file, and both start printing it.
    for (const name of ['Nano 1', 'Nano 2']) {
      const transferId = byName.get(name)!.transferId;
      await vi.waitFor(() => expect(c.transfers.filter((p) => p.transferId === transferId).at(-1)?.phase).toBe('done'), { timeout: 60_000 });
    }
    await vi.waitFor(
      () => expect(t.hub.fleet.list().filter((d) => d.job?.name?.includes('AstroKe') && d.name.startsWith('Nano ') && d.name !== 'Nano busy')).toHaveLength(2),
      { timeout: 30_000 },
    );
    expect(t.hub.fleet.list().find((d) => d.name === 'Jr')?.state).toBe('idle');

    // The queue holds one job, for the busy printer only.
    const queue = await c.call<QueueSnapshot>('queue.list', {});
    expect(queue.jobs).toHaveLength(1);
    expect(queue.jobs[0]).toMatchObject({ id: byName.get('Nano busy')!.jobId, fileName: 'AstroKe.3w', target: { kind: 'printer', deviceId: idOf('Nano busy') } });

    // Used once and given back when the transfers ended: the staging is gone.
    await vi.waitFor(() => expect(c.call('files.stageCancel', { stagedId })).rejects.toThrow(/NOT_FOUND/));
    c.ws.close();
  }, 120_000);

  it('refuses a file that is not a print, and names nobody twice', async () => {
    const c = await client(t.wsUrl());
    const stagedId = await c.stage('notes.txt', Buffer.from('hello'));
    await expect(c.call('queue.checkPrinters', { file: { kind: 'staged', stagedId }, deviceIds: [idOf('Nano 1')] })).rejects.toThrow(/BAD_REQUEST.*neither/);
    await expect(
      c.call('queue.sendToPrinters', { file: { kind: 'staged', stagedId }, print: [idOf('Nano 1')], queue: [idOf('Nano 1')] }),
    ).rejects.toThrow(/BAD_REQUEST/);
    c.ws.close();
  });
});
