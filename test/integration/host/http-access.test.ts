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
