import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';
import { runInTransaction } from '../../store/database';
import type { DeviceRef, UserRef } from '../protocol/address';
import { OpenedCache, sealStamp, stampColumns, stampOf } from './opened-cache';
import { joinLarge, sameStrings, splitLarge } from './large-strings';
import type { Sealer } from './sealer';

/**
 * The chat repository for one account (one Skiserver connection). Synchronous, so a protocol step can read
 * state, compute and write it back with no await in between; `transaction` makes a step atomic, which is
 * what lets a received ProtoMsg be committed before it is acknowledged.
 */

export interface AccountRow {
  userId: string;
  domain: string;
  deviceId: string;
  userName: string;
  authenticator: string;
  packId: number;
  serverKey: Uint8Array;
  nextOpkId: number;
  privacy: { allowAttention: boolean; allowGreeting: boolean; allowAutoFriend: boolean };
  /** Sealed JSON: identity and pre-key private keys, password, auth token. */
  keys: unknown;
}

export interface SessionRow {
  sessionId: string;
  peer: DeviceRef;
  responded: boolean;
  inviteT: number;
  state: unknown;
  createdAt: number;
}

export interface ContactRow {
  userId: string;
  domain: string;
  nickname: string;
  memo: string;
  /** 0 none, 1 request sent, 2 friends, 3 request received. */
  status: number;
  blocked: boolean;
  verified: boolean;
  modified: number;
}

export interface GroupRow {
  groupId: string;
  name: string;
  members: { userId: string; domain: string; role: number }[];
  memberDevices: { userId: string; domain: string; deviceId: string; signPk: string }[];
  stale: boolean;
  active: boolean;
  updatedAt: number;
}

export type MessageState = 'sending' | 'sent' | 'delivered' | 'failed' | 'received';

export interface MessageRow {
  id: string;
  convType: 'user' | 'group';
  convId: string;
  sender: string;
  direction: 'in' | 'out';
  kind: 'text' | 'image';
  text: string;
  mime: string | null;
  imageBytes: number;
  state: MessageState;
  pendingSends: number;
  sentAt: number;
  createdAt: number;
  seen: boolean;
}

export interface OutboxRow {
  id: number;
  kind: string;
  body: unknown;
  messageId: string | null;
  attempts: number;
}

type Row = Record<string, SQLInputValue>;

/** A session's long strings (its KEM keys) as sealed in the row's keys column, and that sealing's stamp. */
interface SessionKeys {
  stamp: Uint8Array;
  large: readonly string[];
}

function bytes(value: unknown): Uint8Array {
  return value instanceof Uint8Array ? value : new Uint8Array(0);
}

/** Sessions whose opened state is kept (a device talks to a handful of peers at a time). */
const SESSION_CACHE_SIZE = 64;
/** A session row without its sealed state, only the state's stamp (the state itself is read on a cache miss). */
const SESSION_COLUMNS = `session_id, peer_user, peer_domain, peer_device, responded, invite_t, created_at, ${stampColumns('state')}`;
/**
 * Outbox entries kept opened: a burst of sends is queued before the first goes out, so this covers bursts up to
 * this size (a 1:1 request is about 3 KB sealed plus its opened copy: a few MB at most, freed as answers come).
 */
const OUTBOX_CACHE_SIZE = 1024;
/** Texts of the messages stored or read last (receipts come back for the ones just sent). */
const MESSAGE_CACHE_SIZE = 1024;

export class ChatStore {
  private readonly statements = new Map<string, StatementSync>();
  /** Every message writes its session and its outbox entry and reads both back: those reads skip the opening. */
  private readonly sessionStates = new OpenedCache<string, { state: unknown; keys: SessionKeys | null }>(SESSION_CACHE_SIZE);
  private readonly outboxBodies = new OpenedCache<number, unknown>(OUTBOX_CACHE_SIZE);
  private readonly messageTexts = new OpenedCache<string, string>(MESSAGE_CACHE_SIZE);

  constructor(
    private readonly db: DatabaseSync,
    readonly account: string,
    private readonly sealer: Sealer,
  ) {}

  transaction<T>(work: () => T): T {
    return runInTransaction(this.db, work);
  }

