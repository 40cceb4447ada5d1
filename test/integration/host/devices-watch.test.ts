import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { ScriptedDriver, scriptedProvider } from '../../support/scripted-driver';
import { startTestHost, type TestHost } from '../../support/test-host';

interface Frame {
  t: string;
  id?: number;
  result?: { ok: boolean; value?: unknown };
  events?: { name: string; payload: Record<string, unknown> }[];
}

/** A raw socket that records every device delta it is sent, and makes calls. */
async function client(url: string) {
  const ws = new WebSocket(url);
  const deltas: Record<string, unknown>[] = [];
  const results = new Map<number, Frame['result']>();
  ws.on('message', (d) => {
    const frame = JSON.parse(d.toString()) as Frame;
    if (frame.t === 'result' && frame.id !== undefined) results.set(frame.id, frame.result);
    for (const e of frame.events ?? []) if (e.name === 'devices.delta') deltas.push(e.payload);
  });
  await new Promise((r) => ws.once('open', r));
  let id = 0;
  const call = async (method: string, payload: unknown) => {
    const my = ++id;
    ws.send(JSON.stringify({ t: 'call', id: my, method, payload }));
    await vi.waitFor(() => expect(results.has(my)).toBe(true));
    return results.get(my);
  };
  return { ws, deltas, call, of: (deviceId: string) => deltas.filter((d) => d.deviceId === deviceId) };
}

describe('devices.watch and status deltas over the WebSocket', () => {
  let t: TestHost;
  const drivers = new Map<string, ScriptedDriver>();

  beforeAll(async () => {
    t = await startTestHost({ providers: { xyz: scriptedProvider(drivers) }, eventSummaryMs: 1500 });
    for (const name of ['Alpha', 'Bravo']) t.hub.connections.add({ kind: 'xyz', name, address: 'tcp://127.0.0.1:9', options: {} });
    await vi.waitFor(() => expect(drivers.size).toBe(2));
  });
  afterAll(async () => {
    await t.close();
  });

  it('sends only the fields that changed', async () => {
    const c = await client(t.wsUrl());
    const alpha = drivers.get('Alpha')!;
    alpha.setStatus({ stateText: 'Warming up' });
    await vi.waitFor(() => expect(c.of(alpha.deviceId).length).toBeGreaterThan(0));
    const delta = c.of(alpha.deviceId).at(-1)!;
    expect(delta).toMatchObject({ deviceId: alpha.deviceId, stateText: 'Warming up' });
    expect(Object.keys(delta).sort()).toEqual(['deviceId', 'stateText', 'updatedAt']);
    c.ws.close();
  });

  it('holds the devices a client does not watch for the summary, and sends the watched ones at once', async () => {
    const c = await client(t.wsUrl());
    const alpha = drivers.get('Alpha')!;
    const bravo = drivers.get('Bravo')!;
    expect(await c.call('devices.watch', { deviceIds: [alpha.deviceId] })).toEqual({ ok: true, value: { watching: 1, summaryMs: 1500 } });
    bravo.setStatus({ stateText: 'Bravo 1' });
    alpha.setStatus({ stateText: 'Alpha 1' });
    await vi.waitFor(() => expect(c.of(alpha.deviceId).at(-1)).toMatchObject({ stateText: 'Alpha 1' }));
    expect(c.of(bravo.deviceId)).toEqual([]);
    bravo.setStatus({ job: { name: 'cube', progress: 0.1, elapsedSec: 1, remainingSec: 9, taskId: null } });
    // Both changes of the unwatched printer arrive later, as one merged delta.
    await vi.waitFor(() => expect(c.of(bravo.deviceId)).toHaveLength(1), { timeout: 5000 });
    expect(c.of(bravo.deviceId)[0]).toMatchObject({ stateText: 'Bravo 1', job: { name: 'cube' } });
    c.ws.close();
  });

  it('a client that watches nothing in particular (null) hears every device at once', async () => {
    const c = await client(t.wsUrl());
    await c.call('devices.watch', { deviceIds: [] });
    expect(await c.call('devices.watch', { deviceIds: null })).toEqual({ ok: true, value: { watching: null, summaryMs: 1500 } });
    drivers.get('Bravo')!.setStatus({ stateText: 'Bravo 2' });
    await vi.waitFor(() => expect(c.of(drivers.get('Bravo')!.deviceId).at(-1)).toMatchObject({ stateText: 'Bravo 2' }));
    c.ws.close();
  });

  it('refuses a malformed watch list', async () => {
    const c = await client(t.wsUrl());
    expect(await c.call('devices.watch', { deviceIds: [''] })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await c.call('devices.watch', {})).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    c.ws.close();
  });
});

describe('rooms and tags', () => {
  it('are kept in the database across restarts and announced to every client', async () => {
    const drivers = new Map<string, ScriptedDriver>();
    const t = await startTestHost({ providers: { xyz: scriptedProvider(drivers) } });
    const events: unknown[] = [];
    t.hub.events.addSink({ deliver: (b) => events.push(...b.filter((e) => e.name === 'devices.tagsChanged')) });
    const call = (method: 'devices.tag' | 'devices.tags', payload: unknown) => t.hub.registrar.dispatch(method, payload, { transport: 'memory', clientId: 't' });
    expect(await call('devices.tag', { deviceIds: ['p1', 'p2'], add: ['Room 2', ' PETG '] })).toMatchObject({
      ok: true,
      value: { tags: [{ deviceId: 'p1', tags: ['PETG', 'Room 2'] }, { deviceId: 'p2', tags: ['PETG', 'Room 2'] }] },
    });
    expect(await call('devices.tag', { deviceIds: ['p2'], remove: ['PETG'] })).toMatchObject({ ok: true, value: { tags: [{ deviceId: 'p1' }, { deviceId: 'p2', tags: ['Room 2'] }] } });
    await vi.waitFor(() => expect(events.length).toBe(2));
    expect(await call('devices.tag', { deviceIds: [], add: ['x'] })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await call('devices.tag', { deviceIds: ['p1'], add: [''.padEnd(41, 'x')] })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    const dataDir = t.dataDir;
    // As after a restart: the same data folder, a new host.
    await t.host.close();
    await t.hub.close();
    const again = await startTestHost({ dataDir, providers: { xyz: scriptedProvider(drivers) } });
    expect(await again.hub.registrar.dispatch('devices.tags', {}, { transport: 'memory', clientId: 't' })).toEqual({
      ok: true,
      value: { tags: [{ deviceId: 'p1', tags: ['PETG', 'Room 2'] }, { deviceId: 'p2', tags: ['Room 2'] }] },
    });
    await again.close();
  });
});
