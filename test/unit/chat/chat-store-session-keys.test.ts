import { randomBytes } from 'node:crypto';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { CHAT_MIGRATIONS } from '../../../src/main/chat/migrations';
import { ChatStore, type SessionRow } from '../../../src/main/chat/store/chat-store';
import { joinLarge, splitLarge } from '../../../src/main/chat/store/large-strings';
import { Sealer } from '../../../src/main/chat/store/sealer';
import { applyDomainMigrations, MIGRATIONS } from '../../../src/main/store/migrations';

function store(db = new DatabaseSync(':memory:')): { db: DatabaseSync; store: ChatStore; key: Uint8Array } {
  for (const m of MIGRATIONS) db.exec(m.sql);
  applyDomainMigrations(db, 'chat', CHAT_MIGRATIONS);
  const key = randomBytes(32);
  return { db, key, store: new ChatStore(db, 'acct', new Sealer(key)) };
}

const peer = { userId: 'bob', domain: 'x.example', deviceId: 'd1' };
const kem = (): string => randomBytes(1568).toString('base64');
/** Shaped like a stored ratchet: small counters and chain keys that change per message, KEM keys that do not. */
const ratchet = (n: number, ours: string, theirs: string): unknown => ({ kind: 'established', n, chain: { key: randomBytes(32).toString('base64') }, keys: [ours, theirs], none: null });
const session = (state: unknown): SessionRow => ({ sessionId: 's1', peer, responded: true, inviteT: 1, createdAt: 1, state });
const keysColumn = (db: DatabaseSync): unknown => db.prepare("SELECT keys FROM chat_sessions WHERE session_id = 's1'").get()?.keys;

describe('chat store session keys', () => {
  it('splits long strings out and joins them back, leaving the rest as it was', () => {
    const value = { a: 'x'.repeat(600), b: ['short', 'y'.repeat(700), 3, true, null], c: { d: '\u0000looks like a marker' } };
    const { small, large } = splitLarge(value);
    expect(large).toEqual(['x'.repeat(600), 'y'.repeat(700), '\u0000looks like a marker']);
    expect(JSON.stringify(small).length).toBeLessThan(100);
    expect(joinLarge(JSON.parse(JSON.stringify(small)), large)).toEqual(value);
    expect(() => joinLarge(small, large.slice(0, 1))).toThrow(/does not hold/);
  });

  it('writes the keys again only when they change, and every state reads back whole', () => {
    const { db, key, store: s } = store();
    const [a, b, c] = [kem(), kem(), kem()];
    s.saveSession(session(ratchet(1, a, b)));
    const first = keysColumn(db);
    s.saveSession(session(ratchet(2, a, b)));
    expect(keysColumn(db)).toEqual(first);
    s.saveSession(session(ratchet(3, c, b)));
    expect(keysColumn(db)).not.toEqual(first);
    const fresh = new ChatStore(db, 'acct', new Sealer(key));
    expect((fresh.session('s1')?.state as { n: number; keys: string[] }).keys).toEqual([c, b]);
    expect((fresh.session('s1')?.state as { n: number }).n).toBe(3);
  });

  it('after a rolled-back write that turned the keys, the next write stores the keys it names', () => {
    const { db, key, store: s } = store();
    const [a, b, c] = [kem(), kem(), kem()];
    s.saveSession(session(ratchet(1, a, b)));
    expect(() =>
      s.transaction(() => {
        s.saveSession(session(ratchet(2, c, b)));
        throw new Error('crash before commit');
      }),
    ).toThrow('crash before commit');
    // Same keys as the rolled-back write: they must be written, not taken as already stored.
    s.saveSession(session(ratchet(3, c, b)));
    expect(new ChatStore(db, 'acct', new Sealer(key)).session('s1')?.state).toEqual(s.session('s1')?.state);
    expect((s.session('s1')?.state as { keys: string[] }).keys).toEqual([c, b]);
  });

  it('after another store turned the keys, this one does not reuse the keys it remembers', () => {
    const { db, key, store: s } = store();
    const other = new ChatStore(db, 'acct', new Sealer(key));
    const [a, b, c] = [kem(), kem(), kem()];
    s.saveSession(session(ratchet(1, a, b)));
    other.saveSession(session(ratchet(2, c, b)));
    s.saveSession(session(ratchet(3, a, b)));
    expect((new ChatStore(db, 'acct', new Sealer(key)).session('s1')?.state as { keys: string[]; n: number }).keys).toEqual([a, b]);
  });

  it('refuses keys of another write put beside a state', () => {
    const { db, key, store: s } = store();
    const [a, b, c] = [kem(), kem(), kem()];
    s.saveSession(session(ratchet(1, a, b)));
    const earlier = keysColumn(db);
    s.saveSession(session(ratchet(2, c, b)));
    db.prepare("UPDATE chat_sessions SET keys = ? WHERE session_id = 's1'").run(earlier as Uint8Array);
    expect(() => new ChatStore(db, 'acct', new Sealer(key)).session('s1')).toThrow(/do not belong/);
  });

  it('a database from before the keys column migrates, and its sessions read and save as before', () => {
    const db = new DatabaseSync(':memory:');
    for (const m of MIGRATIONS) db.exec(m.sql);
    applyDomainMigrations(db, 'chat', CHAT_MIGRATIONS.filter((m) => m.version <= 2));
    const key = randomBytes(32);
    const [a, b] = [kem(), kem()];
    const old = ratchet(1, a, b);
    // A row as version 2 wrote it: the whole state sealed in `state`.
    db.prepare(
      'INSERT INTO chat_sessions (account, session_id, peer_user, peer_domain, peer_device, responded, invite_t, state, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ).run('acct', 's1', peer.userId, peer.domain, peer.deviceId, 1, 1, new Sealer(key).sealJson(old, 'chat:sessions:acct:s1'), 1);
    applyDomainMigrations(db, 'chat', CHAT_MIGRATIONS);
    const s = new ChatStore(db, 'acct', new Sealer(key));
    expect(s.session('s1')?.state).toEqual(old);
    expect(s.sessionsWith(peer).map((r) => r.state)).toEqual([old]);
    s.saveSession(session(ratchet(2, a, b)));
    expect(keysColumn(db)).toBeInstanceOf(Uint8Array);
    expect((new ChatStore(db, 'acct', new Sealer(key)).session('s1')?.state as { n: number }).n).toBe(2);
  });
});

describe('chat store session order', () => {
  it('offers a peer device’s responded sessions first, then the newest, then the last written', () => {
    const { store: s } = store();
    const row = (sessionId: string, responded: boolean, createdAt: number): SessionRow => ({ sessionId, peer, responded, inviteT: 1, createdAt, state: { sessionId } });
    s.saveSession(row('old-responded', true, 1));
    s.saveSession(row('new-unanswered', false, 9));
    s.saveSession(row('new-responded-a', true, 5));
    s.saveSession(row('new-responded-b', true, 5));
    s.saveSession({ ...row('elsewhere', true, 99), peer: { ...peer, deviceId: 'd2' } });
    expect(s.sessionsWith(peer).map((r) => r.sessionId)).toEqual(['new-responded-b', 'new-responded-a', 'old-responded', 'new-unanswered']);
  });
});