  /**
   * Inside a transaction: `work` either takes effect completely or not at all, without ending the outer
   * transaction (so one bad message in a batch does not undo the others).
   */
  savepoint<T>(work: () => T): T {
    if (!this.db.isTransaction) return this.transaction(work);
    this.db.exec('SAVEPOINT chat_step');
    try {
      const result = work();
      this.db.exec('RELEASE chat_step');
      return result;
    } catch (err) {
      this.db.exec('ROLLBACK TO chat_step');
      this.db.exec('RELEASE chat_step');
      throw err;
    }
  }

  private aad(table: string, key: string): string {
    return `chat:${table}:${this.account}:${key}`;
  }

  /** Prepared once per SQL text: preparing costs more than running the small statements of a message. */
  private statement(sql: string): StatementSync {
    let prepared = this.statements.get(sql);
    if (!prepared) this.statements.set(sql, (prepared = this.db.prepare(sql)));
    return prepared;
  }

  private get(sql: string, ...params: SQLInputValue[]): Row | undefined {
    return this.statement(sql).get(this.account, ...params) as Row | undefined;
  }

  private all(sql: string, ...params: SQLInputValue[]): Row[] {
    return this.statement(sql).all(this.account, ...params) as Row[];
  }

  private run(sql: string, ...params: SQLInputValue[]): void {
    this.statement(sql).run(this.account, ...params);
  }

  // ── account ───────────────────────────────────────────────────────────────────────────────────────
  loadAccount(): AccountRow | null {
    const row = this.get('SELECT * FROM chat_accounts WHERE account = ?');
    if (!row) return null;
    return {
      userId: String(row.user_id),
      domain: String(row.domain),
      deviceId: String(row.device_id),
      userName: String(row.user_name),
      authenticator: String(row.authenticator),
      packId: Number(row.pack_id),
      serverKey: bytes(row.server_key),
      nextOpkId: Number(row.next_opk_id),
      privacy: JSON.parse(String(row.privacy)) as AccountRow['privacy'],
      keys: this.sealer.openJson(bytes(row.keys), this.aad('accounts', 'keys')),
    };
  }

  saveAccount(a: AccountRow): void {
    this.run(
      `INSERT INTO chat_accounts (account, user_id, domain, device_id, user_name, authenticator, pack_id, server_key, keys, next_opk_id, privacy, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(account) DO UPDATE SET user_name = excluded.user_name, keys = excluded.keys, next_opk_id = excluded.next_opk_id, privacy = excluded.privacy, server_key = excluded.server_key`,
      a.userId, a.domain, a.deviceId, a.userName, a.authenticator, a.packId, a.serverKey,
      this.sealer.sealJson(a.keys, this.aad('accounts', 'keys')), a.nextOpkId, JSON.stringify(a.privacy), Date.now(),
    );
  }

  /** Forgets everything of this account (sign-out). */
  wipe(): void {
    this.transaction(() => {
      for (const table of ['chat_accounts', 'chat_opks', 'chat_devices', 'chat_sessions', 'chat_pending', 'chat_outbox', 'chat_processed', 'chat_contacts', 'chat_groups', 'chat_group_sessions', 'chat_group_chains', 'chat_deferred', 'chat_messages', 'chat_group_receipts']) {
        this.run(`DELETE FROM ${table} WHERE account = ?`);
      }
    });
  }

  // ── one-time pre-keys ─────────────────────────────────────────────────────────────────────────────
  addOpk(id: number, publicKey: Uint8Array, secretKey: Uint8Array): void {
    this.run('INSERT OR REPLACE INTO chat_opks (account, opk_id, secret, public) VALUES (?, ?, ?, ?)', id, this.sealer.seal(secretKey, this.aad('opks', String(id))), publicKey);
  }

  opk(id: number): { publicKey: Uint8Array; secretKey: Uint8Array } | null {
    const row = this.get('SELECT * FROM chat_opks WHERE account = ? AND opk_id = ?', id);
    if (!row) return null;
    return { publicKey: bytes(row.public), secretKey: this.sealer.open(bytes(row.secret), this.aad('opks', String(id))) };
  }

  deleteOpk(id: number): void {
    this.run('DELETE FROM chat_opks WHERE account = ? AND opk_id = ?', id);
  }

