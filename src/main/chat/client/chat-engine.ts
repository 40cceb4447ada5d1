import { Pump } from '../../../shared/async';
import { ResponseCode } from '../../gen/skissm/common';
import { ProtoMsg } from '../../gen/skissm/proto_msg';
import { Plaintext } from '../../gen/skissm/plaintext';
import { ProtoMsgOpState } from '../../gen/skissm/requests';
import type { Logger } from '../../log';
import { SUITE_MLDSA87_MLKEM1024_AES256GCM_SHA256, safetyFingerprint, systemRandom, VerifiedBatches, verifyServerSignatures, type CipherSuite, type RandomSource } from '../crypto';
import { deviceAddress, deviceOf, groupAddress, sameDevice, sameUser, simpleAddress, type DeviceRef, type UserRef } from '../protocol/address';
import { encodeAppPayload, MAX_IMAGE_BYTES, type AppHeader } from '../protocol/app-payload';
import { preKeyBundleFingerprint, protoMsgFingerprint } from '../protocol/fingerprints';
import { checkServerPin, normalizePin } from '../protocol/server-pin';
import { PortError, type SkiserverPort } from '../protocol/skiserver-port';
import type { ChatStore, MessageRow, OutboxRow } from '../store/chat-store';
import { accountKeysFromJson, accountKeysToJson, INITIAL_OPKS, newAccountKeys, newSignedPreKey, type AccountKeys } from './account-keys';
import { ChatRequestError, isOk, newId, refusal, rpcBody, rpcRequest, type ChangeKind, type EngineCore, type OutboxBody } from './engine-core';
import { addGroupMembers, removeGroupMembers } from './group-members';
import { createGroup, reseedGroup, sendGroupPayload } from './groups';
import { applyProtoMsg, emptyResult, mergeResult, saveFriendship, sendReceipts, type InboundResult } from './inbound';
import { deliver, ensureSessions, REINVITE_AFTER_MS, reinviteUnanswered } from './sessions';

export interface EngineOptions {
  store: ChatStore;
  port: SkiserverPort;
  log: Logger;
  random?: RandomSource;
  /** Called with every fresh auth token (the transport puts it into call metadata). */
  onAuth?: (token: string) => void;
  onMessages?: (rows: MessageRow[]) => void;
  onChange?: (kind: ChangeKind) => void;
  onFriendRequest?: (from: string) => void;
  /**
   * While a backlog is worked off (a device back online after many messages arrived): how many ProtoMsgs
   * this run has stored and how many have arrived but wait. Ends with `waiting: 0`.
   */
  onProgress?: (progress: CatchUpProgress) => void;
  /** The clock for invite retries (tests move it on instead of waiting a minute). */
  now?: () => number;
  /** Re-send an invite still unanswered after `retryAfterMs` (60 s, as SKISSM), checked every `checkEveryMs`. */
  invites?: { retryAfterMs?: number; checkEveryMs?: number };
  /** SHA-256 of the server's signing key (hex or base64): pinned instead of trusted on first use. */
  serverKeyPin?: string;
  /** Recompute msg_fingerprint and require it to match (on by default; see protocol/fingerprints.ts). */
  recomputeFingerprint?: boolean;
}

export interface CatchUpProgress {
  stored: number;
  waiting: number;
}

export interface RegistrationInput {
  userId: string;
  userName: string;
  authenticator: string;
  authCode: string;
}

const MAX_ATTEMPTS = 8;
/** ProtoMsgs applied in one transaction: large enough to amortise the commit, small enough to report progress often. */
const MAX_BATCH = 256;
/** Acknowledgements outstanding before processing waits for them (bounds memory while catching up). */
const MAX_ACKS_IN_FLIGHT = 512;
/** Outbox requests in flight at once (they leave in order on one HTTP/2 connection). */
const OUTBOX_WINDOW = 32;
/** How long delivery receipts gather before they are sent. */
const RECEIPT_DELAY_MS = 200;
const VERSION = '\x01';

/**
 * The SKISSM client state machine for one device: account, sessions, groups, friends, the outbox of server
 * requests and the processing of received ProtoMsgs (verify → apply → commit → acknowledge). It talks to the
 * server only through SkiserverPort and to the disk only through ChatStore.
 */
