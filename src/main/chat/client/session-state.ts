import { base64OfKey, fromBase64, ratchetStateFromJson, ratchetStateToJson, toBase64, type EstablishedSession, type PendingInvite } from '../crypto';

/** The sealed JSON of a chat_sessions row: an invite waiting for its Accept, or a running ratchet. */
export type StoredSession =
  | { kind: 'pending'; pending: PendingInvite; invite: Uint8Array }
  | { kind: 'established'; session: EstablishedSession };

/**
 * The session each stored JSON value was made from or read as. The store hands back the very object it was
 * given while the row is unchanged, so the next message on a session skips decoding its keys again. Both sides
 * are immutable (the ratchet returns new states), which is what makes sharing them safe.
 */
const decoded = new WeakMap<object, StoredSession>();

export function sessionToJson(s: StoredSession): unknown {
  const json = encodeSession(s);
  decoded.set(json, s);
  return json;
}

function encodeSession(s: StoredSession): object {
  if (s.kind === 'pending') {
    const p = s.pending;
    return {
      kind: 'pending',
      packId: p.packId,
      temp: toBase64(p.tempSharedSecret),
      basePk: toBase64(p.baseKeyPair.publicKey),
      baseSk: toBase64(p.baseKeyPair.secretKey),
      theirSpk: toBase64(p.theirSignedPreKey),
      ad: toBase64(p.associatedData),
      fp: toBase64(p.fingerprint),
      invite: toBase64(s.invite),
    };
  }
  return { kind: 'established', ratchet: ratchetStateToJson(s.session.ratchet), ad: base64OfKey(s.session.associatedData), fp: base64OfKey(s.session.fingerprint) };
}

function b64(v: unknown): Uint8Array {
  if (typeof v !== 'string') throw new Error('stored session is malformed');
  return fromBase64(v);
}

export function sessionFromJson(v: unknown): StoredSession {
  if (typeof v !== 'object' || v === null) throw new Error('stored session is malformed');
  const known = decoded.get(v);
  if (known) return known;
  const s = decodeSession(v as Record<string, unknown>);
  decoded.set(v, s);
  return s;
}

function decodeSession(o: Record<string, unknown>): StoredSession {
  if (o.kind === 'pending') {
    return {
      kind: 'pending',
      pending: {
        packId: Number(o.packId),
        tempSharedSecret: b64(o.temp),
        baseKeyPair: { publicKey: b64(o.basePk), secretKey: b64(o.baseSk) },
        theirSignedPreKey: b64(o.theirSpk),
        associatedData: b64(o.ad),
        fingerprint: b64(o.fp),
      },
      invite: b64(o.invite),
    };
  }
  if (o.kind === 'established') {
    return { kind: 'established', session: { ratchet: ratchetStateFromJson(o.ratchet), associatedData: b64(o.ad), fingerprint: b64(o.fp) } };
  }
  throw new Error('stored session has an unknown kind');
}
