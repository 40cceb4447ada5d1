import {
  createHash,
  createPrivateKey,
  createPublicKey,
  decapsulate as nodeDecapsulate,
  encapsulate as nodeEncapsulate,
} from 'node:crypto';
import { ml_kem1024 } from '@noble/post-quantum/ml-kem.js';
import { toUint8Array } from './bytes';
import { header, prefixed, sequencePrefix, VERSION_0 } from './der-prefix';
import { KeyObjectCache } from './key-object-cache';
import { NativeBackend, type BackendChoice } from './native-backend';

/** What encapsulating to a public key gives: the ciphertext to send and the secret both ends share. */
export interface Encapsulation {
  readonly ciphertext: Uint8Array;
  readonly sharedSecret: Uint8Array;
}

/**
 * ML-KEM-1024 encapsulation and decapsulation through node:crypto (OpenSSL >= 3.5), about 20× faster than
 * @noble; they turn the ratchet whenever a conversation changes direction. Key generation stays on @noble: the
 * core stores the FIPS 203 expanded secret key (3168 bytes), which OpenSSL imports but does not reliably export
 * (its default PKCS#8 is the seed alone). Whether this Node has it is found out by a self-test against @noble,
 * never from a version number; without it every caller falls back to @noble.
 */
export interface NativeMlKem1024 {
  encapsulate(publicKey: Uint8Array): Encapsulation;
  decapsulate(ciphertext: Uint8Array, secretKey: Uint8Array): Uint8Array;
}

const PUBLIC_KEY_LENGTH = 1568;
const SECRET_KEY_LENGTH = 3168;

/** id-alg-ml-kem-1024, 2.16.840.1.101.3.4.4.3; AlgorithmIdentifier without parameters. */
const ALGORITHM_IDENTIFIER = [0x30, 0x0b, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x04, 0x03];
/** SEQUENCE { AlgorithmIdentifier, BIT STRING (0 unused bits) publicKey }. */
const SPKI_PREFIX = sequencePrefix(
  [...ALGORITHM_IDENTIFIER, ...header(0x03, PUBLIC_KEY_LENGTH + 1), 0x00],
  PUBLIC_KEY_LENGTH,
);
/** privateKey OCTET STRING { ML-KEM-1024-PrivateKey CHOICE expandedKey OCTET STRING }. */
const EXPANDED_KEY_OCTETS = header(0x04, SECRET_KEY_LENGTH);
const PKCS8_EXPANDED_PREFIX = sequencePrefix(
  [
    ...VERSION_0,
    ...ALGORITHM_IDENTIFIER,
    ...header(0x04, EXPANDED_KEY_OCTETS.length + SECRET_KEY_LENGTH),
    ...EXPANDED_KEY_OCTETS,
  ],
  SECRET_KEY_LENGTH,
);

function createNative(): NativeMlKem1024 {
  const publicKeys = new KeyObjectCache((raw) =>
    createPublicKey({ key: prefixed(SPKI_PREFIX, raw), format: 'der', type: 'spki' }),
  );
  const secretKeys = new KeyObjectCache((raw) =>
    createPrivateKey({ key: prefixed(PKCS8_EXPANDED_PREFIX, raw), format: 'der', type: 'pkcs8' }),
  );
  return {
    encapsulate(publicKey) {
      const { sharedKey, ciphertext } = nodeEncapsulate(publicKeys.get(publicKey));
      return { ciphertext: toUint8Array(ciphertext), sharedSecret: toUint8Array(sharedKey) };
    },
    decapsulate(ciphertext, secretKey) {
      return toUint8Array(nodeDecapsulate(secretKeys.get(secretKey), ciphertext));
    },
  };
}

/** FIPS 203 key pair from the seed 00 01 … 3f, and the @noble encapsulation with m = 40 41 … 5f to it. */
const SELF_TEST_SEED = Uint8Array.from({ length: 64 }, (_, i) => i);
const SELF_TEST_M = Uint8Array.from({ length: 32 }, (_, i) => 64 + i);
/** SHA-256 of the public key of SELF_TEST_SEED, as computed by @noble (so a changed fallback is noticed too). */
const SELF_TEST_PUBLIC_KEY_SHA256 = 'c7b8fa0aa471d5ae18922d6ccad5b31e1d84f92ae723abfd13747018740a8530';

/**
 * Both directions against @noble on a known key: OpenSSL decapsulates @noble's ciphertext to the same secret,
 * answers a tampered one with the same implicit-rejection secret (so it is FIPS 203 final, not a draft Kyber),
 * and @noble decapsulates OpenSSL's encapsulation to the secret OpenSSL reports.
 */
function selfTest(native: NativeMlKem1024): boolean {
  const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
  const { publicKey, secretKey } = ml_kem1024.keygen(SELF_TEST_SEED);
  if (sha256(publicKey) !== SELF_TEST_PUBLIC_KEY_SHA256) return false;
  const theirs = ml_kem1024.encapsulate(publicKey, SELF_TEST_M);
  const tampered = theirs.cipherText.slice();
  tampered[7] = (tampered[7] ?? 0) ^ 0x01;
  const ours = native.encapsulate(publicKey);
  const same = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && Buffer.compare(a, b) === 0;
  return (
    same(native.decapsulate(theirs.cipherText, secretKey), theirs.sharedSecret) &&
    same(native.decapsulate(tampered, secretKey), ml_kem1024.decapsulate(tampered, secretKey.slice())) &&
    ours.ciphertext.length === PUBLIC_KEY_LENGTH &&
    same(ml_kem1024.decapsulate(ours.ciphertext, secretKey.slice()), ours.sharedSecret)
  );
}

export type MlKem1024BackendChoice = BackendChoice;

const backend = new NativeBackend(createNative, selfTest, 'PRINTDECK_MLKEM_BACKEND');

/** The native implementation, or null when this Node cannot provide it (or `noble` was chosen); probed once. */
export function nativeMlKem1024(): NativeMlKem1024 | null {
  return backend.get();
}

/** Forces the @noble fallback or returns to the automatic choice (tests; PRINTDECK_MLKEM_BACKEND=noble). */
export function setMlKem1024Backend(next: MlKem1024BackendChoice): void {
  backend.choose(next);
}

/** The backend encapsulation and decapsulation go through right now (the bench reports it). */
export function mlKem1024Backend(): 'node:crypto' | 'noble' {
  return backend.name();
}
