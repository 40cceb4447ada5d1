import { randomBytes, randomFillSync } from 'node:crypto';
import { toUint8Array } from './bytes';

/**
 * Source of random bytes. Injectable so that tests and test vectors can be deterministic; production
 * code uses the operating system CSPRNG.
 */
export type RandomSource = (length: number) => Uint8Array;

/** Requests up to this size are served from the pool; larger ones go to the CSPRNG directly. */
const POOLED_MAX = 256;
const POOL_SIZE = 8192;
let pool: Buffer | null = null;
let used = POOL_SIZE;

/**
 * The CSPRNG (OpenSSL's, through node:crypto). Small requests — a 12-byte IV for every sealed record, a message
 * id — come out of a pool filled 8 KB at a time, as Node's own randomUUID does: one call into OpenSSL per
 * several hundred requests instead of one each. Every byte is handed out once (copied out, then wiped).
 */
export const systemRandom: RandomSource = (length) => {
  if (length > POOLED_MAX) return toUint8Array(randomBytes(length));
  if (!pool || used + length > POOL_SIZE) {
    pool ??= Buffer.allocUnsafeSlow(POOL_SIZE);
    randomFillSync(pool);
    used = 0;
  }
  const out = new Uint8Array(length);
  out.set(pool.subarray(used, used + length));
  pool.fill(0, used, used + length);
  used += length;
  return out;
};
