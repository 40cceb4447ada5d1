import { randomBytes } from 'node:crypto';
import { DatabaseSync } from 'node:sqlite';
import { ChatConnection } from '../src/main/chat/chat-connection';
import { mlDsa87Backend, mlKem1024Backend } from '../src/main/chat/crypto';
import { CHAT_MIGRATIONS } from '../src/main/chat/migrations';
import { createLogger } from '../src/main/log';
import { applyDomainMigrations, MIGRATIONS } from '../src/main/store/migrations';
import { SkiserverSandbox } from '../sim/skiserver/skiserver-sandbox';
import type { BenchResult, BenchSuite } from './lib/types';

/**
 * End-to-end chat figures through the sandbox Skiserver over real gRPC on loopback (server and both clients
 * share this one process and core, so every figure includes the server's ML-DSA-87 signing):
 * - chat.e2e_msgs_per_sec: 1:1 text messages from alice's send call until bob's store holds them decrypted
 *   (encrypt, outbox, SendOne2oneMsg, server sign + route, stream, verify, decrypt, commit, ack).
 * - chat.unary_grpc_calls_per_sec: the same link without the chat: a loop of awaited unary calls (a
 *   ConsumeProtoMsg of an unknown id, answered NOT_FOUND) from alice's channel to the sandbox, measured in
 *   the same run, right before the messages; chat.e2e_to_unary_grpc_ratio divides the two.
 * - chat.sandbox_us_per_msg: the sandbox's own work per message in that run (its handlers for SendOne2oneMsg and
 *   ConsumeProtoMsg, batch signing and routing; not the gRPC transport, which both sides of the ratio share).
 * - chat.e2e_session_setup_ms: median of a first message to a new peer: GetPreKeyBundle, Invite, Accept,
 *   and the first message decrypted at the peer (both devices online).
 * - chat.catchup_10k_seconds: bob's stream closed while alice sends 10,000 messages (the sandbox queues them),
 *   then from bob's reconnect until all 10,000 are verified, decrypted and stored on his device.
 * - chat.mldsa_native: 1 when ML-DSA-87 runs on node:crypto (OpenSSL), 0 on the @noble fallback (≈ 10× slower).
 * - chat.mlkem_native: 1 when ML-KEM-1024 encapsulates and decapsulates on node:crypto, 0 on @noble (≈ 20× slower).
 */

const MESSAGES = 1000;
const UNARY_CALLS = 1000;
const SETUPS = 8;
const BACKLOG = 10_000;

function db(): DatabaseSync {
  const d = new DatabaseSync(':memory:');
  for (const m of MIGRATIONS) d.exec(m.sql);
  applyDomainMigrations(d, 'chat', CHAT_MIGRATIONS);
  return d;
}

/** Messages each client has received and stored, counted from its own notifications (no re-reading). */
const received = new Map<string, Set<string>>();

async function client(server: SkiserverSandbox, userId: string): Promise<ChatConnection> {
  const inbox = new Set<string>();
  received.set(userId, inbox);
  const conn = new ChatConnection({
    address: `grpc://${server.address}`,
    db: db(),
    account: 'bench',
    storeKey: randomBytes(32),
    log: createLogger(userId, () => undefined),
    onMessages: (rows) => rows.filter((r) => r.direction === 'in').forEach((r) => inbox.add(r.id)),
  });
  const authenticator = `mailto:${userId}@bench.example`;
  await conn.requestCode(authenticator);
  await conn.register({ userId, userName: userId, authenticator, authCode: server.lastAuthCode(authenticator) ?? '' });
  return conn;
}

async function until(check: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('bench timed out');
    // A short sleep rather than a setImmediate spin, which would take CPU from the pipeline it waits for.
    await new Promise((r) => setTimeout(r, 1));
  }
}

const suite: BenchSuite = {
  prefix: 'chat',
  async run(): Promise<BenchResult[]> {
    const server = new SkiserverSandbox({ heartbeatMs: 5000 });
    await server.start();
    const conns: ChatConnection[] = [];
    try {
      const alice = await client(server, 'alice');
      const bob = await client(server, 'bob');
      conns.push(alice, bob);
      const d = server.domain;
      // Counting from notifications: re-reading (and decrypting) the store on every tick would compete with the pipeline.
      const count = (): number => received.get('bob')!.size;
      await alice.engine!.sendText({ type: 'user', id: `bob@${d}` }, 'warm-up');
      await until(() => count() === 1);
      const unaryStarted = performance.now();
      for (let i = 0; i < UNARY_CALLS; i++) await alice.port.call('consumeProtoMsg', { protoMsgId: 'bench-unknown', state: 1 });
      const unaryPerSec = UNARY_CALLS / ((performance.now() - unaryStarted) / 1000);

      const started = performance.now();
      server.meter.take();
      for (let i = 0; i < MESSAGES; i++) await alice.engine!.sendText({ type: 'user', id: `bob@${d}` }, `message ${i} ${'x'.repeat(150)}`);
      await until(() => count() === MESSAGES + 1);
      const seconds = (performance.now() - started) / 1000;
      const serverUsPerMessage = (server.meter.take() * 1000) / MESSAGES;

      bob.stop();
      for (let i = 0; i < BACKLOG; i++) await alice.engine!.sendText({ type: 'user', id: `bob@${d}` }, `backlog ${i} ${'x'.repeat(100)}`);
      await until(() => server.queuedFor('bob') >= BACKLOG, 600_000);
      const before = count();
      const catchupStarted = performance.now();
      await bob.start();
      await until(() => count() === before + BACKLOG, 600_000);
      const catchupSeconds = (performance.now() - catchupStarted) / 1000;

      const setups: number[] = [];
      for (let i = 0; i < SETUPS; i++) {
        const peer = await client(server, `peer${i}`);
        conns.push(peer);
        const t0 = performance.now();
        await alice.engine!.sendText({ type: 'user', id: `peer${i}@${d}` }, 'hello');
        await until(() => received.get(`peer${i}`)!.size === 1);
        setups.push(performance.now() - t0);
      }
      setups.sort((a, b) => a - b);
      return [
        { name: 'chat.e2e_msgs_per_sec', value: Math.round(MESSAGES / seconds), unit: 'msg/s', target: 1000, better: 'higher' },
        { name: 'chat.unary_grpc_calls_per_sec', value: Math.round(unaryPerSec), unit: 'call/s', target: null, better: 'higher' },
        { name: 'chat.sandbox_us_per_msg', value: Math.round(serverUsPerMessage), unit: 'µs/msg', target: null, better: 'lower' },
        { name: 'chat.e2e_to_unary_grpc_ratio', value: Math.round((MESSAGES / seconds / unaryPerSec) * 100) / 100, unit: 'ratio', target: 0.5, better: 'higher' },
        { name: 'chat.catchup_10k_seconds', value: Math.round(catchupSeconds * 10) / 10, unit: 's', target: 10, better: 'lower' },
        { name: 'chat.e2e_session_setup_ms', value: Math.round(setups[Math.floor(setups.length / 2)] ?? 0), unit: 'ms', target: 30, better: 'lower' },
        { name: 'chat.mldsa_native', value: mlDsa87Backend() === 'node:crypto' ? 1 : 0, unit: 'bool', target: 1, better: 'higher' },
        { name: 'chat.mlkem_native', value: mlKem1024Backend() === 'node:crypto' ? 1 : 0, unit: 'bool', target: null, better: 'higher' },
      ];
    } finally {
      for (const c of conns) c.close();
      await server.stop();
    }
  },
};

export default suite;
