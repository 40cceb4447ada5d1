import { closeSync, openSync, readSync, statSync } from 'node:fs';
import type { StoredConnection } from '../connections/connection-repo';

const TAIL_BYTES = 16 * 1024;

/**
 * For demo connections only (origin 'demo', which no client can set): the verification code the
 * sandbox "emailed", read from the outbox file the sandbox named in the connection's options.
 * This stands in for the user's mailbox; real accounts never get a hint. Only a 4–12 digit code
 * addressed to the account leaves this function.
 */
export function demoCodeHint(connection: StoredConnection, account: string | null): string | null {
  const outbox = connection.options.demoOutbox;
  if (connection.origin !== 'demo' || typeof outbox !== 'string' || !account) return null;
  let fd: number | null = null;
  try {
    const size = statSync(outbox).size;
    const length = Math.min(size, TAIL_BYTES);
    const buf = Buffer.alloc(length);
    fd = openSync(outbox, 'r');
    readSync(fd, buf, 0, length, size - length);
    const lines = buf.toString('utf8').split('\n').reverse();
    for (const line of lines) {
      try {
        const mail = JSON.parse(line) as { to?: unknown; code?: unknown };
        if (typeof mail.to === 'string' && mail.to.toLowerCase() === account.toLowerCase() && typeof mail.code === 'string' && /^[0-9]{4,12}$/.test(mail.code)) {
          return `Demo: the sandbox emailed the code ${mail.code}.`;
        }
      } catch {
        // a partial first line of the tail, or not JSON: skip
      }
    }
    return null;
  } catch {
    return null;
  } finally {
    if (fd !== null) closeSync(fd);
  }
}
