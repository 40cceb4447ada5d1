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

  it('refuses the UI without the token (401), with a helpful message', async () => {
    const res = await fetch(`${base}/`);
    expect(res.status).toBe(401);
    expect(await res.text()).toMatch(/URL the Printdeck host printed/);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('trades a token in the URL for an HttpOnly cookie and a clean address', async () => {
    const res = await fetch(`${base}/?token=${TEST_TOKEN}`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/');
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const page = await fetch(`${base}/`, { headers: { cookie: cookie.split(';')[0]! } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>Printdeck</title>');
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

  it('survives a malformed cookie (no token, no crash)', async () => {
    const res = await fetch(`http://127.0.0.1:${t.host.port}/`, { headers: { cookie: `printdeck_token_${t.host.port}=%E0%A4%A` } });
    expect(res.status).toBe(401);
    const ok = await fetch(`http://127.0.0.1:${t.host.port}/?token=${TEST_TOKEN}`, { redirect: 'manual' });
    expect(ok.status).toBe(303);
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
