import { randomBytes } from 'node:crypto';
import { toUint8Array } from './bytes';

/**
 * Source of random bytes. Injectable so that tests and test vectors can be deterministic; production
 * code uses the operating system CSPRNG.
 */
export type RandomSource = (length: number) => Uint8Array;

export const systemRandom: RandomSource = (length) => toUint8Array(randomBytes(length));
