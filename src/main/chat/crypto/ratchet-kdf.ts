import type { CipherSuite } from './cipher-suite';

/** Key derivations of the SKISSM PQC double ratchet. */

const encoder = new TextEncoder();
export const INFO_ROOT = encoder.encode('ROOT');
export const INFO_RATCHET = encoder.encode('RATCHET');
export const INFO_MESSAGE_KEYS = encoder.encode('MessageKeys');
/** HMAC input that steps a chain key forward (a single byte 0x02). */
export const CHAIN_KEY_STEP = Uint8Array.of(0x02);

export interface RootAndChainKey {
  readonly rootKey: Uint8Array;
  readonly chainKey: Uint8Array;
}

function zeroSalt(suite: CipherSuite): Uint8Array {
  return new Uint8Array(suite.sizes.hash);
}

function splitRootAndChain(suite: CipherSuite, okm: Uint8Array): RootAndChainKey {
  const n = suite.sizes.chainKey;
  return { rootKey: okm.slice(0, n), chainKey: okm.slice(n, 2 * n) };
}

/** KDF_root_init(secret) = HKDF(secret, salt = 0^32, "ROOT", 64) → RK ‖ CK. */
export function kdfRootInit(suite: CipherSuite, secret: Uint8Array): RootAndChainKey {
  return splitRootAndChain(suite, suite.hash.hkdf(secret, zeroSalt(suite), INFO_ROOT, 2 * suite.sizes.chainKey));
}

/** KDF_ratchet(ss, RK) = HKDF(ss, salt = RK, "RATCHET", 64) → new RK ‖ new chain key. */
export function kdfRatchet(suite: CipherSuite, sharedSecret: Uint8Array, rootKey: Uint8Array): RootAndChainKey {
  return splitRootAndChain(suite, suite.hash.hkdf(sharedSecret, rootKey, INFO_RATCHET, 2 * suite.sizes.chainKey));
}

/** next CK = HMAC-SHA256(key = CK, data = 0x02). */
export function nextChainKey(suite: CipherSuite, chainKey: Uint8Array): Uint8Array {
  return suite.hash.hmac(chainKey, CHAIN_KEY_STEP);
}

/** MK = HKDF(CK, salt = 0^32, "MessageKeys", 48): AES key ‖ 16-byte IV, straight from CK (not Signal's HMAC(CK, 0x01)). */
export function deriveMessageKey(suite: CipherSuite, chainKey: Uint8Array): Uint8Array {
  return suite.hash.hkdf(chainKey, zeroSalt(suite), INFO_MESSAGE_KEYS, suite.sizes.messageKey);
}

export function sealWithMessageKey(
  suite: CipherSuite,
  messageKey: Uint8Array,
  plaintext: Uint8Array,
  ad: Uint8Array,
): Uint8Array {
  const { aeadKey, aeadIv } = suite.sizes;
  return suite.aead.seal(
    messageKey.subarray(0, aeadKey),
    messageKey.subarray(aeadKey, aeadKey + aeadIv),
    plaintext,
    ad,
  );
}

export function openWithMessageKey(
  suite: CipherSuite,
  messageKey: Uint8Array,
  sealed: Uint8Array,
  ad: Uint8Array,
): Uint8Array {
  const { aeadKey, aeadIv } = suite.sizes;
  return suite.aead.open(messageKey.subarray(0, aeadKey), messageKey.subarray(aeadKey, aeadKey + aeadIv), sealed, ad);
}