export class ChatEngine implements EngineCore {
  readonly store: ChatStore;
  readonly port: SkiserverPort;
  readonly suite: CipherSuite = SUITE_MLDSA87_MLKEM1024_AES256GCM_SHA256;
  readonly random: RandomSource;
  readonly log: Logger;
  readonly me: DeviceRef;
  userName: string;
  keys: AccountKeys;
  serverKey: Uint8Array;
  private inbox: Promise<void> = Promise.resolve();
  private incoming: ProtoMsg[] = [];
  private draining = false;
  private readonly acks = new Set<Promise<void>>();
  private readonly verifiedBatches = new VerifiedBatches();
  /** The outbox worker: one drain at a time, once more if kicked meanwhile. */
  private readonly outbox = new Pump({
    drain: () => this.drainOutbox(),
    halted: () => this.stopped,
    settled: () => this.scheduleNextPump(),
  });
  private pumpTimer: NodeJS.Timeout | null = null;
  private reinviteTimer: NodeJS.Timeout | null = null;
  private receiptTimer: NodeJS.Timeout | null = null;
  private readonly owed: InboundResult = emptyResult();
  private stopped = false;
  private loginInFlight: Promise<void> | null = null;
  /** Server answers to outbox requests, recorded together at the end of the turn (see finish). */
  private readonly answered: { id: number; messageId: string | null; outcome: 'done' | 'failed' }[] = [];
  /** 1:1 messages whose requests are still in the outbox, as last given out (finish reports them from here). */
  private readonly sending = new Map<string, MessageRow>();

  private constructor(private readonly options: EngineOptions) {
    this.store = options.store;
    this.port = options.port;
    this.log = options.log;
    this.random = options.random ?? systemRandom;
    const account = this.store.loadAccount();
    if (!account) throw new Error('no chat account stored');
    this.me = { userId: account.userId, domain: account.domain, deviceId: account.deviceId };
    this.userName = account.userName;
    this.keys = accountKeysFromJson(account.keys);
    this.serverKey = account.serverKey;
    if (this.keys.auth) options.onAuth?.(this.keys.auth);
  }

  /** Opens the engine of an account already in the store, or null when there is none. */
  static open(options: EngineOptions): ChatEngine | null {
    return options.store.loadAccount() ? new ChatEngine(options) : null;
  }

  static async acquireAuthCode(port: SkiserverPort, authenticator: string): Promise<number> {
    const response = await port.call('acquireAuthCode', { authenticator });
    if (!isOk(response.code)) throw refusal(response);
    return response.ttl;
  }

  /**
   * Registers this device: new identity, signed pre-key and 100 one-time pre-keys, RegisterUser with the
   * emailed code, then sessions to our other devices and known contacts (as SKISSM does after registering).
   * A user id that exists with the same authenticator adds a device to that user.
   */
  static async register(options: EngineOptions, input: RegistrationInput): Promise<ChatEngine> {
    const random = options.random ?? systemRandom;
    const suite = SUITE_MLDSA87_MLKEM1024_AES256GCM_SHA256;
    // A malformed pin is refused before anything goes to the server (the key itself only comes back in the answer).
    if (options.serverKeyPin) normalizePin(options.serverKeyPin);
    const keys = newAccountKeys(suite, random);
    const opks = Array.from({ length: INITIAL_OPKS }, (_, i) => ({ id: i + 1, pair: suite.kem.generateKeyPair(random) }));
    const deviceId = newId(random);
    const response = await options.port.call(
      'registerUser',
      {
        userName: input.userName,
        userId: input.userId,
        deviceId,
        authenticator: input.authenticator,
        authCode: input.authCode,
        e2eePackId: suite.packId,
        identityKeyPublic: { asymPublicKey: Buffer.from(keys.identityKem.publicKey), signPublicKey: Buffer.from(keys.identitySign.publicKey) },
        signedPreKeyPublic: { spkId: keys.signedPreKey.id, publicKey: Buffer.from(keys.signedPreKey.publicKey), signature: Buffer.from(keys.signedPreKey.signature) },
        oneTimePreKeyList: opks.map((o) => ({ opkId: o.id, publicKey: Buffer.from(o.pair.publicKey) })),
      },
      { timeoutMs: 30_000 },
    );
    if (!isOk(response.code)) throw new RegistrationError(response.code, response.msg);
    const address = deviceOf(response.address);
    const serverKey = response.serverCert?.cert?.publicKey;
    if (!address || address.deviceId !== deviceId || !serverKey || serverKey.length !== suite.sizes.signPublicKey) {
      throw new Error('the server answered the registration with an incomplete account');
    }
    checkServerPin(serverKey, options.serverKeyPin);
    keys.password = response.password;
    keys.auth = response.auth;
    keys.authExpires = Number(response.expiresIn) || Date.now() + 3_600_000;
    const { store } = options;
    store.transaction(() => {
      store.saveAccount({
        userId: address.userId,
        domain: address.domain,
        deviceId,
        userName: response.username || input.userName,
        authenticator: response.authenticator || input.authenticator,
        packId: suite.packId,
        // Trust on first use: the certificate key from registration signs everything from now on.
        serverKey,
        nextOpkId: INITIAL_OPKS + 1,
        privacy: { allowAttention: true, allowGreeting: true, allowAutoFriend: false },
        keys: accountKeysToJson(keys),
      });
      for (const o of opks) store.addOpk(o.id, o.pair.publicKey, o.pair.secretKey);
    });
    const engine = new ChatEngine(options);
    store.transaction(() => {
      for (const other of response.otherDeviceAddressList) {
        const device = deviceOf(other);
        if (device) {
          store.upsertDevice(device);
          store.enqueue('ensureSessions', { type: 'ensureSessions', userId: device.userId, domain: device.domain, deviceId: device.deviceId });
        }
      }
      for (const group of response.groupInfoList) {
        const id = group.groupAddress?.peer?.$case === 'group' ? group.groupAddress.peer.value.groupId : '';
        if (id) store.saveGroup({ groupId: id, name: group.groupName, members: group.groupMemberList.map((m) => ({ userId: m.userId, domain: m.domain, role: m.role })), memberDevices: [], stale: true, active: true, updatedAt: Date.now() });
      }
    });
    return engine;
  }

