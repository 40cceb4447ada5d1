import { randomBytes } from 'node:crypto';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { CHAT_MIGRATIONS } from '../../../src/main/chat/migrations';
import { ChatStore, type SessionRow } from '../../../src/main/chat/store/chat-store';
import { Sealer } from '../../../src/main/chat/store/sealer';
import { applyDomainMigrations, MIGRATIONS } from '../../../src/main/store/migrations';

function store(db = new DatabaseSync(':memory:')): { db: DatabaseSync; store: ChatStore; key: Uint8Array } {
  for (const m of MIGRATIONS) db.exec(m.sql);
  applyDomainMigrations(db, 'chat', CHAT_MIGRATIONS);
  const key = randomBytes(32);
  return { db, key, store: new ChatStore(db, 'acct', new Sealer(key)) };
}

const peer = { userId: 'bob', domain: 'x.example', deviceId: 'd1' };
const session = (state: unknown): SessionRow => ({ sessionId: 's1', peer, responded: true, inviteT: 1, createdAt: 1, state });

/** The session state and outbox entries read back right after being written come from memory; the database stays the truth. */
describe('chat store hot records', () => {
  it('a session write that was rolled back is not read back', () => {
    const { store: s } = store();
    s.saveSession(session({ n: 1 }));
    expect(() =>
      s.transaction(() => {
        s.saveSession(session({ n: 2 }));
        expect(s.session('s1')?.state).toEqual({ n: 2 });
        throw new Error('crash before commit');
      }),
    ).toThrow('crash before commit');
    expect(s.session('s1')?.state).toEqual({ n: 1 });
    expect(s.sessionsWith(peer).map((r) => r.state)).toEqual([{ n: 1 }]);
  });

  it('a session rewritten by another store on the same database is read as written there', () => {
    const { db, key, store: a } = store();
    const b = new ChatStore(db, 'acct', new Sealer(key));
    a.saveSession(session({ n: 1 }));
    expect(a.session('s1')?.state).toEqual({ n: 1 });
    b.saveSession(session({ n: 7 }));
    expect(a.session('s1')?.state).toEqual({ n: 7 });
  });

  it('a session row set back to an earlier sealing is read as that sealing, not as the state remembered', () => {
    const { db, store: s } = store();
    s.saveSession(session({ n: 1 }));
    const earlier = db.prepare("SELECT state FROM chat_sessions WHERE session_id = 's1'").get()!.state as Uint8Array;
    s.saveSession(session({ n: 2 }));
    expect(s.session('s1')?.state).toEqual({ n: 2 });
    db.prepare("UPDATE chat_sessions SET state = ? WHERE session_id = 's1'").run(earlier);
    expect(s.session('s1')?.state).toEqual({ n: 1 });
    expect(s.sessionsWith(peer).map((r) => r.state)).toEqual([{ n: 1 }]);
  });

  it('a session row that is not a sealing is refused, not read from memory', () => {
    const { db, store: s } = store();
    s.saveSession(session({ n: 1 }));
    db.prepare("UPDATE chat_sessions SET state = ? WHERE session_id = 's1'").run(new Uint8Array(40));
    expect(() => s.session('s1')).toThrow();
    db.prepare("UPDATE chat_sessions SET state = ? WHERE session_id = 's1'").run(new Uint8Array(5));
    expect(() => s.sessionsWith(peer)).toThrow(/malformed/);
  });

  it('an outbox id reused after a rolled-back insert yields the new body', () => {
    const { store: s } = store();
    expect(() =>
      s.transaction(() => {
        s.enqueue('rpc', { which: 'rolled back' });
        throw new Error('refused');
      }),
    ).toThrow('refused');
    s.enqueue('rpc', { which: 'kept' });
    const first = s.nextOutbox(Date.now());
    expect(first?.body).toEqual({ which: 'kept' });
    s.enqueue('rpc', { which: 'second' });
    expect(s.nextOutbox(Date.now(), first?.id)?.body).toEqual({ which: 'second' });
  });

  it('a stored message is inserted once; its delivery state reads without its text', () => {
    const { store: s } = store();
    const row = { id: 'm1', convType: 'user' as const, convId: 'bob@x.example', sender: 'me@x.example', direction: 'out' as const, kind: 'text' as const, text: 'hi', mime: null, imageBytes: 0, state: 'sending' as const, pendingSends: 2, sentAt: 1, createdAt: 1, seen: true };
    expect(s.insertMessage(row, null)).toBe(true);
    expect(s.insertMessage({ ...row, text: 'other' }, null)).toBe(false);
    expect(s.message('m1')?.text).toBe('hi');
    expect(s.messageSendState('m1')).toEqual({ state: 'sending', pendingSends: 2 });
  });

  it('a message text remembered from a rolled-back insert is not read back', () => {
    const { db, key, store: s } = store();
    const row = { id: 'm1', convType: 'user' as const, convId: 'bob@x.example', sender: 'me@x.example', direction: 'out' as const, kind: 'text' as const, text: 'rolled back', mime: null, imageBytes: 0, state: 'sending' as const, pendingSends: 1, sentAt: 1, createdAt: 1, seen: true };
    expect(() =>
      s.transaction(() => {
        s.insertMessage(row, null);
        expect(s.message('m1')?.text).toBe('rolled back');
        throw new Error('crash before commit');
      }),
    ).toThrow('crash before commit');
    expect(s.message('m1')).toBeNull();
    // Written by another store on the same database: this one has only the rolled-back text in memory.
    new ChatStore(db, 'acct', new Sealer(key)).insertMessage({ ...row, text: 'kept' }, null);
    expect(s.message('m1')?.text).toBe('kept');
    db.prepare("UPDATE chat_messages SET body = ? WHERE id = 'm1'").run(new Uint8Array(40));
    expect(() => s.message('m1')).toThrow();
  });

  it('lists a user’s devices from device records first, then those known only from sessions', () => {
    const { store: s } = store();
    s.upsertDevice({ ...peer, deviceId: 'd9' });
    s.upsertDevice({ ...peer, deviceId: 'd2' });
    s.saveSession({ ...session({}), peer: { ...peer, deviceId: 'd0' } });
    s.saveSession({ ...session({}), sessionId: 's2', peer: { ...peer, deviceId: 'd2' } });
    expect(s.knownDevices(peer).map((d) => d.deviceId)).toEqual(['d2', 'd9', 'd0']);
    expect(s.knownDevices({ userId: 'carol', domain: 'x.example' })).toEqual([]);
  });
});
