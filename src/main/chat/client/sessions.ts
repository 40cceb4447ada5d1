import { ResponseCode } from '../../gen/skissm/common';
import type { PreKeyBundle } from '../../gen/skissm/crypto';
import { InviteMsg, type AcceptMsg, type E2eeMsg } from '../../gen/skissm/proto_msg';
import { acceptInvite, completeInvite, createInvite, generateSessionId, ratchetDecrypt, ratchetEncrypt, verifyServerSignatures } from '../crypto';
import { deviceAddress, deviceKey, deviceOf, sameDevice, type DeviceRef } from '../protocol/address';
import { preKeyBundleFingerprint } from '../protocol/fingerprints';
import type { SessionRow } from '../store/chat-store';
import { deviceQueueId, newId, rpcBody, type EngineCore } from './engine-core';
import { sessionFromJson, sessionToJson, type StoredSession } from './session-state';

/** 1:1 sessions: key agreement from bundles and invites, the ratchet, and pending plaintexts. */

const PROTOCOL_VERSION = '\x01';
/** SKISSM re-invites a device whose Accept has not come after this long (INVITE_WAITING_TIME_MS). */
export const REINVITE_AFTER_MS = 60_000;

function stored(row: SessionRow): StoredSession {
  return sessionFromJson(row.state);
}

/** Verifies a bundle's server signature, records the device's identity keys and opens an outbound session. */
export function inviteFromBundle(core: EngineCore, bundle: PreKeyBundle): void {
  const device = deviceOf(bundle.userAddress);
  const ik = bundle.identityKeyPublic;
  const spk = bundle.signedPreKeyPublic;
  if (!device || !ik || !spk || !bundle.signature) throw new Error('incomplete pre-key bundle');
  if (sameDevice(device, core.me)) return;
  verifyServerSignatures(core.suite, core.serverKey, [bundle.signature], preKeyBundleFingerprint(bundle));
  const opk = bundle.oneTimePreKeyPublic;
  const { invite, pending } = createInvite(
    core.suite,
    core.keys.identityKem.publicKey,
    {
      identityKemPublicKey: ik.asymPublicKey,
      identitySignPublicKey: ik.signPublicKey,
      signedPreKey: { id: spk.spkId, publicKey: spk.publicKey, signature: spk.signature },
      oneTimePreKey: opk && opk.opkId !== 0 ? { id: opk.opkId, publicKey: opk.publicKey } : undefined,
    },
    core.random,
  );
  const sessionId = generateSessionId(core.random);
  const msg: InviteMsg = {
    version: PROTOCOL_VERSION,
    e2eePackId: bundle.e2eePackId,
    sessionId,
    from: deviceAddress(core.me, core.userName),
    to: deviceAddress(device),
    aliceIdentityKey: Buffer.alloc(0),
    aliceBaseKey: Buffer.from(invite.aliceBaseKey),
    preSharedInputList: invite.preSharedInputs.map((c) => Buffer.from(c)),
    bobSignedPreKeyId: invite.bobSignedPreKeyId,
    bobOneTimePreKeyId: invite.bobOneTimePreKeyId,
    inviteT: String(Date.now()),
  };
  core.store.transaction(() => {
    core.store.upsertDevice(device, { kemPk: ik.asymPublicKey, signPk: ik.signPublicKey });
    const now = Date.now();
    core.store.saveSession({ sessionId, peer: device, responded: false, inviteT: now, createdAt: now, state: sessionToJson({ kind: 'pending', pending, invite: InviteMsg.encode(msg).finish() }) });
    core.store.enqueue('rpc', rpcBody('invite', { msg }));
    // Plaintexts that waited for "any session with this device" now wait for this one's Accept.
    for (const p of core.store.takePending(deviceQueueId(device))) core.store.addPending(sessionId, p.plaintext, p.messageId);
  });
  core.kick();
}

/**
 * SKISSM's reinvite(): the InviteMsg of every session still without an Accept `afterMs` after it was sent
 * goes out again, unchanged (the peer ignores a session id it already has, so a late Accept and the repeat
 * cannot race). invite_t moves on, so the next repeat waits another `afterMs`. Returns how many were re-sent.
 */
export function reinviteUnanswered(core: EngineCore, now: number, afterMs: number): number {
  let count = 0;
  core.store.transaction(() => {
    for (const row of core.store.unansweredSessions(now - afterMs)) {
      const state = stored(row);
      if (state.kind !== 'pending') continue;
      core.store.saveSession({ ...row, inviteT: now });
      core.store.enqueue('rpc', rpcBody('invite', { msg: InviteMsg.decode(state.invite) }));
      count += 1;
    }
  });
  if (count > 0) core.kick();
  return count;
}

