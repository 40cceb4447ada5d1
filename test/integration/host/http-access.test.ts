import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHost, TEST_TOKEN, type TestHost } from '../../support/test-host';

describe('headless host HTTP access', () => {
  let t: TestHost;
  let base: string;
  beforeAll(async () => {
    t = await startTestHost();
    base = `http://127.0.0.1:${t.host.port}`;
  });
  afterAll(() => t.close());

  it('serves the UI without a credential (it holds none) and never sets a cookie', async () => {
    const res = await fetch(`${base}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const legacy = await fetch(`${base}/?token=${TEST_TOKEN}`, { redirect: 'manual' });
    expect(legacy.headers.get('set-cookie')).toBeNull();
    const session = await fetch(`${base}/session`, { method: 'POST', headers: { authorization: `Bearer ${TEST_TOKEN}`, origin: base } });
    expect(session.headers.get('set-cookie')).toBeNull();
  });

  it('moves a token in the query into the fragment, on this host only (no open redirect)', async () => {
    const res = await fetch(`${base}/?token=${TEST_TOKEN}`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/#token=${TEST_TOKEN}`);
    for (const evil of ['/.//evil.example/', '//evil.example/', '/%2F/evil.example/', '/\\evil.example/', '/./\\/evil.example/']) {
      const { request } = await import('node:http');
      const location = await new Promise<string>((resolve) => {
        request({ host: '127.0.0.1', port: t.host.port, path: `${evil}?token=${TEST_TOKEN}` }, (r) => resolve(r.headers.location ?? '')).end();
      });
      expect(location, evil).toMatch(/^\/[^/\\]/);
      expect(new URL(location, base).host, evil).toBe(`127.0.0.1:${t.host.port}`);
    }
    expect((await fetch(`${base}/?token=wrong-token`, { redirect: 'manual' })).status).toBe(401);
  });

  it('trades the token for a browser session only by POST from the page itself', async () => {
    const post = (headers: Record<string, string>, method = 'POST') => fetch(`${base}/session`, { method, headers });
    const ok = await post({ authorization: `Bearer ${TEST_TOKEN}`, origin: base });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('cache-control')).toBe('no-store');
    const { session } = (await ok.json()) as { session: string };
    expect(session).not.toContain(TEST_TOKEN);
    expect((await post({ authorization: `Bearer ${TEST_TOKEN}` })).status).toBe(403); // no Origin: not a page
    expect((await post({ authorization: `Bearer ${TEST_TOKEN}`, origin: 'http://evil.example' })).status).toBe(403);
    expect((await post({ origin: base })).status).toBe(401);
    expect((await post({ authorization: `Bearer ${session}`, origin: base })).status).toBe(401);
    expect((await post({ authorization: `Bearer ${TEST_TOKEN}`, origin: base }, 'GET')).status).toBe(403);
  });

  it('keeps tokens out of refusal logs, however the key is spelled and however often it comes', async () => {
    const { request } = await import('node:http');
    await new Promise<void>((resolve) => {
      request(
        { host: '127.0.0.1', port: t.host.port, path: '/?token=SECRET-ONE&token=SECRET-TWO&tok%65n=SECRET-THREE;token=SECRET-FOUR', headers: { Host: 'attacker.example' } },
        (r) => {
          r.resume();
          r.on('end', () => resolve());
        },
      ).end();
    });
    const log = t.hostLog.join('\n');
    expect(log).toMatch(/refused GET/);
    expect(log).not.toMatch(/SECRET/);
  });

  it('never serves files outside the UI folder', async () => {
    const res = await fetch(`${base}/..%2f..%2f..%2fetc%2fpasswd`, { headers: { authorization: `Bearer ${TEST_TOKEN}` } });
    expect(await res.text()).not.toContain('root:');
  });

  it('refuses a DNS-rebinding Host header', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve) => {
      request({ host: '127.0.0.1', port: t.host.port, path: `/?token=${TEST_TOKEN}`, headers: { Host: 'attacker.example' } }, (res) =>
        resolve(res.statusCode ?? 0),
      ).end();
    });
    expect(status).toBe(403);
  });
});

describe('headless host against hostile requests', () => {
  let t: TestHost;
  beforeAll(async () => {
    t = await startTestHost();
  });
  afterAll(() => t.close());

  async function raw(request: string): Promise<string> {
    const net = await import('node:net');
    return new Promise((resolve) => {
      const s = net.connect(t.host.port, '127.0.0.1', () => s.write(request));
      let out = '';
      s.on('data', (d) => (out += d));
      s.on('close', () => resolve(out));
      s.on('error', () => resolve(out));
      setTimeout(() => s.destroy(), 1000);
    });
  }

  it('takes no cookie as a credential, and survives a malformed one', async () => {
    const res = await fetch(`http://127.0.0.1:${t.host.port}/`, { headers: { cookie: `printdeck_token_${t.host.port}=%E0%A4%A` } });
    expect(res.status).toBe(200);
    const { WebSocket } = await import('ws');
    const status = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${t.host.port}/ws`, { headers: { cookie: `printdeck_token_${t.host.port}=${TEST_TOKEN}` } });
      ws.on('unexpected-response', (_req, r) => resolve(r.statusCode ?? 0));
      ws.on('open', () => resolve(101));
    });
    expect(status).toBe(401);
  });

  it('answers 400 to an unparseable request target, on pages and upgrades, and keeps serving', async () => {
    expect(await raw('GET http://[:: HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n')).toMatch(/^HTTP\/1\.1 400/);
    expect(await raw('GET http://[:: HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n')).toMatch(/^HTTP\/1\.1 40/);
    expect((await fetch(`http://127.0.0.1:${t.host.port}/?token=${TEST_TOKEN}`, { redirect: 'manual' })).status).toBe(303);
  });

  it('does not take a DNS name that merely starts with 127. for loopback', async () => {
    const { isLoopbackHost } = await import('../../../src/main/host/access');
    expect(isLoopbackHost('127.attacker.example')).toBe(false);
    expect(isLoopbackHost('127.0.0.2')).toBe(true);
    expect(await raw(`GET /?token=${TEST_TOKEN} HTTP/1.1\r\nHost: 127.attacker.example:${t.host.port}\r\nConnection: close\r\n\r\n`)).toMatch(/^HTTP\/1\.1 403/);
  });
});
