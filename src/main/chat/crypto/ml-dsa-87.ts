import { ml_dsa87 } from '@noble/post-quantum/ml-dsa.js';
import { ChatCryptoError, requireLength } from './errors';
import type { KeyPair } from './ml-kem-1024';
import { nativeMlDsa87 } from './ml-dsa-87-native';
import { systemRandom, type RandomSource } from './random';

/**
 * ML-DSA-87 (FIPS 204 final, pure mode, empty context), which is what SKISSM signs with from commit 31cd92f.
 * Peers on SKISSM <= v1.8.15 sign with draft Dilithium5 under the same id; their signatures do not verify here.
 *
 * Runs on node:crypto (OpenSSL, about 10× faster) when the running Node passes the self-test in
 * ml-dsa-87-native.ts, otherwise on @noble; both read and write the same raw encodings below, so stored keys
 * and signatures on the wire do not depend on which one ran.
 */
export const ML_DSA_87_SIZES = {
  publicKey: 2592,
  /** FIPS 204 skEncode (the expanded key), as @noble returns it. */
  secretKey: 4896,
  signature: 4627,
  keygenSeed: 32,
  signingRandomness: 32,
} as const;

/** Deterministic in the 32 seed bytes drawn from `random`, whichever implementation runs. */
export function mlDsa87KeyPair(random: RandomSource): KeyPair {
  const seed = random(ML_DSA_87_SIZES.keygenSeed);
  const native = nativeMlDsa87()?.keyPairFromSeed(seed);
  if (native) return native;
  const { publicKey, secretKey } = ml_dsa87.keygen(seed);
  return { publicKey, secretKey };
}

/**
 * Hedged signing: fresh randomness per signature, as FIPS 204 recommends. OpenSSL draws that randomness from its
 * own DRBG and cannot take ours, so the native path is used only with the system CSPRNG; an injected source
 * (tests, reproducible vectors) keeps @noble and so keeps signatures reproducible.
 */
export function mlDsa87Sign(secretKey: Uint8Array, message: Uint8Array, random: RandomSource): Uint8Array {
  requireLength(secretKey, ML_DSA_87_SIZES.secretKey, 'ML-DSA-87 secret key');
  const native = random === systemRandom ? nativeMlDsa87() : null;
  if (native) return orInvalidKey(() => native.sign(secretKey, message));
  const extraEntropy = random(ML_DSA_87_SIZES.signingRandomness);
  return orInvalidKey(() => ml_dsa87.sign(message, secretKey, { extraEntropy }));
}

/** OpenSSL checks a secret key's internal consistency on import; @noble rejects out-of-range coefficients. */
function orInvalidKey(sign: () => Uint8Array): Uint8Array {
  try {
    return sign();
  } catch {
    throw new ChatCryptoError('invalid_key', 'ML-DSA-87 secret key is malformed');
  }
}

/** Returns false (never throws) for wrong sizes or malformed encodings: all are simply invalid signatures. */
export function mlDsa87Verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey.length !== ML_DSA_87_SIZES.publicKey || signature.length !== ML_DSA_87_SIZES.signature) return false;
  try {
    const native = nativeMlDsa87();
    if (native) return native.verify(publicKey, message, signature);
    return ml_dsa87.verify(signature, message, publicKey);
  } catch {
    return false;
  }
}