/** Encrypts one Plaintext on an established session and queues SendOne2oneMsg (inside the caller's transaction). */
function encryptOn(core: EngineCore, row: SessionRow, state: StoredSession & { kind: 'established' }, plaintext: Uint8Array, messageId: string | null): void {
  const { state: ratchet, header, ciphertext } = ratchetEncrypt(state.session.ratchet, plaintext, state.session.associatedData);
  core.store.saveSession({ ...row, state: sessionToJson({ kind: 'established', session: { ...state.session, ratchet } }) });
  const msg: E2eeMsg = {
    version: PROTOCOL_VERSION,
    from: deviceAddress(core.me, core.userName),
    to: deviceAddress(row.peer),
    msgId: newId(core.random),
    sessionId: row.sessionId,
    notifLevel: 0,
    payload: {
      $case: 'one2oneMsg',
      value: {
        sequence: header.sequence,
        ciphertext: Buffer.from(ciphertext),
        ratchetKey: Buffer.from(header.ratchetKey),
        rootSequence: header.rootSequence,
        sendingMessageSequence: header.sendingMessageSequence,
      },
    },
  };
  core.store.enqueue('rpc', rpcBody('sendOne2OneMsg', { msg }), messageId);
}

/**
 * Queues a serialised Plaintext for each target device (call inside a transaction): encrypted now where an
 * established session exists, otherwise kept until the session's Accept (or until a session exists at all).
 */
export function deliver(core: EngineCore, targets: readonly DeviceRef[], plaintext: Uint8Array, messageId: string | null): void {
  for (const target of targets) {
    if (sameDevice(target, core.me)) continue;
    const sessions = core.store.sessionsWith(target);
    const usable = sessions.find((s) => s.responded);
    if (usable) {
      const state = stored(usable);
      if (state.kind === 'established') {
        encryptOn(core, usable, state, plaintext, messageId);
        continue;
      }
    }
    const waiting = sessions.find((s) => !s.responded);
    if (waiting) {
      core.store.addPending(waiting.sessionId, plaintext, messageId);
      continue;
    }
    const queueId = deviceQueueId(target);
    if (core.store.pendingCount(queueId) === 0) {
      core.store.enqueue('ensureSessions', { type: 'ensureSessions', userId: target.userId, domain: target.domain, deviceId: target.deviceId });
    }
    core.store.addPending(queueId, plaintext, messageId);
  }
}

/** Encrypts everything that waited for `sessionId` (and for the device in general) on it. */
export function flushPending(core: EngineCore, row: SessionRow): void {
  let current = row;
  for (const queued of [...core.store.takePending(deviceQueueId(row.peer)), ...core.store.takePending(row.sessionId)]) {
    const state = stored(current);
    if (state.kind !== 'established') return;
    encryptOn(core, current, state, queued.plaintext, queued.messageId);
    current = core.store.session(row.sessionId) ?? current;
  }
}

/** Bob's side: answer an invite with a new session and an Accept. Returns false when ignored. */
export function onInvite(core: EngineCore, invite: InviteMsg, from: DeviceRef): boolean {
  const to = deviceOf(invite.to);
  if (!to || !sameDevice(to, core.me) || !invite.sessionId || core.store.session(invite.sessionId)) return false;
  const spk = [core.keys.signedPreKey, ...core.keys.previousSignedPreKeys].find((k) => k.id === invite.bobSignedPreKeyId);
  if (!spk) throw new Error(`invite targets unknown signed pre-key ${invite.bobSignedPreKeyId}`);
  const opk = invite.bobOneTimePreKeyId !== 0 ? core.store.opk(invite.bobOneTimePreKeyId) : null;
  const { accept, session } = acceptInvite(
    core.suite,
    {
      identityKemKeyPair: core.keys.identityKem,
      signedPreKey: { id: spk.id, keyPair: { publicKey: spk.publicKey, secretKey: spk.secretKey } },
      oneTimePreKey: opk ? { id: invite.bobOneTimePreKeyId, keyPair: opk } : undefined,
    },
    {
      aliceIdentityKey: invite.aliceIdentityKey,
      aliceBaseKey: invite.aliceBaseKey,
      preSharedInputs: invite.preSharedInputList,
      bobSignedPreKeyId: invite.bobSignedPreKeyId,
      bobOneTimePreKeyId: invite.bobOneTimePreKeyId,
    },
    core.random,
  );
  if (opk) core.store.deleteOpk(invite.bobOneTimePreKeyId);
  const known = core.store.devicesOf(from).find((d) => d.ref.deviceId === from.deviceId);
  if (known?.kemPk && Buffer.compare(Buffer.from(known.kemPk), Buffer.from(invite.aliceIdentityKey)) !== 0) {
    core.log.warn(`identity key of ${deviceKey(from)} changed`);
    const contact = core.store.contact(from);
    if (contact) core.store.upsertContact({ ...contact, verified: false });
  }
  core.store.upsertDevice(from, { kemPk: invite.aliceIdentityKey });
  const now = Date.now();
  const row: SessionRow = { sessionId: invite.sessionId, peer: from, responded: true, inviteT: Number(invite.inviteT) || now, createdAt: now, state: sessionToJson({ kind: 'established', session }) };
  core.store.saveSession(row);
  const msg: AcceptMsg = { from: deviceAddress(core.me, core.userName), to: invite.from, e2eePackId: invite.e2eePackId, encapsCiphertext: Buffer.from(accept.encapsCiphertext), ratchetKey: Buffer.from(accept.ratchetKey) };
  core.store.enqueue('rpc', rpcBody('accept', { msg }));
  flushPending(core, row);
  return true;
}

