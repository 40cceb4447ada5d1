import { randomBytes } from 'node:crypto';
import { DatabaseSync } from 'node:sqlite';
import { ChatConnection } from '../../src/main/chat/chat-connection';
import { CHAT_MIGRATIONS } from '../../src/main/chat/migrations';
import { createLogger } from '../../src/main/log';
import { applyDomainMigrations, MIGRATIONS } from '../../src/main/store/migrations';
import type { SkiserverSandbox } from './skiserver-sandbox';

/**
 * A simulated team member for the demo: a real chat client (the same engine and transport as Printdeck's)
 * with its own in-memory database, registered on the sandbox as `teammate`, accepting contact requests and
 * answering every message, so a single user sees a conversation. It is a client: it sees plaintext, the
 * server it talks to does not.
 */
export async function startDemoBot(server: SkiserverSandbox): Promise<{ stop(): void; address: string }> {
  const db = new DatabaseSync(':memory:');
  for (const m of MIGRATIONS) db.exec(m.sql);
  applyDomainMigrations(db, 'chat', CHAT_MIGRATIONS);
  const log = createLogger('demo-bot', () => undefined);
  let conn: ChatConnection | null = null;
  const replied = new Set<string>();
  conn = new ChatConnection({
    address: `grpc://${server.address}`,
    db,
    account: 'bot',
    storeKey: randomBytes(32),
    log,
    stream: { minBackoffMs: 200, maxBackoffMs: 2000 },
    onMessages: (rows) => {
      for (const row of rows) {
        if (row.direction !== 'in' || replied.has(row.id)) continue;
        replied.add(row.id);
        const reply = row.kind === 'image' ? 'Nice picture — the print looks good from here.' : `Got it: "${row.text.slice(0, 200)}". I'll check the printer.`;
        setTimeout(() => void conn?.engine?.sendText({ type: row.convType, id: row.convId }, reply).catch(() => undefined), 400);
      }
    },
  });
  const authenticator = 'mailto:teammate@printdeck.example';
  await conn.requestCode(authenticator);
  const code = server.lastAuthCode(authenticator);
  if (!code) throw new Error('demo bot: no auth code');
  const engine = await conn.register({ userId: 'teammate', userName: 'Sam (demo teammate)', authenticator, authCode: code });
  await engine.setPrivacy({ allowAttention: true, allowGreeting: true, allowAutoFriend: true });
  return { stop: () => conn?.close(), address: `teammate@${server.domain}` };
}
