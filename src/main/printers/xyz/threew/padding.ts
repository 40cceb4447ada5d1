import { AES_BLOCK } from './layout';
import { ThreeWError } from './errors';

/**
 * How the plaintext ended: proper PKCS#7, `missing` (miniMover's bug of omitting the full pad
 * block when the length is a multiple of 16), or `none` (body stored unencrypted).
 */
export type PaddingState = 'pkcs7' | 'missing' | 'none';

/** Length of valid PKCS#7 padding at the end of `data`, or 0 if it is not valid. */
export function pkcs7PaddingLength(data: Uint8Array): number {
  const length = data.length;
  if (length === 0 || length % AES_BLOCK !== 0) return 0;
  const pad = data[length - 1] ?? 0;
  if (pad < 1 || pad > AES_BLOCK) return 0;
  for (let i = length - pad; i < length - 1; i++) {
    if (data[i] !== pad) return 0;
  }
  return pad;
}

// G-code ends in text (a newline, usually); anything else at the end of a block is corruption.
function looksLikeTextEnd(byte: number): boolean {
  return byte === 0x09 || byte === 0x0a || byte === 0x0d || (byte >= 0x20 && byte < 0x7f);
}

export interface StripResult {
  data: Buffer;
  padding: PaddingState;
}

/**
 * Removes PKCS#7 padding. When `strict` is false, a plaintext whose last byte is ordinary text is
 * accepted unpadded (miniMover files); a garbage tail is always rejected.
 */
export function stripPkcs7(data: Buffer, strict: boolean, what: string): StripResult {
  const pad = pkcs7PaddingLength(data);
  if (pad > 0) return { data: data.subarray(0, data.length - pad), padding: 'pkcs7' };
  const last = data[data.length - 1];
  if (!strict && last !== undefined && looksLikeTextEnd(last)) return { data, padding: 'missing' };
  throw new ThreeWError('BAD_PADDING', `${what}: invalid PKCS#7 padding (wrong key, corrupt data or not a .3w body)`);
}