/** Alice's side: complete the newest pending session with that device and send what waited for it. */
export function onAccept(core: EngineCore, accept: AcceptMsg, from: DeviceRef): boolean {
  const pendingRow = core.store.sessionsWith(from).find((s) => !s.responded);
  if (!pendingRow) return false;
  const state = stored(pendingRow);
  if (state.kind !== 'pending') return false;
  const session = completeInvite(core.suite, state.pending, core.keys.identityKem.secretKey, { encapsCiphertext: accept.encapsCiphertext, ratchetKey: accept.ratchetKey }, core.random);
  const row = { ...pendingRow, responded: true, state: sessionToJson({ kind: 'established', session }) };
  core.store.saveSession(row);
  flushPending(core, row);
  return true;
}

/** Decrypts a one-to-one E2eeMsg; returns the Plaintext bytes (the session is updated in the caller's transaction). */
export function decryptOne2one(core: EngineCore, msg: E2eeMsg, from: DeviceRef): Uint8Array {
  if (msg.payload?.$case !== 'one2oneMsg') throw new Error('not a one-to-one message');
  const row = core.store.session(msg.sessionId);
  if (!row || !sameDevice(row.peer, from)) throw new Error('no session with the sender');
  const state = stored(row);
  if (state.kind !== 'established') throw new Error('session not yet accepted');
  const p = msg.payload.value;
  const { state: ratchet, plaintext } = ratchetDecrypt(
    state.session.ratchet,
    { sequence: p.sequence, ratchetKey: p.ratchetKey, rootSequence: p.rootSequence, sendingMessageSequence: p.sendingMessageSequence },
    p.ciphertext,
    state.session.associatedData,
    core.random,
  );
  core.store.saveSession({ ...row, state: sessionToJson({ kind: 'established', session: { ...state.session, ratchet } }) });
  return plaintext;
}

/** Fetches bundles for a user (or one device) and invites every device we have no session with. */
export async function ensureSessions(core: EngineCore, user: { userId: string; domain: string }, deviceId = ''): Promise<number> {
  const response = await core.port.call('getPreKeyBundle', { domain: user.domain, userId: user.userId, deviceId });
  if (response.code === ResponseCode.RESPONSE_CODE_NOT_FOUND) return 0;
  if (response.code !== ResponseCode.RESPONSE_CODE_OK) throw new Error(`GetPreKeyBundle: ${response.msg || response.code}`);
  let invited = 0;
  for (const bundle of response.preKeyBundles) {
    const device = deviceOf(bundle.userAddress);
    if (!device || device.userId !== user.userId || sameDevice(device, core.me)) continue;
    const sessions = core.store.sessionsWith(device);
    const responded = sessions.find((s) => s.responded);
    // An unanswered invite is repeated as it is (reinviteUnanswered), never replaced by a second one.
    const waiting = sessions.find((s) => !s.responded);
    if (responded || waiting) {
      // Already talking (or waiting for an Accept): keep the keys, move what waited for "any session" there.
      // A second invite would race the first: AcceptMsg names no session, so the newest pending one is used.
      core.store.transaction(() => {
        core.store.upsertDevice(device, { kemPk: bundle.identityKeyPublic?.asymPublicKey, signPk: bundle.identityKeyPublic?.signPublicKey });
        if (responded) flushPending(core, responded);
        else if (waiting) for (const p of core.store.takePending(deviceQueueId(device))) core.store.addPending(waiting.sessionId, p.plaintext, p.messageId);
      });
      continue;
    }
    try {
      inviteFromBundle(core, bundle);
      invited += 1;
    } catch (err) {
      core.log.warn(`refusing the pre-key bundle of ${deviceKey(device)}`, err instanceof Error ? err.message : err);
    }
  }
  return invited;
}
