/**
 * DER wrappers that let node:crypto import the core's raw ML-DSA-87 keys (RFC 9881 encodings): the raw
 * 2592-byte public key inside a SubjectPublicKeyInfo, the FIPS 204 4896-byte expanded secret key (what the
 * core stores) or the 32-byte keygen seed inside a PKCS#8 PrivateKeyInfo. Every encoding has a fixed length,
 * so each one is a constant prefix followed by the raw bytes.
 */

import { header, prefixed, sequencePrefix, VERSION_0 } from './der-prefix';

const PUBLIC_KEY_LENGTH = 2592;
const SECRET_KEY_LENGTH = 4896;
const SEED_LENGTH = 32;

/** id-ml-dsa-87, 2.16.840.1.101.3.4.3.19; AlgorithmIdentifier without parameters. */
const ALGORITHM_IDENTIFIER = [0x30, 0x0b, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03, 0x13];
/** SEQUENCE { AlgorithmIdentifier, BIT STRING (0 unused bits) publicKey }. */
const SPKI_PREFIX = sequencePrefix([...ALGORITHM_IDENTIFIER, ...header(0x03, PUBLIC_KEY_LENGTH + 1), 0x00], PUBLIC_KEY_LENGTH);

/** privateKey OCTET STRING { ML-DSA-87-PrivateKey CHOICE expandedKey OCTET STRING }. */
const EXPANDED_KEY_OCTETS = header(0x04, SECRET_KEY_LENGTH);
const PKCS8_EXPANDED_PREFIX = sequencePrefix(
  [...VERSION_0, ...ALGORITHM_IDENTIFIER, ...header(0x04, EXPANDED_KEY_OCTETS.length + SECRET_KEY_LENGTH), ...EXPANDED_KEY_OCTETS],
  SECRET_KEY_LENGTH,
);

/** privateKey OCTET STRING { ML-DSA-87-PrivateKey CHOICE seed [0] IMPLICIT OCTET STRING }. */
const PKCS8_SEED_PREFIX = sequencePrefix(
  [...VERSION_0, ...ALGORITHM_IDENTIFIER, ...header(0x04, SEED_LENGTH + 2), ...header(0x80, SEED_LENGTH)],
  SEED_LENGTH,
);

function endsWithRaw(der: Uint8Array, prefixTail: Uint8Array | number[], rawLength: number): Uint8Array | null {
  const start = der.length - rawLength;
  if (start - prefixTail.length < 0) return null;
  for (let i = 0; i < prefixTail.length; i++) if (der[start - prefixTail.length + i] !== prefixTail[i]) return null;
  return der.subarray(start);
}

export function spkiFromRawPublicKey(publicKey: Uint8Array): Buffer {
  return prefixed(SPKI_PREFIX, publicKey);
}

export function pkcs8FromExpandedSecretKey(secretKey: Uint8Array): Buffer {
  return prefixed(PKCS8_EXPANDED_PREFIX, secretKey);
}

export function pkcs8FromSeed(seed: Uint8Array): Buffer {
  return prefixed(PKCS8_SEED_PREFIX, seed);
}

/** The raw public key of an exported SPKI, or null if it is not exactly the encoding above. */
export function rawPublicKeyFromSpki(der: Uint8Array): Uint8Array | null {
  if (der.length !== SPKI_PREFIX.length + PUBLIC_KEY_LENGTH) return null;
  return endsWithRaw(der, SPKI_PREFIX, PUBLIC_KEY_LENGTH);
}

/**
 * The expanded secret key of an exported PKCS#8. OpenSSL writes the "both" form (SEQUENCE { seed, expandedKey })
 * or the expandedKey form by default; either way the key is the final OCTET STRING. A seed-only export
 * (possible through OpenSSL configuration) has no expanded key and yields null.
 */
export function expandedSecretKeyFromPkcs8(der: Uint8Array): Uint8Array | null {
  return endsWithRaw(der, EXPANDED_KEY_OCTETS, SECRET_KEY_LENGTH);
}