  // ── lifecycle ────────────────────────────────────────────────────────────────────────────────────
  /** Refreshes the auth token when needed, rotates an expired signed pre-key, syncs friends, starts the outbox. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.ensureAuth();
    this.rotateSignedPreKeyIfExpired();
    await this.syncFriends().catch((err: unknown) => this.log.warn('friend list sync failed', errText(err)));
    this.kick();
    if (!this.reinviteTimer) {
      this.reinviteTimer = setInterval(() => this.retryUnansweredInvites(), this.options.invites?.checkEveryMs ?? 10_000);
      this.reinviteTimer.unref();
    }
  }

  /** Re-sends the invites that had no Accept in time (the timer calls this; tests may call it directly). */
  retryUnansweredInvites(): number {
    if (this.stopped) return 0;
    const count = reinviteUnanswered(this, this.options.now?.() ?? Date.now(), this.options.invites?.retryAfterMs ?? REINVITE_AFTER_MS);
    if (count > 0) this.log.info(`re-sent ${count} unanswered invite(s)`);
    return count;
  }

  stop(): void {
    this.flushReceipts();
    this.recordAnswers();
    this.stopped = true;
    if (this.reinviteTimer) clearInterval(this.reinviteTimer);
    this.reinviteTimer = null;
    if (this.pumpTimer) clearTimeout(this.pumpTimer);
    this.pumpTimer = null;
  }

  /** Resolves when every ProtoMsg received so far has been processed and acknowledged. */
  idle(): Promise<void> {
    return this.inbox;
  }

  async ensureAuth(force = false): Promise<void> {
    if (!force && this.keys.auth && this.keys.authExpires > Date.now() + 60_000) return;
    this.loginInFlight ??= this.login().finally(() => (this.loginInFlight = null));
    await this.loginInFlight;
  }

  private async login(): Promise<void> {
    const response = await this.port.call('login', { userAddress: deviceAddress(this.me), password: this.keys.password });
    if (!isOk(response.code)) throw new PortError('rejected', `login refused: ${response.msg || response.code}`);
    this.keys = { ...this.keys, auth: response.auth, authExpires: Number(response.expiresIn) || Date.now() + 3_600_000 };
    this.saveKeys();
    this.options.onAuth?.(response.auth);
  }

  async logout(): Promise<void> {
    await this.port.call('logout', { userAddress: deviceAddress(this.me) }).catch(() => undefined);
    this.stop();
  }

  private saveKeys(): void {
    const account = this.store.loadAccount();
    if (account) this.store.saveAccount({ ...account, keys: accountKeysToJson(this.keys) });
  }

  private rotateSignedPreKeyIfExpired(): void {
    if (this.keys.signedPreKey.ttl > Date.now()) return;
    const next = newSignedPreKey(this.suite, this.keys.identitySign, this.keys.signedPreKey.id + 1, this.random);
    this.keys = { ...this.keys, signedPreKey: next, previousSignedPreKeys: [this.keys.signedPreKey, ...this.keys.previousSignedPreKeys].slice(0, 2) };
    this.store.transaction(() => {
      this.saveKeys();
      this.store.enqueue('rpc', rpcBody('publishSpk', { userAddress: deviceAddress(this.me), signedPreKeyPublic: { spkId: next.id, publicKey: Buffer.from(next.publicKey), signature: Buffer.from(next.signature) } }));
    });
  }

  // ── EngineCore hooks ──────────────────────────────────────────────────────────────────────────────
  kick(): void {
    void this.outbox.request();
  }

  messagesChanged(rows: MessageRow[]): void {
    if (rows.length > 0) this.options.onMessages?.(rows);
  }

  changed(kind: ChangeKind): void {
    this.options.onChange?.(kind);
  }

  // ── receiving ────────────────────────────────────────────────────────────────────────────────────
  /** Queues a ProtoMsg from the stream; they are processed in arrival order, in batches. */
  receive(msg: ProtoMsg): void {
    this.incoming.push(msg);
    if (this.draining) return;
    this.draining = true;
    this.inbox = this.inbox.then(() => this.drainIncoming()).catch((err: unknown) => this.log.error('processing ProtoMsgs failed', errText(err)));
  }