  // ── devices (own and peers'), with the identity keys learned from bundles and group infos ─────────────
  upsertDevice(ref: DeviceRef, keys: { kemPk?: Uint8Array | undefined; signPk?: Uint8Array | undefined } = {}): void {
    this.run(
      `INSERT INTO chat_devices (account, user_id, domain, device_id, kem_pk, sign_pk, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(account, user_id, domain, device_id) DO UPDATE SET kem_pk = COALESCE(excluded.kem_pk, kem_pk), sign_pk = COALESCE(excluded.sign_pk, sign_pk), updated_at = excluded.updated_at`,
      ref.userId, ref.domain, ref.deviceId, keys.kemPk ?? null, keys.signPk ?? null, Date.now(),
    );
  }

  devicesOf(user: UserRef): { ref: DeviceRef; kemPk: Uint8Array | null; signPk: Uint8Array | null }[] {
    return this.all('SELECT * FROM chat_devices WHERE account = ? AND user_id = ? AND domain = ? ORDER BY device_id', user.userId, user.domain).map((r) => ({
      ref: { userId: String(r.user_id), domain: String(r.domain), deviceId: String(r.device_id) },
      kemPk: r.kem_pk instanceof Uint8Array ? r.kem_pk : null,
      signPk: r.sign_pk instanceof Uint8Array ? r.sign_pk : null,
    }));
  }

  removeDevice(ref: DeviceRef): void {
    this.run('DELETE FROM chat_devices WHERE account = ? AND user_id = ? AND domain = ? AND device_id = ?', ref.userId, ref.domain, ref.deviceId);
    this.run('DELETE FROM chat_sessions WHERE account = ? AND peer_user = ? AND peer_domain = ? AND peer_device = ?', ref.userId, ref.domain, ref.deviceId);
  }

  // ── 1:1 sessions ─────────────────────────────────────────────────────────────────────────────────
  /** A session row read with SESSION_COLUMNS: its state comes from memory while the row holds that sealing. */
  private sessionFrom(r: Row): SessionRow {
    const sessionId = String(r.session_id);
    return {
      sessionId,
      peer: { userId: String(r.peer_user), domain: String(r.peer_domain), deviceId: String(r.peer_device) },
      responded: Number(r.responded) === 1,
      inviteT: Number(r.invite_t),
      state: this.openSessionState(sessionId, stampOf(r, 'state')),
      createdAt: Number(r.created_at),
    };
  }

  private openSessionState(sessionId: string, stamp: Uint8Array): unknown {
    const cached = this.sessionStates.get(sessionId, stamp);
    if (cached !== undefined) return cached.state;
    const row = this.get('SELECT state, keys FROM chat_sessions WHERE account = ? AND session_id = ?', sessionId);
    if (!row) throw new Error(`session ${sessionId} vanished while being read`);
    const sealed = bytes(row.state);
    const stored = this.sealer.openJson(sealed, this.aad('sessions', sessionId));
    // A row without keys holds its whole state (rows written before the keys had a column of their own, and
    // states with no long strings).
    if (row.keys === null) {
      this.sessionStates.set(sessionId, sealed, { state: stored, keys: null });
      return stored;
    }
    const keysSealed = bytes(row.keys);
    const wrapped = stored as { s?: unknown; k?: unknown } | null;
    if (typeof wrapped !== 'object' || wrapped === null || typeof wrapped.k !== 'string') throw new Error(`session ${sessionId}: stored state is malformed`);
    // The state names the sealing of the keys it was written with: keys from another write are refused.
    if (!Buffer.from(sealStamp(keysSealed)).equals(Buffer.from(wrapped.k, 'base64'))) throw new Error(`session ${sessionId}: stored keys do not belong to its state`);
    const large = this.sealer.openJson(keysSealed, this.aad('session_keys', sessionId));
    if (!Array.isArray(large) || !large.every((k) => typeof k === 'string')) throw new Error(`session ${sessionId}: stored keys are malformed`);
    const state = joinLarge(wrapped.s, large);
    this.sessionStates.set(sessionId, sealed, { state, keys: { stamp: sealStamp(keysSealed), large } });
    return state;
  }

