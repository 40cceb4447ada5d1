import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TransferProgress } from '../../../src/shared/contract';
import type { CallContext } from '../../../src/main/rpc/registrar';
import { createTestHub, tempDir, type TestHub } from '../../support/test-hub';
import { ScriptedDriver, scriptedProvider } from '../../support/scripted-driver';

// In-process callers (the CLI) may name host paths; the desktop window passes tokens (test/unit/contract/ipc-files.test.ts).
const ipc: CallContext = { transport: 'memory', clientId: 't' };
const ws: CallContext = { transport: 'websocket', clientId: 't' };

describe('printers module', () => {
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
    const transfers: TransferProgress[] = [];
    t.hub.events.addSink({ deliver: (b) => b.filter((e) => e.name === 'printers.transfer').forEach((e) => transfers.push(e.payload as TransferProgress)) });
    return { driver, transfers, call: (m: string, p: unknown, c = ipc) => t.hub.registrar.dispatch(m, p, c) };
  }

  it('prints a local file for an in-process caller and reports progress to done', async () => {
    const { driver, transfers, call } = await setup();
    const file = path.join(tempDir(), 'benchy.gcode');
    writeFileSync(file, 'G28\nG1 X10\n'.repeat(1000));
    expect(await call('printers.print', { deviceId: driver.deviceId, file: { kind: 'path', path: file } })).toMatchObject({ ok: true });
    await vi.waitFor(() => expect(transfers.at(-1)?.phase).toBe('done'));
    expect(driver.printed[0]).toMatchObject({ request: { name: 'benchy.gcode' }, bytes: 11_000 });
  });

  it('refuses host paths over WebSocket and files that are not printable', async () => {
    const { driver, call } = await setup();
    expect(await call('printers.print', { deviceId: driver.deviceId, file: { kind: 'path', path: '/etc/passwd' } }, ws)).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    const file = path.join(tempDir(), 'notes.txt');
    writeFileSync(file, 'hello');
    expect(await call('printers.print', { deviceId: driver.deviceId, file: { kind: 'path', path: file } })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
    expect(await call('printers.print', { deviceId: driver.deviceId, file: { kind: 'path', path: 'relative.gcode' } })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
    expect(await call('printers.print', { deviceId: 'nope', file: { kind: 'path', path: file } })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('stages a browser file in ordered chunks, then prints it', async () => {
    const { driver, transfers, call } = await setup();
    const content = Buffer.from('G1 X1 Y1\n'.repeat(100_000)); // 900 KB → two chunks
    const begin = await call('files.stageBegin', { name: 'part.gcode', size: content.length }, ws);
    expect(begin.ok).toBe(true);
    const { stagedId, chunkBytes } = (begin as { value: { stagedId: string; chunkBytes: number } }).value;
    // Out-of-order chunks are refused with the offset expected.
    expect(await call('files.stageChunk', { stagedId, offset: chunkBytes, dataBase64: content.subarray(chunkBytes).toString('base64') }, ws)).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', detail: '0' },
    });
    expect(await call('files.stageFinish', { stagedId }, ws)).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    for (let off = 0; off < content.length; off += chunkBytes) {
      const r = await call('files.stageChunk', { stagedId, offset: off, dataBase64: content.subarray(off, off + chunkBytes).toString('base64') }, ws);
      expect(r.ok).toBe(true);
    }
    const finished = await call('files.stageFinish', { stagedId }, ws);
    expect(finished).toMatchObject({ ok: true, value: { size: content.length } });
    expect(await call('printers.print', { deviceId: driver.deviceId, file: { kind: 'staged', stagedId } }, ws)).toMatchObject({ ok: true });
    await vi.waitFor(() => expect(transfers.at(-1)?.phase).toBe('done'));
    expect(driver.printed[0]?.bytes).toBe(content.length);
    // The staged copy is released after use.
    await vi.waitFor(async () => expect(await call('printers.print', { deviceId: driver.deviceId, file: { kind: 'staged', stagedId } }, ws)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } }));
  });

  it('refuses chunks that overflow the declared size or are not base64', async () => {
    const { call } = await setup();
    const begin = await call('files.stageBegin', { name: 'a.gcode', size: 4 }, ws);
    const { stagedId } = (begin as { value: { stagedId: string } }).value;
    expect(await call('files.stageChunk', { stagedId, offset: 0, dataBase64: Buffer.from('123456').toString('base64') }, ws)).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await call('files.stageChunk', { stagedId, offset: 0, dataBase64: '!!!!' }, ws)).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
  });

  it('reports a failed upload in words and raises a notification; cancel ends as cancelled without one', async () => {
    const { driver, transfers, call } = await setup();
    const file = path.join(tempDir(), 'x.gcode');
    writeFileSync(file, 'G1\n');
    driver.failPrintWith = new Error('The printer answered E7 (busy).');
    await call('printers.print', { deviceId: driver.deviceId, file: { kind: 'path', path: file } });
    await vi.waitFor(() => expect(transfers.at(-1)).toMatchObject({ phase: 'failed', message: 'The printer answered E7 (busy).' }));
    expect(t.hub.notifications.list()[0]).toMatchObject({ level: 'error', title: expect.stringContaining('Could not send x.gcode') });

    driver.failPrintWith = null;
    let release!: () => void;
    driver.holdUpload = new Promise((r) => (release = r));
    await call('printers.print', { deviceId: driver.deviceId, file: { kind: 'path', path: file } });
    expect(await call('printers.print', { deviceId: driver.deviceId, file: { kind: 'path', path: file } })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(await call('printers.cancelTransfer', { deviceId: driver.deviceId })).toMatchObject({ ok: true });
    await vi.waitFor(() => expect(transfers.at(-1)?.phase).toBe('cancelled'));
    release();
    expect(t.hub.notifications.list()).toHaveLength(1);
  });

  it('announces a finished print once, a failure with its problem, and keeps temperature history', async () => {
    const { driver, call } = await setup();
    driver.setStatus({ state: 'printing', stateText: 'Printing', job: { name: 'benchy', progress: 0.5, elapsedSec: 1, remainingSec: 1, taskId: null } });
    driver.setStatus({ state: 'done', stateText: 'Done', temperatures: [{ sensor: 'nozzle', actual: 200, target: 0 }] });
    driver.setStatus({ state: 'done', stateText: 'Done' });
    expect(t.hub.notifications.list().filter((n) => n.level === 'success')).toHaveLength(1);
    expect(t.hub.notifications.list()[0]).toMatchObject({ title: 'Nano finished', body: 'benchy is done.' });
    driver.setStatus({ state: 'printing', stateText: 'Printing' });
    driver.setStatus({ state: 'error', stateText: 'Error', problem: { code: '0x0201', message: 'Nozzle heater fault' } });
    expect(t.hub.notifications.list()[0]).toMatchObject({ level: 'error', body: 'Nozzle heater fault' });
    const history = await call('printers.temperatureHistory', { deviceId: driver.deviceId });
    expect(history.ok && (history.value as { samples: unknown[] }).samples.length).toBeGreaterThan(0);
  });

  it('forwards pause/resume/cancel to the driver and answers NOT_FOUND for unknown devices', async () => {
    const { driver, call } = await setup();
    await call('printers.pause', { deviceId: driver.deviceId });
    expect(driver.status().state).toBe('paused');
    await call('printers.resume', { deviceId: driver.deviceId });
    expect(driver.status().state).toBe('printing');
    expect(await call('printers.pause', { deviceId: 'ghost' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});
