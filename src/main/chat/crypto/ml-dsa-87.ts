import { ml_dsa87 } from '@noble/post-quantum/ml-dsa.js';
import { requireLength } from './errors';
import type { KeyPair } from './ml-kem-1024';
import type { RandomSource } from './random';

/**
 * ML-DSA-87 (FIPS 204 final, pure mode, empty context), which is what SKISSM signs with from commit 31cd92f.
 * Peers on SKISSM <= v1.8.15 sign with draft Dilithium5 under the same id; their signatures do not verify here.
 */
export const ML_DSA_87_SIZES = {
  publicKey: 2592,
  secretKey: 4896,
  signature: 4627,
  keygenSeed: 32,
  signingRandomness: 32,
} as const;

export function mlDsa87KeyPair(random: RandomSource): KeyPair {
  const { publicKey, secretKey } = ml_dsa87.keygen(random(ML_DSA_87_SIZES.keygenSeed));
  return { publicKey, secretKey };
}

/** Hedged signing: fresh randomness per signature, as FIPS 204 recommends. */
export function mlDsa87Sign(secretKey: Uint8Array, message: Uint8Array, random: RandomSource): Uint8Array {
  requireLength(secretKey, ML_DSA_87_SIZES.secretKey, 'ML-DSA-87 secret key');
  return ml_dsa87.sign(message, secretKey, { extraEntropy: random(ML_DSA_87_SIZES.signingRandomness) });
}

/** Returns false (never throws) for wrong sizes or malformed encodings: all are simply invalid signatures. */
export function mlDsa87Verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey.length !== ML_DSA_87_SIZES.publicKey || signature.length !== ML_DSA_87_SIZES.signature) return false;
  try {
    return ml_dsa87.verify(signature, message, publicKey);
  } catch {
    return false;
  }
}