  /**
   * The ratchet's small part (chain keys, counters) changes on every message, its KEM keys only when it turns:
   * the keys are sealed in a column of their own and rewritten only when they changed, and the state row names
   * the keys' sealing (IV ‖ tag) it belongs with. The keys are reused only when the row still holds the very
   * state sealing remembered with them (read here, a few hundred bytes), so a write rolled back or made by
   * another store simply writes the keys again.
   */
  saveSession(s: SessionRow): void {
    const { small, large } = splitLarge(s.state);
    let keys: SessionKeys | null = null;
    let keysSealed: Uint8Array | null = null;
    if (large.length > 0) {
      const now = this.get(`SELECT ${stampColumns('state')} FROM chat_sessions WHERE account = ? AND session_id = ?`, s.sessionId);
      const known = now ? this.sessionStates.get(s.sessionId, stampOf(now, 'state'))?.keys : undefined;
      if (known && sameStrings(known.large, large)) keys = known;
      else {
        keysSealed = this.sealer.sealJson(large, this.aad('session_keys', s.sessionId));
        keys = { stamp: sealStamp(keysSealed), large };
      }
    }
    const sealed = this.sealer.sealJson(keys ? { s: small, k: Buffer.from(keys.stamp).toString('base64') } : s.state, this.aad('sessions', s.sessionId));
    if (keys && !keysSealed) {
      this.run('UPDATE chat_sessions SET responded = ?2, invite_t = ?3, state = ?4 WHERE account = ?1 AND session_id = ?5', s.responded ? 1 : 0, s.inviteT, sealed, s.sessionId);
    } else {
      this.run(
        `INSERT INTO chat_sessions (account, session_id, peer_user, peer_domain, peer_device, responded, invite_t, state, keys, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(account, session_id) DO UPDATE SET responded = excluded.responded, invite_t = excluded.invite_t, state = excluded.state, keys = excluded.keys`,
        s.sessionId, s.peer.userId, s.peer.domain, s.peer.deviceId, s.responded ? 1 : 0, s.inviteT, sealed, keysSealed, s.createdAt,
      );
    }
    this.sessionStates.set(s.sessionId, sealed, { state: s.state, keys });
  }

  session(sessionId: string): SessionRow | null {
    const row = this.get(`SELECT ${SESSION_COLUMNS} FROM chat_sessions WHERE account = ? AND session_id = ?`, sessionId);
    return row ? this.sessionFrom(row) : null;
  }

  /**
   * Sessions with one peer device, the one to send on first (responded, then newest). Sorted here: a device has
   * a session or two per peer device, and SQLite's ORDER BY cost several times the lookup itself on every send.
   */
  sessionsWith(ref: DeviceRef): SessionRow[] {
    const rows = this.all(
      `SELECT rowid AS row_order, ${SESSION_COLUMNS} FROM chat_sessions WHERE account = ? AND peer_user = ? AND peer_domain = ? AND peer_device = ?`,
      ref.userId, ref.domain, ref.deviceId,
    );
    if (rows.length > 1) {
      rows.sort((a, b) => Number(b.responded) - Number(a.responded) || Number(b.created_at) - Number(a.created_at) || Number(b.row_order) - Number(a.row_order));
    }
    return rows.map((r) => this.sessionFrom(r));
  }

  /** Sessions we opened whose Accept has not come, invited at or before `invitedBefore`. */
  unansweredSessions(invitedBefore: number): SessionRow[] {
    return this.all(`SELECT ${SESSION_COLUMNS} FROM chat_sessions WHERE account = ? AND responded = 0 AND invite_t <= ? ORDER BY invite_t`, invitedBefore).map((r) => this.sessionFrom(r));
  }

  /** Devices of a user known from bundles and device notices (by device id), then those known only from sessions. */
  knownDevices(user: UserRef): DeviceRef[] {
    return this.all(
      `SELECT device_id FROM (
         SELECT device_id, 0 AS source FROM chat_devices WHERE account = ?1 AND user_id = ?2 AND domain = ?3
         UNION ALL SELECT peer_device, 1 FROM chat_sessions WHERE account = ?1 AND peer_user = ?2 AND peer_domain = ?3
       ) GROUP BY device_id ORDER BY MIN(source), device_id`,
      user.userId, user.domain,
    ).map((r) => ({ userId: user.userId, domain: user.domain, deviceId: String(r.device_id) }));
  }

