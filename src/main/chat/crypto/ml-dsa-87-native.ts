import {
  createHash,
  createPrivateKey,
  createPublicKey,
  sign as nodeSign,
  verify as nodeVerify,
} from 'node:crypto';
import { ml_dsa87 } from '@noble/post-quantum/ml-dsa.js';
import { toUint8Array } from './bytes';
import { KeyObjectCache } from './key-object-cache';
import {
  expandedSecretKeyFromPkcs8,
  pkcs8FromExpandedSecretKey,
  pkcs8FromSeed,
  rawPublicKeyFromSpki,
  spkiFromRawPublicKey,
} from './ml-dsa-87-der';
import type { KeyPair } from './ml-kem-1024';
import { NativeBackend, type BackendChoice } from './native-backend';

/**
 * ML-DSA-87 through node:crypto (OpenSSL >= 3.5), byte-compatible with the core's @noble encodings. Node builds
 * without it (older Node, Electron's BoringSSL) are detected once by a self-test and the caller falls back to
 * @noble. Inputs must already have the right lengths; key material OpenSSL refuses makes these functions throw.
 *
 * The core stores the FIPS 204 expanded secret key (4896 bytes). Importing one works on every OpenSSL with
 * ML-DSA; exporting one does not: depending on the build and its configuration OpenSSL writes PKCS#8 as
 * "both" (seed and expanded key), expanded-only, or seed-only (54 bytes; the default of some 3.5.x patch
 * releases). Key generation therefore uses OpenSSL only when its export carries the expanded key and
 * otherwise derives the same bytes with @noble (once per key, a few tens of milliseconds); signing and
 * verifying, the hot path, stay native either way.
 */
export interface NativeMlDsa87 {
  /** Null when the seed has the wrong length or OpenSSL exports only the seed: derive the pair with @noble. */
  keyPairFromSeed(seed: Uint8Array): KeyPair | null;
  sign(secretKey: Uint8Array, message: Uint8Array): Uint8Array;
  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean;
}

const SEED_LENGTH = 32;

function createNative(): NativeMlDsa87 {
  const publicKeys = new KeyObjectCache((raw) => createPublicKey({ key: spkiFromRawPublicKey(raw), format: 'der', type: 'spki' }));
  const secretKeys = new KeyObjectCache((raw) =>
    createPrivateKey({ key: pkcs8FromExpandedSecretKey(raw), format: 'der', type: 'pkcs8' }),
  );
  return {
    keyPairFromSeed(seed) {
      if (seed.length !== SEED_LENGTH) return null;
      const privateKey = createPrivateKey({ key: pkcs8FromSeed(seed), format: 'der', type: 'pkcs8' });
      const secretKey = expandedSecretKeyFromPkcs8(privateKey.export({ format: 'der', type: 'pkcs8' }));
      const publicKey = rawPublicKeyFromSpki(createPublicKey(privateKey).export({ format: 'der', type: 'spki' }));
      if (!secretKey || !publicKey) return null;
      return { publicKey: toUint8Array(publicKey), secretKey: toUint8Array(secretKey) };
    },
    sign(secretKey, message) {
      // Hedged signing (FIPS 204 default) with OpenSSL's own DRBG; empty context, pure mode.
      return toUint8Array(nodeSign(null, message, secretKeys.get(secretKey)));
    },
    verify(publicKey, message, signature) {
      return nodeVerify(null, message, publicKeys.get(publicKey), signature);
    },
  };
}

/** FIPS 204 ML-DSA-87 keygen from the seed 00 01 … 1f, as computed by @noble (SHA-256 of pk and of sk). */
const SELF_TEST_SEED = Uint8Array.from({ length: 32 }, (_, i) => i);
const SELF_TEST_PUBLIC_KEY_SHA256 = '91dc389cfaa01470b7f66eee45a4ae9026d154817c754dfe22298b3fa241ffcd';
const SELF_TEST_SECRET_KEY_SHA256 = '764d3e223ed90c07bc91a0ab6ecd170e5c66ffe39f7039298596039a36005435';

/** Which implementation runs: `auto` takes node:crypto when it passes the self-test; `noble` forces the fallback. */
export type MlDsa87BackendChoice = BackendChoice;

/**
 * Exercises every path the core uses (seed → key pair, expanded secret key → signature, raw public key →
 * verification) and checks the keys against the known answer, so a Node that lacks ML-DSA-87, encodes it
 * differently or is not FIPS 204 final is never used. Where OpenSSL exports only the seed, the reference key
 * pair comes from @noble and the check is that OpenSSL signs with it and both implementations verify.
 */
function selfTest(native: NativeMlDsa87): boolean {
  const keyPair = native.keyPairFromSeed(SELF_TEST_SEED) ?? ml_dsa87.keygen(SELF_TEST_SEED);
  const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
  if (sha256(keyPair.publicKey) !== SELF_TEST_PUBLIC_KEY_SHA256) return false;
  if (sha256(keyPair.secretKey) !== SELF_TEST_SECRET_KEY_SHA256) return false;
  const message = Uint8Array.of(1, 2, 3);
  const signature = native.sign(keyPair.secretKey, message);
  return (
    signature.length === 4627 &&
    native.verify(keyPair.publicKey, message, signature) &&
    ml_dsa87.verify(signature, message, keyPair.publicKey) &&
    !native.verify(keyPair.publicKey, Uint8Array.of(1, 2, 4), signature)
  );
}

const backend = new NativeBackend(createNative, selfTest, 'PRINTDECK_MLDSA_BACKEND');

/** The native implementation, or null when this Node cannot provide it (or `noble` was chosen); probed once. */
export function nativeMlDsa87(): NativeMlDsa87 | null {
  return backend.get();
}

/**
 * Forces the @noble fallback (`noble`) or returns to automatic choice (`auto`). For tests, which must run both
 * backends whatever the machine offers, and for the environment variable PRINTDECK_MLDSA_BACKEND=noble.
 */
export function setMlDsa87Backend(next: MlDsa87BackendChoice): void {
  backend.choose(next);
}

/** The backend signatures go through right now: `node:crypto` or `noble` (the bench reports it). */
export function mlDsa87Backend(): 'node:crypto' | 'noble' {
  return backend.name();
}
