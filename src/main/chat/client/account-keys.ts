import { fromBase64, toBase64, type CipherSuite, type KeyPair, type RandomSource } from '../crypto';

/** An account's private key material as stored (sealed) in chat_accounts.keys. */
export interface SignedPreKeyRecord {
  id: number;
  publicKey: Uint8Array;
  secretKey: Uint8Array;
  signature: Uint8Array;
  /** Expiry (ms since epoch); a fresh SPK is published after it, the old one kept for late invites. */
  ttl: number;
}

export interface AccountKeys {
  identityKem: KeyPair;
  identitySign: KeyPair;
  signedPreKey: SignedPreKeyRecord;
  previousSignedPreKeys: SignedPreKeyRecord[];
  password: string;
  auth: string;
  authExpires: number;
}

export const SPK_LIFETIME_MS = 7 * 86_400_000;
export const INITIAL_OPKS = 100;

export function newSignedPreKey(suite: CipherSuite, identitySign: KeyPair, id: number, random: RandomSource): SignedPreKeyRecord {
  const pair = suite.kem.generateKeyPair(random);
  return { id, publicKey: pair.publicKey, secretKey: pair.secretKey, signature: suite.sign.sign(identitySign.secretKey, pair.publicKey, random), ttl: Date.now() + SPK_LIFETIME_MS };
}

export function newAccountKeys(suite: CipherSuite, random: RandomSource): AccountKeys {
  const identitySign = suite.sign.generateKeyPair(random);
  return {
    identityKem: suite.kem.generateKeyPair(random),
    identitySign,
    signedPreKey: newSignedPreKey(suite, identitySign, 1, random),
    previousSignedPreKeys: [],
    password: '',
    auth: '',
    authExpires: 0,
  };
}

type Json = Record<string, unknown>;
const pair = (k: KeyPair): Json => ({ pk: toBase64(k.publicKey), sk: toBase64(k.secretKey) });
const spk = (s: SignedPreKeyRecord): Json => ({ id: s.id, pk: toBase64(s.publicKey), sk: toBase64(s.secretKey), sig: toBase64(s.signature), ttl: s.ttl });

export function accountKeysToJson(keys: AccountKeys): Json {
  return {
    identityKem: pair(keys.identityKem),
    identitySign: pair(keys.identitySign),
    signedPreKey: spk(keys.signedPreKey),
    previousSignedPreKeys: keys.previousSignedPreKeys.map(spk),
    password: keys.password,
    auth: keys.auth,
    authExpires: keys.authExpires,
  };
}

function str(v: unknown): string {
  if (typeof v !== 'string') throw new Error('stored account keys are malformed');
  return v;
}

function pairFrom(v: unknown): KeyPair {
  const o = v as Json;
  return { publicKey: fromBase64(str(o.pk)), secretKey: fromBase64(str(o.sk)) };
}

function spkFrom(v: unknown): SignedPreKeyRecord {
  const o = v as Json;
  return { id: Number(o.id), publicKey: fromBase64(str(o.pk)), secretKey: fromBase64(str(o.sk)), signature: fromBase64(str(o.sig)), ttl: Number(o.ttl) };
}

export function accountKeysFromJson(v: unknown): AccountKeys {
  const o = v as Json;
  return {
    identityKem: pairFrom(o.identityKem),
    identitySign: pairFrom(o.identitySign),
    signedPreKey: spkFrom(o.signedPreKey),
    previousSignedPreKeys: Array.isArray(o.previousSignedPreKeys) ? o.previousSignedPreKeys.map(spkFrom) : [],
    password: str(o.password),
    auth: typeof o.auth === 'string' ? o.auth : '',
    authExpires: Number(o.authExpires) || 0,
  };
}