  sessionPeers(user: UserRef): DeviceRef[] {
    return this.all('SELECT DISTINCT peer_user, peer_domain, peer_device FROM chat_sessions WHERE account = ? AND peer_user = ? AND peer_domain = ?', user.userId, user.domain).map((r) => ({
      userId: String(r.peer_user),
      domain: String(r.peer_domain),
      deviceId: String(r.peer_device),
    }));
  }

  deleteSession(sessionId: string): void {
    this.run('DELETE FROM chat_sessions WHERE account = ? AND session_id = ?', sessionId);
  }

  // ── plaintexts waiting for a session's Accept ───────────────────────────────────────────────────────
  addPending(sessionId: string, plaintext: Uint8Array, messageId: string | null): void {
    this.run('INSERT INTO chat_pending (account, session_id, plaintext, message_id) VALUES (?, ?, ?, ?)', sessionId, this.sealer.seal(plaintext, this.aad('pending', sessionId)), messageId);
  }

  takePending(sessionId: string): { plaintext: Uint8Array; messageId: string | null }[] {
    const rows = this.all('SELECT * FROM chat_pending WHERE account = ? AND session_id = ? ORDER BY id', sessionId);
    this.run('DELETE FROM chat_pending WHERE account = ? AND session_id = ?', sessionId);
    return rows.map((r) => ({ plaintext: this.sealer.open(bytes(r.plaintext), this.aad('pending', sessionId)), messageId: r.message_id === null ? null : String(r.message_id) }));
  }

  pendingCount(sessionId: string): number {
    return Number(this.get('SELECT COUNT(*) AS n FROM chat_pending WHERE account = ? AND session_id = ?', sessionId)?.n ?? 0);
  }

  // ── outbox of server requests, sent in order with retries ─────────────────────────────────────────
  enqueue(kind: string, body: unknown, messageId: string | null = null): void {
    const sealed = this.sealer.sealJson(body, this.aad('outbox', kind));
    const { lastInsertRowid } = this.statement('INSERT INTO chat_outbox (account, kind, body, message_id) VALUES (?, ?, ?, ?)').run(this.account, kind, sealed, messageId);
    this.outboxBodies.set(Number(lastInsertRowid), sealed, body);
  }

  /** The oldest entry due at `now` whose id is above `afterId` (entries already in flight are below it). */
  nextOutbox(now: number, afterId = 0): OutboxRow | null {
    return this.outboxDue(now, afterId, 1)[0] ?? null;
  }

  /** The oldest `limit` entries due at `now` with ids above `afterId`, oldest first. */
  outboxDue(now: number, afterId: number, limit: number): OutboxRow[] {
    return this.all('SELECT * FROM chat_outbox WHERE account = ? AND next_at <= ? AND id > ? ORDER BY id LIMIT ?', now, afterId, limit).map((row) => {
      const kind = String(row.kind);
      const id = Number(row.id);
      const sealed = bytes(row.body);
      const body = this.outboxBodies.get(id, sealStamp(sealed)) ?? this.sealer.openJson(sealed, this.aad('outbox', kind));
      return { id, kind, body, messageId: row.message_id === null ? null : String(row.message_id), attempts: Number(row.attempts) };
    });
  }

  earliestOutboxAt(): number | null {
    const row = this.get('SELECT MIN(next_at) AS at FROM chat_outbox WHERE account = ?');
    return row?.at === null || row?.at === undefined ? null : Number(row.at);
  }

  outboxDone(id: number): void {
    this.outboxBodies.delete(id);
    this.run('DELETE FROM chat_outbox WHERE account = ? AND id = ?', id);
  }

  outboxRetry(id: number, nextAt: number): void {
    this.run('UPDATE chat_outbox SET attempts = attempts + 1, next_at = ? WHERE account = ? AND id = ?', nextAt, id);
  }

  outboxSize(): number {
    return Number(this.get('SELECT COUNT(*) AS n FROM chat_outbox WHERE account = ?')?.n ?? 0);
  }

  // ── ProtoMsgs already processed (redelivery after a lost ack is answered with another ack) ─────────────
  /** Records that `member` (user@domain) has a group message; returns how many members have confirmed it. */
  addGroupReceipt(messageId: string, member: string): number {
    this.run('INSERT OR IGNORE INTO chat_group_receipts (account, message_id, member) VALUES (?, ?, ?)', messageId, member);
    return Number(this.get('SELECT COUNT(*) AS n FROM chat_group_receipts WHERE account = ? AND message_id = ?', messageId)?.n ?? 0);
  }