  private async drainIncoming(): Promise<void> {
    let stored = 0;
    let reporting = false;
    let lastWaiting = 0;
    try {
      for (;;) {
        if (this.incoming.length === 0) {
          // Done once everything is acknowledged too; whatever arrived meanwhile is processed first.
          if (this.acks.size === 0) return;
          await Promise.all(this.acks);
          continue;
        }
        // One turn of the event loop lets a burst from the stream gather into one batch.
        await new Promise<void>((resolve) => setImmediate(resolve));
        const batch = this.incoming.splice(0, MAX_BATCH);
        this.processBatch(batch);
        stored += batch.length;
        // Progress only for a real backlog: a message or two at a time is ordinary traffic.
        reporting ||= this.incoming.length > 0;
        lastWaiting = this.incoming.length;
        if (reporting) this.options.onProgress?.({ stored, waiting: lastWaiting });
        if (this.acks.size >= MAX_ACKS_IN_FLIGHT) await Promise.all(this.acks);
      }
    } finally {
      this.draining = false;
      // Also after a failure, so no progress indicator is left hanging.
      if (reporting && lastWaiting !== 0) this.options.onProgress?.({ stored, waiting: 0 });
    }
  }

  /**
   * Verifies every message (a batch signature once), applies the batch in one transaction — each message in
   * its own savepoint, so a bad one is recorded as failed without undoing the others — and only then
   * acknowledges them: a crash before the commit loses nothing the server would not redeliver.
   */
  private processBatch(batch: readonly ProtoMsg[]): void {
    const accepted: { id: string; msg: ProtoMsg }[] = [];
    for (const msg of batch) {
      try {
        verifyServerSignatures(
          this.suite,
          this.serverKey,
          msg.signatureList.map((s) => ({ version: s.version, signingAlg: s.signingAlg, hashAlg: s.hashAlg, msgFingerprint: s.msgFingerprint, signature: s.signature })),
          this.options.recomputeFingerprint === false ? undefined : protoMsgFingerprint(msg),
          this.verifiedBatches,
        );
      } catch (err) {
        // Not acknowledged: a message the pinned server key did not sign is not the server's to delete.
        this.log.warn('ProtoMsg refused: server signature does not verify', errText(err));
        continue;
      }
      if (msg.payload?.$case === 'serverHeartbeatMsg') continue;
      const id = msg.tag?.protoMsgId;
      if (id) accepted.push({ id, msg });
    }
    if (accepted.length === 0) return;
    const result = emptyResult();
    const outcomes: { id: string; state: ProtoMsgOpState }[] = [];
    this.store.transaction(() => {
      for (const { id, msg } of accepted) {
        const to = deviceOf(msg.to);
        if (this.store.wasProcessed(id) || (to && !sameDevice(to, this.me))) {
          outcomes.push({ id, state: ProtoMsgOpState.PROTO_MSG_OP_STATE_SUCCEEDEDED });
          continue;
        }
        const own = emptyResult();
        try {
          this.store.savepoint(() => {
            applyProtoMsg(this, msg, own);
            this.store.markProcessed(id);
          });
          mergeResult(result, own);
          outcomes.push({ id, state: ProtoMsgOpState.PROTO_MSG_OP_STATE_SUCCEEDEDED });
        } catch (err) {
          // Undecryptable or malformed: recorded (so a redelivery is not retried) and consumed, as SKISSM does.
          this.log.warn(`ProtoMsg ${msg.payload?.$case ?? 'empty'} could not be processed`, errText(err));
          this.store.markProcessed(id);
          outcomes.push({ id, state: /signature/i.test(errText(err)) ? ProtoMsgOpState.PROTO_MSG_OP_STATE_FAILED_SIGNATURE : ProtoMsgOpState.PROTO_MSG_OP_STATE_FAILED_DECRYPTION });
        }
      }
      this.oweReceipts(result);
    });
    // Committed first, acknowledged second: a crash in between only causes a redelivery we recognise.
    for (const { id, state } of outcomes) {
      const ack = this.ack(id, state).finally(() => this.acks.delete(ack));
      this.acks.add(ack);
    }
    for (const sessionId of new Set(result.replaySessions)) this.replayDeferred(sessionId, result);
    this.report(result);
    this.kick();
  }

  /**
   * Receipts wait up to RECEIPT_DELAY_MS and leave together: every receipt turns the 1:1 ratchet round (a new
   * ML-KEM key pair on each side), so one per burst instead of one per batch keeps a busy chat one-way. A
   * crash in that window loses only the "delivered" tick, never a message.
   */
  private oweReceipts(result: InboundResult): void {
    mergeResult(this.owed, { ...emptyResult(), receipts: result.receipts });
    result.receipts.clear();
    if (this.owed.receipts.size === 0 || this.receiptTimer) return;
    this.receiptTimer = setTimeout(() => this.flushReceipts(), RECEIPT_DELAY_MS);
    this.receiptTimer.unref();
  }

