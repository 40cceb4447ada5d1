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