  wasProcessed(protoMsgId: string): boolean {
    return this.get('SELECT 1 AS x FROM chat_processed WHERE account = ? AND proto_msg_id = ?', protoMsgId) !== undefined;
  }

  markProcessed(protoMsgId: string): void {
    this.run('INSERT OR IGNORE INTO chat_processed (account, proto_msg_id, at) VALUES (?, ?, ?)', protoMsgId, Date.now());
  }

  pruneProcessed(olderThan: number): void {
    this.run('DELETE FROM chat_processed WHERE account = ? AND at < ?', olderThan);
  }

  // ── contacts ─────────────────────────────────────────────────────────────────────────────────────
  upsertContact(c: ContactRow): void {
    this.run(
      `INSERT INTO chat_contacts (account, user_id, domain, nickname, memo, status, blocked, verified, modified) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(account, user_id, domain) DO UPDATE SET nickname = excluded.nickname, memo = excluded.memo, status = excluded.status, blocked = excluded.blocked, verified = excluded.verified, modified = excluded.modified`,
      c.userId, c.domain, c.nickname, c.memo, c.status, c.blocked ? 1 : 0, c.verified ? 1 : 0, c.modified,
    );
  }

  private contactFrom(r: Row): ContactRow {
    return { userId: String(r.user_id), domain: String(r.domain), nickname: String(r.nickname), memo: String(r.memo), status: Number(r.status), blocked: Number(r.blocked) === 1, verified: Number(r.verified) === 1, modified: Number(r.modified) };
  }

  contact(user: UserRef): ContactRow | null {
    const row = this.get('SELECT * FROM chat_contacts WHERE account = ? AND user_id = ? AND domain = ?', user.userId, user.domain);
    return row ? this.contactFrom(row) : null;
  }

  contacts(): ContactRow[] {
    return this.all('SELECT * FROM chat_contacts WHERE account = ? ORDER BY user_id').map((r) => this.contactFrom(r));
  }

  // ── groups ───────────────────────────────────────────────────────────────────────────────────────
  saveGroup(g: GroupRow): void {
    this.run(
      `INSERT INTO chat_groups (account, group_id, name, members, member_devices, stale, active, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(account, group_id) DO UPDATE SET name = excluded.name, members = excluded.members, member_devices = excluded.member_devices, stale = excluded.stale, active = excluded.active, updated_at = excluded.updated_at`,
      g.groupId, g.name, JSON.stringify(g.members), JSON.stringify(g.memberDevices), g.stale ? 1 : 0, g.active ? 1 : 0, g.updatedAt,
    );
  }

  private groupFrom(r: Row): GroupRow {
    return {
      groupId: String(r.group_id),
      name: String(r.name),
      members: JSON.parse(String(r.members)) as GroupRow['members'],
      memberDevices: JSON.parse(String(r.member_devices)) as GroupRow['memberDevices'],
      stale: Number(r.stale) === 1,
      active: Number(r.active) === 1,
      updatedAt: Number(r.updated_at),
    };
  }

  group(groupId: string): GroupRow | null {
    const row = this.get('SELECT * FROM chat_groups WHERE account = ? AND group_id = ?', groupId);
    return row ? this.groupFrom(row) : null;
  }

  groups(): GroupRow[] {
    return this.all('SELECT * FROM chat_groups WHERE account = ? ORDER BY name').map((r) => this.groupFrom(r));
  }

  saveGroupSession(sessionId: string, groupId: string, seed: Uint8Array, ownChain: unknown | null): void {
    this.run(
      `INSERT INTO chat_group_sessions (account, session_id, group_id, seed, own_chain, created_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT(account, session_id) DO UPDATE SET own_chain = excluded.own_chain`,
      sessionId, groupId, this.sealer.seal(seed, this.aad('group_seed', sessionId)),
      ownChain === null ? null : this.sealer.sealJson(ownChain, this.aad('group_own', sessionId)), Date.now(),
    );
  }