  /** Queues every owed receipt now (the timer, and stop, call this). */
  flushReceipts(): void {
    if (this.receiptTimer) clearTimeout(this.receiptTimer);
    this.receiptTimer = null;
    if (this.owed.receipts.size === 0) return;
    this.store.transaction(() => sendReceipts(this, this.owed));
    this.kick();
  }

  private replayDeferred(sessionId: string, result: InboundResult): void {
    for (const bytes of this.store.takeDeferred(sessionId)) {
      try {
        this.store.transaction(() => {
          const own = emptyResult();
          applyProtoMsg(this, ProtoMsg.decode(bytes), own);
          this.oweReceipts(own);
          mergeResult(result, own);
        });
      } catch (err) {
        this.log.warn('deferred group message could not be processed', errText(err));
      }
    }
  }

  private report(result: InboundResult): void {
    this.messagesChanged(result.messages);
    if (result.messages.length > 0) this.changed('conversations');
    if (result.contactsChanged) this.changed('contacts');
    if (result.groupsChanged) this.changed('groups');
    if (result.devicesChanged) this.changed('devices');
    if (result.friendRequestFrom) this.options.onFriendRequest?.(result.friendRequestFrom);
  }

  private async ack(protoMsgId: string, state: ProtoMsgOpState): Promise<void> {
    try {
      const response = await this.port.call('consumeProtoMsg', { protoMsgId, state }, { timeoutMs: 5000 });
      if (!isOk(response.code) && response.code !== ResponseCode.RESPONSE_CODE_NOT_FOUND) this.log.warn(`ConsumeProtoMsg answered ${response.code}`);
    } catch (err) {
      // The server redelivers it later; the processed-id record makes that harmless.
      this.log.debug('ConsumeProtoMsg failed', errText(err));
    }
  }

  // ── sending ──────────────────────────────────────────────────────────────────────────────────────
  async sendText(conv: { type: 'user' | 'group'; id: string }, text: string): Promise<MessageRow> {
    const header: AppHeader = { v: 1, kind: 'text', id: newId(this.random), conv, text, sentAt: Date.now() };
    return this.sendPayload(header, new Uint8Array(0));
  }

  async sendImage(conv: { type: 'user' | 'group'; id: string }, image: { bytes: Uint8Array; mime: 'image/jpeg' | 'image/png' | 'image/gif' | 'image/webp'; name: string; caption: string }): Promise<MessageRow> {
    if (image.bytes.length === 0 || image.bytes.length > MAX_IMAGE_BYTES) throw new ChatRequestError('invalid', `images must be 1 byte to ${MAX_IMAGE_BYTES / 1024 / 1024} MB`);
    const header: AppHeader = { v: 1, kind: 'image', id: newId(this.random), conv, mime: image.mime, name: image.name, caption: image.caption, sentAt: Date.now() };
    return this.sendPayload(header, image.bytes);
  }

  /** Sends a failed message again (same id, so receivers that already have it ignore the copy). */
  async retry(messageId: string): Promise<MessageRow> {
    const row = this.store.message(messageId);
    if (!row || row.direction !== 'out') throw new ChatRequestError('not-found', 'no such outgoing message');
    const conv = { type: row.convType, id: row.convId };
    const header: AppHeader =
      row.kind === 'image'
        ? { v: 1, kind: 'image', id: row.id, conv, mime: (row.mime ?? 'image/jpeg') as 'image/jpeg', name: '', caption: row.text, sentAt: row.sentAt }
        : { v: 1, kind: 'text', id: row.id, conv, text: row.text, sentAt: row.sentAt };
    return this.sendPayload(header, row.kind === 'image' ? (this.store.image(row.id) ?? new Uint8Array(0)) : new Uint8Array(0), row);
  }

