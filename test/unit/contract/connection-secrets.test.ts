import { afterEach, describe, expect, it } from 'vitest';
import { createTestHub, type TestHub } from '../../support/test-hub';

const ws = { transport: 'websocket' as const, clientId: 't' };

describe('connection secrets stay with their server', () => {
  let t: TestHub;
  afterEach(() => t.close());

  it('forgets stored secrets when a connection is pointed at another server without a new one', async () => {
    t = await createTestHub();
    const added = await t.hub.registrar.dispatch('connections.add', { kind: 'octoprint', name: 'E', address: 'http://10.0.0.5', secret: 'KEY-1' }, ws);
    const id = (added as { value: { id: string } }).value.id;
    // A domain secret of the same connection (e.g. tokens) goes too.
    (t.hub.connections as unknown as { secrets: { set(k: string, v: string): void; has(k: string): boolean } }).secrets.set(`connection:${id}:tokens`, 'T');
    // Renaming or the same endpoint keeps the key.
    expect(await t.hub.registrar.dispatch('connections.update', { id, name: 'Ender', address: 'http://10.0.0.5/' }, ws)).toMatchObject({ ok: true, value: { hasSecret: true } });
    // Another host: the key is not sent there.
    expect(await t.hub.registrar.dispatch('connections.update', { id, address: 'http://evil.example' }, ws)).toMatchObject({ ok: true, value: { hasSecret: false } });
    expect(t.hub.connections.secretOf(id)).toBeNull();
    expect((t.hub.connections as unknown as { secrets: { has(k: string): boolean } }).secrets.has(`connection:${id}:tokens`)).toBe(false);
    // Moving with a new key stores the new key.
    expect(await t.hub.registrar.dispatch('connections.update', { id, address: 'http://10.0.0.6', secret: 'KEY-2' }, ws)).toMatchObject({ ok: true, value: { hasSecret: true } });
    expect(t.hub.connections.secretOf(id)).toBe('KEY-2');
  });

  it('refuses secrets with control characters and passwords inside addresses', async () => {
    t = await createTestHub();
    expect(await t.hub.registrar.dispatch('connections.add', { kind: 'imss', name: 'I', address: 'grpc://127.0.0.1:1', secret: 'TOKEN\n' }, ws)).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST', detail: 'secret' },
    });
    const r = await t.hub.registrar.dispatch('connections.add', { kind: 'octoprint', name: 'O', address: 'http://admin:hunter2@10.0.0.5' }, ws);
    expect(r).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', detail: 'address' } });
    expect(JSON.stringify(r)).not.toContain('hunter2');
  });

  it('keeps demo-only options out of clients’ reach', async () => {
    t = await createTestHub();
    const added = await t.hub.registrar.dispatch('connections.add', { kind: 'skiserver', name: 'S', address: 'grpc://127.0.0.1:1', options: { demoOutbox: '/etc/shadow', x: 1 } }, ws);
    expect(added).toMatchObject({ ok: true, value: { options: { x: 1 } } });
    expect((added as { value: { options: object } }).value.options).not.toHaveProperty('demoOutbox');
    const demo = t.hub.connections.add({ kind: 'skiserver', name: 'D', address: 'grpc://127.0.0.1:2', options: { demoOutbox: '/tmp/outbox' }, origin: 'demo' });
    const updated = await t.hub.registrar.dispatch('connections.update', { id: demo.id, options: { demoOutbox: '/dev/zero', y: 2 } }, ws);
    expect(updated).toMatchObject({ ok: true, value: { options: { demoOutbox: '/tmp/outbox', y: 2 } } });
  });
});

describe('secrets that cannot travel in a header', () => {
  it('are refused at input for header-borne kinds, in words; cloud passwords may hold any character', async () => {
    const { calls } = await import('../../../src/shared/contract');
    const add = (kind: string, address: string, secret: string) => calls['connections.add'].request.safeParse({ kind, name: 'X', address, secret });
    for (const bad of ['key\u2028more', 'key🔑', 'key with space', 'kéy']) {
      const r = add('octoprint', 'http://octopi.local', bad);
      expect(r.success, bad).toBe(false);
      expect(r.error?.issues[0]).toMatchObject({ path: ['secret'], message: expect.stringMatching(/visible ASCII/) });
      expect(add('imss', 'grpc://imss.local:1', bad).success, bad).toBe(false);
    }
    expect(add('octoprint', 'http://octopi.local', 'ABCDEF0123456789abcdef').success).toBe(true);
    expect(add('armory', 'grpcs://armory.example.com:443', 'pässwörd 🔑').success).toBe(true);
    expect(calls['octoprint.pairPasteKey'].request.safeParse({ connectionId: 'c', apiKey: 'ABCDEFGH\u2028' }).success).toBe(false);
  });

  it('are refused on update too, where the kind comes from the stored connection', async () => {
    const { createTestHub } = await import('../../support/test-hub');
    const t = await createTestHub();
    try {
      const c = t.hub.connections.add({ kind: 'octoprint', name: 'O', address: 'http://127.0.0.1:9', options: {} });
      const ctx = { transport: 'websocket' as const, clientId: 't' };
      expect(await t.hub.registrar.dispatch('connections.update', { id: c.id, secret: 'emoji🔑key' }, ctx)).toMatchObject({
        ok: false,
        error: { code: 'BAD_REQUEST', detail: 'secret' },
      });
      expect(t.hub.connections.secretOf(c.id)).toBeNull();
      expect(await t.hub.registrar.dispatch('connections.update', { id: c.id, secret: 'GOODKEY123' }, ctx)).toMatchObject({ ok: true });
    } finally {
      await t.close();
    }
  });
});
