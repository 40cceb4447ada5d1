import { randomBytes } from 'node:crypto';
import { DatabaseSync } from 'node:sqlite';
import { ChatConnection } from '../../src/main/chat/chat-connection';
import { CHAT_MIGRATIONS } from '../../src/main/chat/migrations';
import { createLogger } from '../../src/main/log';
import { applyDomainMigrations, MIGRATIONS } from '../../src/main/store/migrations';

/** A bench device: a ChatConnection on an in-memory database that counts the messages it received and stored. */
export interface BenchDevice {
  conn: ChatConnection;
  /** Ids of incoming messages stored, counted from the engine's notifications (no re-reading of the store). */
  inbox: Set<string>;
  /** Resolves once `inbox` holds at least `n` messages; rejects after `timeoutMs`. */
  received(n: number, timeoutMs?: number): Promise<void>;
}

function db(): DatabaseSync {
  const d = new DatabaseSync(':memory:');
  for (const m of MIGRATIONS) d.exec(m.sql);
  applyDomainMigrations(d, 'chat', CHAT_MIGRATIONS);
  return d;
}

export function benchDevice(address: string, userId: string): BenchDevice {
  const inbox = new Set<string>();
  const waiters: { n: number; resolve: () => void }[] = [];
  const conn = new ChatConnection({
    address: `grpc://${address}`,
    db: db(),
    account: 'bench',
    storeKey: randomBytes(32),
    log: createLogger(userId, () => undefined),
    onMessages: (rows) => {
      for (const r of rows) if (r.direction === 'in') inbox.add(r.id);
      for (let i = waiters.length - 1; i >= 0; i--) {
        if (inbox.size < waiters[i]!.n) continue;
        waiters[i]!.resolve();
        waiters.splice(i, 1);
      }
    },
  });
  return {
    conn,
    inbox,
    received: (n, timeoutMs = 600_000) => {
      if (inbox.size >= n) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${userId} received ${inbox.size} of ${n} messages`)), timeoutMs);
        waiters.push({ n, resolve: () => (clearTimeout(timer), resolve()) });
      });
    },
  };
}

/** `mailto:<userId>@bench.example`, the authenticator every bench account registers with. */
export const authenticatorOf = (userId: string): string => `mailto:${userId}@bench.example`;

/** Registers `device` with the auth code that `codeFor` reads from the server's outbox. */
export async function registerDevice(device: BenchDevice, userId: string, codeFor: (authenticator: string) => Promise<string | null>): Promise<void> {
  const authenticator = authenticatorOf(userId);
  await device.conn.requestCode(authenticator);
  await device.conn.register({ userId, userName: userId, authenticator, authCode: (await codeFor(authenticator)) ?? '' });
}
