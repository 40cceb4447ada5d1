import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { createClient, type PrintdeckClient } from '../../../src/shared/rpc/client';
import { sessionProtocols } from '../../../src/renderer/transport/browser-session';
import { createWebSocketTransport } from '../../../src/renderer/transport/websocket-transport';
import { startTestHost, TEST_TOKEN, type TestHost } from '../../support/test-host';

/** Opens a raw socket and collects every frame, for tests of what the wire itself carries. */
async function rawSocket(url: string, headers: Record<string, string> = {}) {
  const ws = new WebSocket(url, { headers });
  const frames: unknown[] = [];
  ws.on('message', (d) => frames.push(JSON.parse(d.toString())));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  await vi.waitFor(() => expect(frames[0]).toMatchObject({ t: 'hello' }));
  return { ws, frames };
}

describe('contract over the headless host WebSocket', () => {
  let t: TestHost;
  let client: PrintdeckClient;
  let transport: ReturnType<typeof createWebSocketTransport>;

  beforeAll(async () => {
    t = await startTestHost();
    // The renderer's own transport, on Node's built-in WebSocket.
    transport = createWebSocketTransport({ url: t.wsUrl() });
    client = createClient(transport);
    await vi.waitFor(() => expect(client.linkStatus()).toBe('open'));
  });
  afterAll(async () => {
    transport.close();
    await t.close();
  });

  it('round-trips calls and keeps secrets in main', async () => {
    expect(await client.call('app.info', {})).toMatchObject({ ok: true, value: { transport: 'websocket' } });
    const added = await client.call('connections.add', { kind: 'octoprint', name: 'Ender', address: 'http://127.0.0.1:1', secret: 'S3CRET-over-ws' });
    expect(added).toMatchObject({ ok: true, value: { hasSecret: true } });
    const listed = await client.call('connections.list', {});
    expect(JSON.stringify(listed)).not.toContain('S3CRET-over-ws');
  });

  it('streams event batches to the client', async () => {
    const seen: string[] = [];
    const off = client.on('connections.changed', (p) => seen.push(p.connections.map((c) => c.name).join(',')));
    await client.call('connections.add', { kind: 'xyz', name: 'Nano', address: 'tcp://127.0.0.1:9' });
    await vi.waitFor(() => expect(seen.at(-1)).toContain('Nano'));
    off();
  });

  it('answers malformed frames with an error frame, and unknown methods and bad payloads with typed results', async () => {
    const { ws, frames } = await rawSocket(t.wsUrl());
    ws.send('{not json');
    ws.send(JSON.stringify({ t: 'call', id: 'x', method: 'a' }));
    ws.send(Buffer.from([1, 2, 3]), { binary: true });
    ws.send(JSON.stringify({ t: 'call', id: 7, method: 'system.exec', payload: {} }));
    ws.send(JSON.stringify({ t: 'call', id: 8, method: 'connections.add', payload: { kind: 'xyz', name: '', address: 'tcp://a:1' } }));
    await vi.waitFor(() => expect(frames.length).toBeGreaterThanOrEqual(6));
    expect(frames.filter((f) => (f as { t: string }).t === 'error')).toHaveLength(3);
    expect(frames).toContainEqual({ t: 'result', id: 7, result: { ok: false, error: expect.objectContaining({ code: 'UNKNOWN_METHOD' }) } });
    expect(frames).toContainEqual({ t: 'result', id: 8, result: { ok: false, error: expect.objectContaining({ code: 'BAD_REQUEST', detail: 'name' }) } });
    ws.close();
  });

  it('closes a client that keeps sending garbage', async () => {
    const { ws } = await rawSocket(t.wsUrl());
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    for (let i = 0; i < 25; i++) ws.send('garbage');
    expect(await closed).toBe(1008);
  });

  it('refuses oversized frames by closing with 1009, and the host keeps serving', async () => {
    const { ws } = await rawSocket(t.wsUrl());
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send(JSON.stringify({ t: 'call', id: 1, method: 'connections.add', payload: { name: 'x'.repeat(2 * 1024 * 1024) } }));
    expect(await closed).toBe(1009);
    expect((await client.call('connections.list', {})).ok).toBe(true);
  });

  it('refuses a wrong or missing token with 401, and logs it', async () => {
    for (const url of [t.wsUrl('wrong-token-wrong-token'), `ws://127.0.0.1:${t.host.port}/ws`]) {
      const ws = new WebSocket(url);
      const status = await new Promise<number>((resolve) => ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
      expect(status).toBe(401);
    }
    expect(t.hostLog.some((l) => l.includes('refused') && l.includes('wrong token'))).toBe(true);
    expect(t.hostLog.join('\n')).not.toContain('wrong-token-wrong-token');
  });

  it('refuses a foreign Origin and a non-loopback Host with 403 even with the token', async () => {
    const foreign = new WebSocket(t.wsUrl(), { headers: { Origin: 'http://evil.example' } });
    expect(await new Promise((r) => foreign.once('unexpected-response', (_q, res) => r(res.statusCode)))).toBe(403);
    const rebinding = new WebSocket(t.wsUrl(), { headers: { Host: `evil.example:${t.host.port}` } });
    expect(await new Promise((r) => rebinding.once('unexpected-response', (_q, res) => r(res.statusCode)))).toBe(403);
    const sameOrigin = await rawSocket(t.wsUrl(), { Origin: `http://127.0.0.1:${t.host.port}` });
    sameOrigin.ws.close();
  });

  it('accepts the token as a bearer header for scripts', async () => {
    const { ws, frames } = await rawSocket(`ws://127.0.0.1:${t.host.port}/ws`, { Authorization: `Bearer ${TEST_TOKEN}` });
    ws.send(JSON.stringify({ t: 'call', id: 1, method: 'connections.list', payload: {} }));
    await vi.waitFor(() => expect(frames).toContainEqual(expect.objectContaining({ t: 'result', id: 1 })));
    ws.close();
  });

  it('opens for a browser session only as a subprotocol from this origin; the session is no bearer token', async () => {
    const origin = `http://127.0.0.1:${t.host.port}`;
    const bare = `ws://127.0.0.1:${t.host.port}/ws`;
    const res = await fetch(`${origin}/session`, { method: 'POST', headers: { authorization: `Bearer ${TEST_TOKEN}`, origin } });
    const { session } = (await res.json()) as { session: string };
    const protocols = sessionProtocols(session);

    const browser = new WebSocket(bare, protocols, { headers: { Origin: origin } });
    await new Promise<void>((resolve, reject) => {
      browser.once('open', () => resolve());
      browser.once('error', reject);
    });
    expect(browser.protocol).toBe('printdeck.v1'); // the session is never echoed back
    browser.close();

    const refusedStatus = (ws: WebSocket) => new Promise<number>((resolve) => ws.once('unexpected-response', (_q, r) => resolve(r.statusCode ?? 0)));
    expect(await refusedStatus(new WebSocket(bare, { headers: { Authorization: `Bearer ${session}` } }))).toBe(401);
    expect(await refusedStatus(new WebSocket(t.wsUrl(session)))).toBe(401);
    expect(await refusedStatus(new WebSocket(bare, protocols))).toBe(401); // no Origin: not a page
    expect(await refusedStatus(new WebSocket(bare, protocols, { headers: { Origin: 'http://127.0.0.1:1' } }))).toBe(403);
    const forged = `${session.split('.')[0]}.${'A'.repeat(43)}`;
    expect(await refusedStatus(new WebSocket(bare, sessionProtocols(forged), { headers: { Origin: origin } }))).toBe(401);
  });

  it('does not leak sinks when a client reconnects over and over', async () => {
    const before = t.hub.events.sinkCount;
    for (let i = 0; i < 100; i++) {
      const { ws } = await rawSocket(t.wsUrl());
      const closed = new Promise((r) => ws.once('close', r));
      if (i % 2) ws.terminate();
      else ws.close();
      await closed;
    }
    await vi.waitFor(() => expect(t.hub.events.sinkCount).toBe(before));
    expect((await client.call('connections.list', {})).ok).toBe(true);
  });
});

describe('the renderer transport across a host restart', () => {
  it('reports closed, fails calls clearly while down, and reconnects on its own', async () => {
    const t = await startTestHost();
    const transport = createWebSocketTransport({ url: t.wsUrl() });
    const client = createClient(transport);
    const statuses: string[] = [];
    client.onLinkStatus((s) => statuses.push(s));
    await vi.waitFor(() => expect(client.linkStatus()).toBe('open'));
    const port = t.host.port;
    await t.host.close();
    await vi.waitFor(() => expect(client.linkStatus()).not.toBe('open'));
    const down = await client.call('connections.list', {});
    expect(down).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    // Serve again on the same port with the same hub.
    const { startHost } = await import('../../../src/main/host/host-server');
    const { silentLogger } = await import('../../support/test-hub');
    const again = await startHost({ hub: t.hub, rendererDir: t.dataDir, port, token: TEST_TOKEN, log: silentLogger() });
    await vi.waitFor(() => expect(client.linkStatus()).toBe('open'), { timeout: 10_000 });
    expect((await client.call('connections.list', {})).ok).toBe(true);
    expect(statuses).toContain('closed');
    transport.close();
    await again.close();
    await t.hub.close();
  });
});