  private async sendPayload(header: AppHeader, body: Uint8Array, existing?: MessageRow): Promise<MessageRow> {
    if (header.kind === 'receipt') throw new ChatRequestError('invalid', 'receipts are not sent this way');
    const payload = encodeAppPayload({ header, body });
    const row: MessageRow = existing
      ? { ...existing, state: 'sending' }
      : {
          id: header.id,
          convType: header.conv.type,
          convId: header.conv.id,
          sender: simpleAddress(this.me),
          direction: 'out',
          kind: header.kind,
          text: header.kind === 'text' ? header.text : header.caption,
          mime: header.kind === 'image' ? header.mime : null,
          imageBytes: header.kind === 'image' ? body.length : 0,
          state: 'sending',
          pendingSends: 0,
          sentAt: header.sentAt,
          createdAt: Date.now(),
          seen: true,
        };
    try {
      if (header.conv.type === 'group') {
        this.store.transaction(() => {
          if (!existing) this.store.insertMessage(row, header.kind === 'image' ? body : null);
          this.store.setMessageState(row.id, 'sending', 1);
        });
        this.messagesChanged([row]);
        await sendGroupPayload(this, header.conv.id, payload, row.id);
      } else {
        const peer = parseUser(header.conv.id);
        if (sameUser(peer, this.me)) throw new ChatRequestError('invalid', 'cannot message yourself');
        if (this.peerDevices(peer).length === 0) await ensureSessions(this, peer);
        const peerDevices = this.peerDevices(peer);
        if (peerDevices.length === 0) throw new ChatRequestError('not-found', `${header.conv.id} has no devices`);
        const ownDevices = this.peerDevices(this.me).filter((d) => !sameDevice(d, this.me));
        row.pendingSends = peerDevices.length + ownDevices.length;
        this.store.transaction(() => {
          if (!existing) this.store.insertMessage(row, header.kind === 'image' ? body : null);
          else this.store.setMessageState(row.id, 'sending', row.pendingSends);
          deliver(this, peerDevices, Plaintext.encode({ version: VERSION, payload: { $case: 'commonMsg', value: Buffer.from(payload) } }).finish(), row.id);
          deliver(this, ownDevices, Plaintext.encode({ version: VERSION, payload: { $case: 'commonSyncMsg', value: Buffer.from(payload) } }).finish(), row.id);
        });
        this.sending.set(row.id, row);
        this.messagesChanged([row]);
        this.kick();
      }
    } catch (err) {
      this.store.setMessageState(row.id, 'failed');
      const failed = this.store.message(row.id);
      if (failed) this.messagesChanged([failed]);
      this.changed('conversations');
      throw err;
    }
    this.changed('conversations');
    // A group send has finished its requests by now (its row may be 'sent'); a 1:1 row is as written above.
    return header.conv.type === 'group' ? (this.store.message(row.id) ?? row) : row;
  }

  /** Devices we know of for a user (from bundles, sessions and device notices). */
  peerDevices(user: UserRef): DeviceRef[] {
    return this.store.knownDevices(user);
  }

  // ── the outbox worker ────────────────────────────────────────────────────────────────────────────
  /**
   * Prepared requests go out in outbox order with up to OUTBOX_WINDOW in flight, so throughput is not one
   * round trip per message. Tasks that need the network to prepare (sessions, group seeds) wait for the
   * requests before them and run alone, as the requests after them may depend on them.
   */
  private async drainOutbox(): Promise<void> {
    const inFlight = new Set<Promise<void>>();
    let cursor = 0;
    // Read a window's worth at a time: only this worker changes entries above the cursor once they are due.
    let due: OutboxRow[] = [];
    try {
      for (;;) {
        if (this.stopped) return;
        if (due.length === 0) due = this.store.outboxDue(Date.now(), cursor, OUTBOX_WINDOW);
        const item = due.shift();
        if (!item) return;
        cursor = item.id;
        const body = item.body as OutboxBody;
        if (body.type !== 'rpc') {
          await Promise.all(inFlight);
          await this.execute(item.id, body, item.messageId, item.attempts);
          continue;
        }
        const call = this.execute(item.id, body, item.messageId, item.attempts).finally(() => inFlight.delete(call));
        inFlight.add(call);
        if (inFlight.size >= OUTBOX_WINDOW) await Promise.race(inFlight);
      }
    } finally {
      await Promise.all(inFlight);
      // Before the next drain reads the outbox again, or answered requests would be sent twice.
      this.recordAnswers();
    }
  }

  private scheduleNextPump(): void {
    if (this.stopped) return;
    const at = this.store.earliestOutboxAt();
    if (this.pumpTimer) clearTimeout(this.pumpTimer);
    this.pumpTimer = null;
    if (at === null) return;
    this.pumpTimer = setTimeout(() => this.kick(), Math.max(10, at - Date.now()));
    this.pumpTimer.unref();
  }

  /** Makes the outbox try everything now (after a reconnect). */
  retryOutboxNow(): void {
    this.kick();
  }

  private async execute(id: number, body: OutboxBody, messageId: string | null, attempts: number): Promise<void> {
    try {
      if (body.type === 'rpc') {
        // Not the strict fromBase64: the text comes out of a sealed (authenticated) outbox row of our own.
        const response = (await this.port.callEncoded(body.method, Buffer.from(body.request, 'base64'))) as { code: number; msg: string };
        if (isOk(response.code)) this.finish(id, messageId, 'done');
        else if (body.method === 'sendOne2OneMsg' && response.code === ResponseCode.RESPONSE_CODE_NOT_FOUND) {
          // The device is gone: forget its sessions; the message is still delivered to the others.
          const request = rpcRequest('sendOne2OneMsg', body.request) as { msg?: { to?: Parameters<typeof deviceOf>[0] } };
          const gone = deviceOf(request.msg?.to);
          if (gone) this.store.removeDevice(gone);
          this.finish(id, messageId, 'done');
        } else {
          this.log.warn(`${body.method} refused: ${response.msg || response.code}`);
          this.finish(id, messageId, 'failed');
        }
      } else if (body.type === 'ensureSessions') {
        await ensureSessions(this, { userId: body.userId, domain: body.domain }, body.deviceId);
        this.store.outboxDone(id);
        // New identity keys may unlock group messages that waited for their sender's sign key.
        const result = emptyResult();
        for (const sessionId of this.store.deferredSessionIds()) this.replayDeferred(sessionId, result);
        this.report(result);
      } else {
        await reseedGroup(this, body.groupId);
        this.store.outboxDone(id);
      }
    } catch (err) {
      const retryable = !(err instanceof PortError) || err.retryable;
      if (retryable && attempts + 1 < MAX_ATTEMPTS) {
        this.store.outboxRetry(id, Date.now() + Math.min(30_000, 500 * 2 ** attempts));
        this.log.debug(`outbox ${body.type} will be retried`, errText(err));
      } else {
        this.log.warn(`outbox ${body.type} failed`, errText(err));
        this.finish(id, messageId, 'failed');
      }
    }
  }

