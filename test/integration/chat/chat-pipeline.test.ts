import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { SkiserverSandbox } from '../../../sim/skiserver/skiserver-sandbox';
import { ResponseCode } from '../../../src/main/gen/skissm/common';
import { PortError } from '../../../src/main/chat/protocol/skiserver-port';
import type { GrpcSkiserverPort } from '../../../src/main/chat/transport/grpc-port';
import { allMessages, device, register, startSandbox, until, type TestDevice } from './chat-harness';

/**
 * The send and receive pipelines under faults at their edges: many requests in flight, received messages
 * committed in batches before they are acknowledged. Whatever fails, what is sent arrives in order, once.
 */

type Call = GrpcSkiserverPort['call'];
type CallEncoded = GrpcSkiserverPort['callEncoded'];

/**
 * Puts `intercept` in front of a device's port (typed calls and the outbox's pre-encoded ones); it may answer
 * itself or hand the call on to the real port.
 */
function interceptCalls(d: TestDevice, intercept: (method: string, next: () => ReturnType<Call>) => ReturnType<Call>): void {
  const real = d.conn.port.call.bind(d.conn.port) as Call;
  const realEncoded = d.conn.port.callEncoded.bind(d.conn.port) as CallEncoded;
  d.conn.port.call = ((method: Parameters<Call>[0], request: never, options?: { timeoutMs?: number }) =>
    intercept(method, () => real(method, request, options))) as Call;
  d.conn.port.callEncoded = ((method: Parameters<CallEncoded>[0], request: Uint8Array, options?: { timeoutMs?: number }) =>
    intercept(method, () => realEncoded(method, request, options) as ReturnType<Call>)) as CallEncoded;
}

const N = 40;

describe('chat send and receive pipelines', () => {
  let server: SkiserverSandbox;
  const devices: TestDevice[] = [];
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') for (const d of devices) console.log(d.name, d.logs.join('\n'));
    for (const d of devices.splice(0)) d.conn.close();
    await server?.stop();
  });

  /** Bob's store key, to open his database again after a stop. */
  const bobKey = randomBytes(32);

  async function pair(): Promise<{ alice: TestDevice; bob: TestDevice; toBob: { type: 'user'; id: string }; fromAlice: string }> {
    server = await startSandbox();
    const alice = device(server, 'alice');
    const bob = device(server, 'bob', { key: bobKey });
    devices.push(alice, bob);
    await register(server, alice, 'alice');
    await register(server, bob, 'bob');
    const toBob = { type: 'user' as const, id: `bob@${server.domain}` };
    await alice.conn.engine!.sendText(toBob, 'hello');
    await until('session up', () => allMessages(bob, 'user', `alice@${server.domain}`).length === 1);
    return { alice, bob, toBob, fromAlice: `alice@${server.domain}` };
  }

  it('a burst arrives in the order it was written; a request the server refuses in the middle fails that message only', async () => {
    const { alice, bob, toBob, fromAlice } = await pair();
    let sends = 0;
    interceptCalls(alice, (method, next) => {
      if (method === 'sendOne2OneMsg' && ++sends === 13) return Promise.resolve({ code: ResponseCode.RESPONSE_CODE_FORBIDDEN, msg: 'refused by the test' }) as ReturnType<Call>;
      return next();
    });
    const ids: string[] = [];
    for (let i = 0; i < N; i++) ids.push((await alice.conn.engine!.sendText(toBob, `burst ${i}`)).id);
    await until('alice has every answer', () => ids.every((id) => ['sent', 'delivered', 'failed'].includes(alice.conn.store.message(id)?.state ?? '')), 30_000);
    const failed = ids.filter((id) => alice.conn.store.message(id)?.state === 'failed');
    expect(failed).toEqual([ids[12]]);
    const expected = Array.from({ length: N }, (_, i) => `burst ${i}`).filter((t) => t !== 'burst 12');
    await until('bob has the rest', () => allMessages(bob, 'user', fromAlice).length === N, 30_000);
    // Stored in arrival order: the order the messages were written in.
    expect(allMessages(bob, 'user', fromAlice).map((m) => m.text)).toEqual(['hello', ...expected]);
  }, 60_000);

  it('a device that stops between committing messages and acknowledging them stores each once after it restarts', async () => {
    const { alice, bob, toBob, fromAlice } = await pair();
    await until('the first message is acknowledged', () => server.queuedFor('bob') === 0);
    // Bob's acknowledgements never reach the server, as if he stopped right after each commit.
    interceptCalls(bob, (method, next) => (method === 'consumeProtoMsg' ? Promise.reject(new PortError('unavailable', 'lost by the test')) : next()));
    for (let i = 0; i < N; i++) await alice.conn.engine!.sendText(toBob, `unacked ${i}`);
    await until('bob committed them', () => allMessages(bob, 'user', fromAlice).length === N + 1, 30_000);
    expect(server.queuedFor('bob')).toBe(N);

    bob.conn.close();
    devices.splice(devices.indexOf(bob), 1);
    const again = device(server, 'bob-again', { db: bob.db, key: bobKey, account: 'conn-1' });
    devices.push(again);
    await again.conn.start();
    await until('the redelivered messages are acknowledged', () => server.queuedFor('bob') === 0, 30_000);
    const texts = allMessages(again, 'user', fromAlice).map((m) => m.text);
    expect(texts).toEqual(['hello', ...Array.from({ length: N }, (_, i) => `unacked ${i}`)]);
    expect(again.received.filter((r) => r.direction === 'in')).toEqual([]);
  }, 60_000);

  it('a send whose answer is lost is repeated, and the copy the server then delivers is not stored twice', async () => {
    const { alice, bob, toBob, fromAlice } = await pair();
    let sends = 0;
    interceptCalls(alice, (method, next) => {
      if (method !== 'sendOne2OneMsg' || ++sends !== 5) return next();
      // The server takes the request; the answer is lost on the way back.
      return next().then(() => Promise.reject(new PortError('unavailable', 'answer lost by the test')));
    });
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) ids.push((await alice.conn.engine!.sendText(toBob, `lossy ${i}`)).id);
    await until('all sent', () => ids.every((id) => ['sent', 'delivered'].includes(alice.conn.store.message(id)?.state ?? '')), 30_000);
    expect(sends).toBeGreaterThan(10);
    await until('bob acknowledged everything', () => server.queuedFor('bob') === 0, 30_000);
    const texts = allMessages(bob, 'user', fromAlice).map((m) => m.text);
    expect(texts.filter((t) => t === 'lossy 4')).toHaveLength(1);
    expect(new Set(texts).size).toBe(texts.length);
    expect(texts).toHaveLength(11);
  }, 60_000);
});
