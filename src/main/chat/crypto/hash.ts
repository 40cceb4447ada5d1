import { hmac } from '@noble/hashes/hmac.js';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { createHash, hkdfSync } from 'node:crypto';
import { toUint8Array } from './bytes';

/**
 * SHA-256 family primitives of hash id 1 (SHA2_256). Native Node crypto, except HMAC: the ratchet only ever
 * HMACs one byte under a 32-byte key, where creating a native Hmac object costs more than hashing in JS.
 */

export function sha256(data: Uint8Array): Uint8Array {
  return toUint8Array(createHash('sha256').update(data).digest());
}

export function hmacSha256(key: Uint8Array, data: Uint8Array): Uint8Array {
  return hmac(nobleSha256, key, data);
}

/** RFC 5869 HKDF-SHA-256 (extract then expand), as mbedtls_hkdf does in SKISSM. */
export function hkdfSha256(ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', ikm, salt, info, length));
}