  groupSession(sessionId: string): { groupId: string; seed: Uint8Array; ownChain: unknown | null; createdAt: number } | null {
    const row = this.get('SELECT * FROM chat_group_sessions WHERE account = ? AND session_id = ?', sessionId);
    if (!row) return null;
    return {
      groupId: String(row.group_id),
      seed: this.sealer.open(bytes(row.seed), this.aad('group_seed', sessionId)),
      ownChain: row.own_chain instanceof Uint8Array ? this.sealer.openJson(row.own_chain, this.aad('group_own', sessionId)) : null,
      createdAt: Number(row.created_at),
    };
  }

  latestGroupSessionId(groupId: string): string | null {
    const row = this.get('SELECT session_id FROM chat_group_sessions WHERE account = ? AND group_id = ? AND own_chain IS NOT NULL ORDER BY created_at DESC, rowid DESC LIMIT 1', groupId);
    return row ? String(row.session_id) : null;
  }

  /** Every session of a group, newest first (an add's successor may follow any of them). */
  groupSessionIds(groupId: string): string[] {
    return this.all('SELECT session_id FROM chat_group_sessions WHERE account = ? AND group_id = ? ORDER BY created_at DESC, rowid DESC', groupId).map((r) => String(r.session_id));
  }

  deleteGroupSessions(groupId: string): void {
    const ids = this.all('SELECT session_id FROM chat_group_sessions WHERE account = ? AND group_id = ?', groupId).map((r) => String(r.session_id));
    for (const id of ids) this.run('DELETE FROM chat_group_chains WHERE account = ? AND session_id = ?', id);
    this.run('DELETE FROM chat_group_sessions WHERE account = ? AND group_id = ?', groupId);
  }

  groupChain(sessionId: string, sender: string): unknown | null {
    const row = this.get('SELECT chain FROM chat_group_chains WHERE account = ? AND session_id = ? AND sender = ?', sessionId, sender);
    return row ? this.sealer.openJson(bytes(row.chain), this.aad('group_chain', `${sessionId}/${sender}`)) : null;
  }

  saveGroupChain(sessionId: string, sender: string, chain: unknown): void {
    this.run('INSERT OR REPLACE INTO chat_group_chains (account, session_id, sender, chain) VALUES (?, ?, ?, ?)', sessionId, sender, this.sealer.sealJson(chain, this.aad('group_chain', `${sessionId}/${sender}`)));
  }

  /** Group messages that arrived before their seed; replayed when it does. */
  defer(sessionId: string, body: Uint8Array): void {
    this.db.prepare('INSERT INTO chat_deferred (account, session_id, body, at) VALUES (?, ?, ?, ?)').run(this.account, sessionId, this.sealer.seal(body, this.aad('deferred', sessionId)), Date.now());
    this.db.prepare('DELETE FROM chat_deferred WHERE account = ? AND id NOT IN (SELECT id FROM chat_deferred WHERE account = ? ORDER BY id DESC LIMIT 2000)').run(this.account, this.account);
  }

  deferredSessionIds(): string[] {
    return this.all('SELECT DISTINCT session_id FROM chat_deferred WHERE account = ?').map((r) => String(r.session_id));
  }

  takeDeferred(sessionId: string): Uint8Array[] {
    const rows = this.all('SELECT * FROM chat_deferred WHERE account = ? AND session_id = ? ORDER BY id', sessionId);
    this.run('DELETE FROM chat_deferred WHERE account = ? AND session_id = ?', sessionId);
    return rows.map((r) => this.sealer.open(bytes(r.body), this.aad('deferred', sessionId)));
  }

  // ── messages (bodies sealed) ────────────────────────────────────────────────────────────────────────
  /** False (and nothing written) when a message with this id is already stored. */
  insertMessage(m: MessageRow, image: Uint8Array | null): boolean {
    const body = this.sealer.sealText(m.text, this.aad('msg', m.id));
    const { changes } = this.statement(
      `INSERT INTO chat_messages (account, id, conv_type, conv_id, sender, direction, kind, body, image, mime, image_bytes, state, pending_sends, sent_at, created_at, seen)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(account, id) DO NOTHING`,
    ).run(
      this.account, m.id, m.convType, m.convId, m.sender, m.direction, m.kind, body,
      image ? this.sealer.seal(image, this.aad('img', m.id)) : null, m.mime, m.imageBytes, m.state, m.pendingSends, m.sentAt, m.createdAt, m.seen ? 1 : 0,
    );
    if (Number(changes) > 0) this.messageTexts.set(m.id, body, m.text);
    return Number(changes) > 0;
  }

