import { randomBytes } from 'node:crypto';
import { DatabaseSync } from 'node:sqlite';
import { applyDomainMigrations } from '../../../src/main/store/migrations';
import { MIGRATIONS } from '../../../src/main/store/migrations';
import { ChatConnection } from '../../../src/main/chat/chat-connection';
import { CHAT_MIGRATIONS } from '../../../src/main/chat/migrations';
import type { CatchUpProgress } from '../../../src/main/chat/client/chat-engine';
import type { MessageRow } from '../../../src/main/chat/store/chat-store';
import { createLogger } from '../../../src/main/log';
import { SkiserverSandbox } from '../../../sim/skiserver/skiserver-sandbox';

/** Real sandbox Skiserver over gRPC plus client devices, each with its own SQLite database. */

export interface TestDevice {
  name: string;
  conn: ChatConnection;
  db: DatabaseSync;
  received: MessageRow[];
  logs: string[];
  progress: CatchUpProgress[];
}

export function openChatDb(file = ':memory:'): DatabaseSync {
  const db = new DatabaseSync(file);
  db.exec('PRAGMA journal_mode = WAL');
  for (const m of MIGRATIONS) db.exec(m.sql);
  applyDomainMigrations(db, 'chat', CHAT_MIGRATIONS);
  return db;
}

export async function startSandbox(workDir: string | null = null): Promise<SkiserverSandbox> {
  const server = new SkiserverSandbox({ workDir, heartbeatMs: 1000 });
  await server.start();
  return server;
}

export function device(server: SkiserverSandbox, name: string, options: { db?: DatabaseSync; key?: Uint8Array; account?: string; serverKeyPin?: string; now?: () => number } = {}): TestDevice {
  const db = options.db ?? openChatDb();
  const logs: string[] = [];
  const received: MessageRow[] = [];
  const progress: CatchUpProgress[] = [];
  const conn = new ChatConnection({
    address: `grpc://${server.address}`,
    db,
    account: options.account ?? 'conn-1',
    storeKey: options.key ?? randomBytes(32),
    log: createLogger(name, (l) => logs.push(l)),
    stream: { minBackoffMs: 50, maxBackoffMs: 300, heartbeatMs: 1000, idleTimeoutMs: 5000 },
    onMessages: (rows) => received.push(...rows),
    onProgress: (p) => progress.push(p),
    ...(options.serverKeyPin ? { serverKeyPin: options.serverKeyPin } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  return { name, conn, db, received, logs, progress };
}

export async function register(server: SkiserverSandbox, d: TestDevice, userId: string, email = `${userId}@example.org`): Promise<void> {
  const authenticator = `mailto:${email}`;
  await d.conn.requestCode(authenticator);
  const code = server.lastAuthCode(authenticator);
  if (!code) throw new Error('no auth code');
  await d.conn.register({ userId, userName: userId.toUpperCase(), authenticator, authCode: code });
}

export async function until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export function texts(d: TestDevice, convId?: string): string[] {
  const seen = new Map<string, MessageRow>();
  for (const r of d.received) if (!convId || r.convId === convId) seen.set(r.id, r);
  return [...seen.values()].filter((r) => r.direction === 'in' || r.state === 'sent').map((r) => r.text);
}

export function inbound(d: TestDevice, convId: string): string[] {
  const store = d.conn.store;
  return store.messages(convId.includes('@') ? 'user' : 'group', convId, null, 500).filter((m) => m.direction === 'in').map((m) => m.text);
}

export function allMessages(d: TestDevice, convType: 'user' | 'group', convId: string): MessageRow[] {
  return d.conn.store.messages(convType, convId, null, 500);
}