  /**
   * The server's answers arrive many at a time (OUTBOX_WINDOW in flight); the ones of one turn are recorded in
   * one transaction. An answer not yet recorded when the device stops leaves its request in the outbox, to be
   * sent again: the receiver recognises the copy (the ratchet key was used, the message id is stored).
   */
  private finish(id: number, messageId: string | null, outcome: 'done' | 'failed'): void {
    this.answered.push({ id, messageId, outcome });
    if (this.answered.length === 1) setImmediate(() => this.recordAnswers());
  }

  private recordAnswers(): void {
    const answers = this.answered.splice(0);
    if (answers.length === 0) return;
    const updated = new Map<string, MessageRow>();
    this.store.transaction(() => {
      for (const { id, messageId, outcome } of answers) {
        this.store.outboxDone(id);
        if (!messageId) continue;
        const now = this.store.messageSendState(messageId);
        if (!now) continue;
        const pendingSends = outcome === 'failed' ? 0 : Math.max(0, now.pendingSends - 1);
        const state = outcome === 'failed' ? 'failed' : pendingSends === 0 && now.state === 'sending' ? 'sent' : now.state;
        this.store.setMessageState(messageId, state, pendingSends);
        // The text never changes after sending: the row given out when it was queued saves opening it again.
        const known = this.sending.get(messageId) ?? this.store.message(messageId);
        if (pendingSends === 0) this.sending.delete(messageId);
        if (known) updated.set(messageId, { ...known, state, pendingSends });
      }
    });
    this.messagesChanged([...updated.values()]);
  }

  // ── friends, users, privacy ──────────────────────────────────────────────────────────────────────
  async syncFriends(): Promise<void> {
    const response = await this.port.call('getFriends', { lastModifiedDate: '0' });
    if (!isOk(response.code)) return;
    this.store.transaction(() => {
      for (const f of response.friends) saveFriendship(this, f);
    });
    this.changed('contacts');
  }

  async findUser(query: { userId?: string; authenticator?: string }): Promise<{ userId: string; domain: string; nickname: string } | null> {
    const q = query.userId ? `userId=${encodeURIComponent(query.userId)}&domain=${encodeURIComponent(this.me.domain)}` : `authenticator=${encodeURIComponent(query.authenticator ?? '')}`;
    const response = await this.port.call('findUser', { query: encodeURIComponent(q), userAddress: deviceAddress(this.me) });
    if (!isOk(response.code) || !response.friend) return null;
    const user = parseUser(response.friend.toUser);
    return { ...user, nickname: response.friend.nickname };
  }

  async addFriend(user: UserRef): Promise<number> {
    const response = await this.port.call('addFriend', { userAddress: deviceAddress(this.me), toUser: simpleAddress(user), fromUser: simpleAddress(this.me), fromUsername: this.userName });
    if (!isOk(response.code)) throw refusal(response);
    if (response.friend) this.store.transaction(() => saveFriendship(this, response.friend!));
    this.changed('contacts');
    return response.status;
  }

  async friendOp(op: 'remove' | 'block' | 'unblock', user: UserRef): Promise<void> {
    const base = { userAddress: deviceAddress(this.me), toUser: simpleAddress(user), fromUser: simpleAddress(this.me) };
    const response = op === 'remove' ? await this.port.call('removeFriend', base) : op === 'block' ? await this.port.call('blockFriend', base) : await this.port.call('unBlockFriend', base);
    if (!isOk(response.code)) throw refusal(response);
    if (response.friend) this.store.transaction(() => saveFriendship(this, response.friend!));
    this.changed('contacts');
  }

  async memo(user: UserRef, memoname: string): Promise<void> {
    const response = await this.port.call('memoFriend', { userAddress: deviceAddress(this.me), toUser: simpleAddress(user), memoname });
    if (!isOk(response.code)) throw refusal(response);
    if (response.friend) this.store.transaction(() => saveFriendship(this, response.friend!));
    this.changed('contacts');
  }

