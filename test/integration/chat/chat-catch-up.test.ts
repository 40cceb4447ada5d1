import { afterEach, describe, expect, it } from 'vitest';
import type { SkiserverSandbox } from '../../../sim/skiserver/skiserver-sandbox';
import { allMessages, device, register, startSandbox, until, type TestDevice } from './chat-harness';

const BACKLOG = 600;

describe('chat catch-up after a long time offline', () => {
  let server: SkiserverSandbox;
  const devices: TestDevice[] = [];
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') for (const d of devices) console.log(d.name, d.logs.join('\n'));
    for (const d of devices.splice(0)) d.conn.close();
    await server?.stop();
  });

  it('a device offline while hundreds of messages arrive stores every one once, acknowledges all, reports progress to the end', async () => {
    server = await startSandbox();
    const alice = device(server, 'alice');
    const bob = device(server, 'bob');
    devices.push(alice, bob);
    await register(server, alice, 'alice');
    await register(server, bob, 'bob');
    const domain = server.domain;
    const toBob = { type: 'user' as const, id: `bob@${domain}` };
    await alice.conn.engine!.sendText(toBob, 'before');
    await until('session up', () => allMessages(bob, 'user', `alice@${domain}`).length === 1);

    bob.conn.stop();
    const sent: string[] = [];
    for (let i = 0; i < BACKLOG; i++) {
      const text = `backlog ${i}`;
      sent.push((await alice.conn.engine!.sendText(toBob, text)).id);
    }
    await until('all queued for bob', () => server.queuedFor('bob') === BACKLOG, 60_000);
    bob.progress.length = 0;

    await bob.conn.start();
    await until('bob stored the backlog', () => bob.conn.store.messages('user', `alice@${domain}`, null, BACKLOG + 10).length === BACKLOG + 1, 60_000);
    await until('every message acknowledged', () => server.queuedFor('bob') === 0, 30_000);
    const texts = bob.conn.store.messages('user', `alice@${domain}`, null, BACKLOG + 10).map((m) => m.text);
    expect(new Set(texts).size).toBe(BACKLOG + 1);
    for (let i = 0; i < BACKLOG; i++) expect(texts).toContain(`backlog ${i}`);
    // Progress (when a backlog formed at all) counts up and ends with nothing waiting.
    const stored = bob.progress.map((p) => p.stored);
    expect(stored).toEqual([...stored].sort((a, b) => a - b));
    if (bob.progress.length > 0) expect(bob.progress.at(-1)!.waiting).toBe(0);
    // Receipts travel back in batches, yet each message is marked delivered.
    await until('alice sees all delivered', () => sent.every((id) => alice.conn.store.message(id)?.state === 'delivered'), 60_000);
  }, 180_000);
});