  /** A message's delivery state without opening its text (the outbox updates it on every answer). */
  messageSendState(id: string): { state: MessageState; pendingSends: number } | null {
    const row = this.get('SELECT state, pending_sends FROM chat_messages WHERE account = ? AND id = ?', id);
    return row ? { state: String(row.state) as MessageState, pendingSends: Number(row.pending_sends) } : null;
  }

  private messageFrom(r: Row): MessageRow {
    const id = String(r.id);
    return {
      id,
      convType: String(r.conv_type) === 'group' ? 'group' : 'user',
      convId: String(r.conv_id),
      sender: String(r.sender),
      direction: String(r.direction) === 'out' ? 'out' : 'in',
      kind: String(r.kind) === 'image' ? 'image' : 'text',
      text: this.messageText(id, bytes(r.body)),
      mime: r.mime === null ? null : String(r.mime),
      imageBytes: Number(r.image_bytes),
      state: String(r.state) as MessageState,
      pendingSends: Number(r.pending_sends),
      sentAt: Number(r.sent_at),
      createdAt: Number(r.created_at),
      seen: Number(r.seen) === 1,
    };
  }

  /** A message's text; one stored lately (a receipt for it comes back within seconds) is read from memory. */
  private messageText(id: string, sealed: Uint8Array): string {
    const known = this.messageTexts.get(id, sealStamp(sealed));
    if (known !== undefined) return known;
    const text = this.sealer.openText(sealed, this.aad('msg', id));
    this.messageTexts.set(id, sealed, text);
    return text;
  }

  message(id: string): MessageRow | null {
    const row = this.get('SELECT * FROM chat_messages WHERE account = ? AND id = ?', id);
    return row ? this.messageFrom(row) : null;
  }

  image(id: string): Uint8Array | null {
    const row = this.get('SELECT image FROM chat_messages WHERE account = ? AND id = ?', id);
    return row?.image instanceof Uint8Array ? this.sealer.open(row.image, this.aad('img', id)) : null;
  }

  setMessageState(id: string, state: MessageState, pendingSends?: number): void {
    if (pendingSends === undefined) this.run('UPDATE chat_messages SET state = ?2 WHERE account = ?1 AND id = ?3', state, id);
    else this.run('UPDATE chat_messages SET state = ?2, pending_sends = ?3 WHERE account = ?1 AND id = ?4', state, pendingSends, id);
  }

  addPendingSends(id: string, delta: number): void {
    this.run('UPDATE chat_messages SET pending_sends = MAX(0, pending_sends + ?2) WHERE account = ?1 AND id = ?3', delta, id);
  }

  messages(convType: string, convId: string, before: number | null, limit: number): MessageRow[] {
    return this.all(
      'SELECT * FROM chat_messages WHERE account = ? AND conv_type = ? AND conv_id = ? AND created_at < ? ORDER BY created_at DESC, rowid DESC LIMIT ?',
      convType, convId, before ?? Number.MAX_SAFE_INTEGER, limit,
    ).map((r) => this.messageFrom(r)).reverse();
  }

  conversations(): { convType: 'user' | 'group'; convId: string; unread: number; last: MessageRow }[] {
    const rows = this.all(
      `SELECT m.* , (SELECT COUNT(*) FROM chat_messages u WHERE u.account = m.account AND u.conv_type = m.conv_type AND u.conv_id = m.conv_id AND u.direction = 'in' AND u.seen = 0) AS unread
       FROM chat_messages m WHERE m.account = ? AND m.rowid = (SELECT rowid FROM chat_messages x WHERE x.account = m.account AND x.conv_type = m.conv_type AND x.conv_id = m.conv_id ORDER BY created_at DESC, rowid DESC LIMIT 1)
       ORDER BY m.created_at DESC`,
    );
    return rows.map((r) => {
      const last = this.messageFrom(r);
      return { convType: last.convType, convId: last.convId, unread: Number(r.unread), last };
    });
  }

  markSeen(convType: string, convId: string): number {
    const result = this.db.prepare("UPDATE chat_messages SET seen = 1 WHERE account = ? AND conv_type = ? AND conv_id = ? AND direction = 'in' AND seen = 0").run(this.account, convType, convId);
    return Number(result.changes);
  }
}