  async setPrivacy(privacy: { allowAttention: boolean; allowGreeting: boolean; allowAutoFriend: boolean }): Promise<void> {
    const response = await this.port.call('updateUserPrivacy', privacy);
    if (!isOk(response.code)) throw refusal(response);
    const account = this.store.loadAccount();
    if (account) this.store.saveAccount({ ...account, privacy });
    this.changed('account');
  }

  /** Safety numbers with every known device of a user, fetching identity keys we have not seen yet. */
  async safety(user: UserRef): Promise<{ deviceId: string; fingerprint: string }[]> {
    let devices = this.store.devicesOf(user);
    if (devices.length === 0 || devices.some((d) => !d.kemPk || !d.signPk)) {
      const response = await this.port.call('getPreKeyBundle', { domain: user.domain, userId: user.userId, deviceId: '' });
      if (isOk(response.code)) {
        for (const bundle of response.preKeyBundles) {
          const device = deviceOf(bundle.userAddress);
          if (!device || !bundle.signature || sameDevice(device, this.me)) continue;
          try {
            verifyServerSignatures(this.suite, this.serverKey, [bundle.signature], preKeyBundleFingerprint(bundle));
            this.store.upsertDevice(device, { kemPk: bundle.identityKeyPublic?.asymPublicKey, signPk: bundle.identityKeyPublic?.signPublicKey });
          } catch (err) {
            this.log.warn('bundle refused', errText(err));
          }
        }
      }
      devices = this.store.devicesOf(user);
    }
    const mine = { kemPublicKey: this.keys.identityKem.publicKey, signPublicKey: this.keys.identitySign.publicKey };
    return devices
      .filter((d) => d.kemPk && d.signPk && !sameDevice(d.ref, this.me))
      .map((d) => ({ deviceId: d.ref.deviceId, fingerprint: safetyFingerprint(mine, { kemPublicKey: d.kemPk!, signPublicKey: d.signPk! }) }));
  }

  // ── groups ───────────────────────────────────────────────────────────────────────────────────────
  createGroup(name: string, members: readonly UserRef[]): Promise<string> {
    return createGroup(this, name, members);
  }

  /** SKISSM's add: the members move to the next session by welcome → add; the newcomers get only the welcome. */
  addMembers(groupId: string, members: readonly UserRef[]): Promise<void> {
    return addGroupMembers(this, groupId, members);
  }

  /** A fresh seed for the remaining members right away, so the removed ones cannot read what follows. */
  removeMembers(groupId: string, members: readonly UserRef[]): Promise<void> {
    return removeGroupMembers(this, groupId, members);
  }

  async leaveGroup(groupId: string): Promise<void> {
    const response = await this.port.call('leaveGroup', { msg: { userAddress: deviceAddress(this.me), groupAddress: groupAddress(this.me.domain, groupId) } });
    if (!isOk(response.code) && response.code !== ResponseCode.RESPONSE_CODE_NOT_FOUND) throw refusal(response);
    const group = this.store.group(groupId);
    this.store.transaction(() => {
      if (group) this.store.saveGroup({ ...group, active: false, members: group.members.filter((m) => !sameUser(m, this.me)), updatedAt: Date.now() });
      this.store.deleteGroupSessions(groupId);
    });
    this.changed('groups');
  }

  async renameGroup(groupId: string, name: string): Promise<void> {
    const response = await this.port.call('updateGroupName', { toGroup: `${groupId}@${this.me.domain}`, fromUser: simpleAddress(this.me), groupName: name });
    if (!isOk(response.code)) throw refusal(response);
    const group = this.store.group(groupId);
    if (group) this.store.saveGroup({ ...group, name, updatedAt: Date.now() });
    this.changed('groups');
  }

  async setManagers(groupId: string, managers: readonly UserRef[]): Promise<void> {
    const group = this.store.group(groupId);
    if (!group) throw new ChatRequestError('not-found', 'no such group');
    const updating = group.members.map((m) => ({ userId: m.userId, domain: m.domain, role: managers.some((x) => sameUser(x, m)) ? 1 : 0 }));
    const response = await this.port.call('updateGroupManagers', { toGroup: `${groupId}@${this.me.domain}`, fromUser: simpleAddress(this.me), updatingMembers: updating });
    if (!isOk(response.code)) throw refusal(response);
    const set = new Set(response.groupManagers.map((m) => m.userId));
    this.store.saveGroup({ ...group, members: group.members.map((m) => ({ ...m, role: set.has(m.userId) ? 1 : 0 })), updatedAt: Date.now() });
    this.changed('groups');
  }
}

export class RegistrationError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message || `registration refused (${code})`);
  }
}

export function parseUser(text: string): UserRef {
  const at = text.lastIndexOf('@');
  if (at <= 0) throw new ChatRequestError('invalid', `"${text}" is not a user address`);
  return { userId: text.slice(0, at), domain: text.slice(at + 1) };
}

export function errText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
