import { ml_kem1024 } from '@noble/post-quantum/ml-kem.js';
import { ChatCryptoError, requireLength } from './errors';
import { nativeMlKem1024, type Encapsulation } from './ml-kem-1024-native';
import { systemRandom, type RandomSource } from './random';

/**
 * ML-KEM-1024 (FIPS 203 final; byte-compatible with PQClean's ml-kem-1024). Encapsulation and decapsulation
 * run on node:crypto when the running Node passes the self-test in ml-kem-1024-native.ts, otherwise on @noble;
 * keys and ciphertexts are the same raw bytes either way.
 */
export const ML_KEM_1024_SIZES = {
  publicKey: 1568,
  secretKey: 3168,
  ciphertext: 1568,
  sharedSecret: 32,
  keygenSeed: 64,
  encapsulationSeed: 32,
} as const;

export interface KeyPair {
  readonly publicKey: Uint8Array;
  readonly secretKey: Uint8Array;
}

export type { Encapsulation } from './ml-kem-1024-native';

export function mlKem1024KeyPair(random: RandomSource): KeyPair {
  const { publicKey, secretKey } = ml_kem1024.keygen(random(ML_KEM_1024_SIZES.keygenSeed));
  return { publicKey, secretKey };
}

/**
 * OpenSSL draws the 32 bytes of m from its own DRBG and cannot take ours, so the native path is used only with
 * the system CSPRNG; an injected source (tests, reproducible vectors) keeps @noble and its exact output.
 */
export function mlKem1024Encapsulate(publicKey: Uint8Array, random: RandomSource): Encapsulation {
  requireLength(publicKey, ML_KEM_1024_SIZES.publicKey, 'ML-KEM-1024 public key');
  const native = random === systemRandom ? nativeMlKem1024() : null;
  try {
    if (native) return native.encapsulate(publicKey);
    const { cipherText, sharedSecret } = ml_kem1024.encapsulate(publicKey, random(ML_KEM_1024_SIZES.encapsulationSeed));
    return { ciphertext: cipherText, sharedSecret };
  } catch {
    // Both reject public keys whose coefficients are not reduced mod q (FIPS 203 input check).
    throw new ChatCryptoError('invalid_key', 'ML-KEM-1024 public key failed the modulus check');
  }
}

/**
 * Decapsulation never fails on a well-sized ciphertext: ML-KEM answers a forged one with an implicit-rejection
 * secret, so a tampered ciphertext surfaces later as an AEAD failure.
 */
export function mlKem1024Decapsulate(ciphertext: Uint8Array, secretKey: Uint8Array): Uint8Array {
  requireLength(ciphertext, ML_KEM_1024_SIZES.ciphertext, 'ML-KEM-1024 ciphertext');
  requireLength(secretKey, ML_KEM_1024_SIZES.secretKey, 'ML-KEM-1024 secret key');
  const native = nativeMlKem1024();
  try {
    // OpenSSL also checks the key's embedded hash of its public part on import, as FIPS 203 asks.
    if (native) return native.decapsulate(ciphertext, secretKey);
    // noble may wipe the buffers it is handed; give it a copy so stored state stays intact.
    return ml_kem1024.decapsulate(ciphertext, secretKey.slice());
  } catch {
    throw new ChatCryptoError('invalid_key', 'ML-KEM-1024 secret key is malformed');
  }
}
