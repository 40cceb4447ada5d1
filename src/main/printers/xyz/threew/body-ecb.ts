import { aes256EcbDecryptRaw, aes256EcbEncryptPadded } from './aes';
import { ThreeWError } from './errors';
import { AES_BLOCK } from './layout';
import { stripPkcs7 } from './padding';
import type { PaddingState, StripResult } from './padding';

const SEMICOLON = 0x3b;

/** Encrypts processed G-code as a `TagEJ256` body: PKCS#7 (always 1–16 bytes) then AES-256-ECB. */
export function encryptEcbBody(gcode: Uint8Array): [Buffer, Buffer] {
  return aes256EcbEncryptPadded(gcode);
}

// Some v5 writers store the G-code unencrypted; G-code text starts with ';' and ciphertext
// starting with it is then read as text too, exactly as miniMover does.
function isPlainBody(body: Uint8Array): boolean {
  return body[0] === SEMICOLON;
}

/** Decodes a `TagEJ256` body to the processed G-code. */
export function decryptEcbBody(body: Buffer, strictPadding: boolean): StripResult {
  if (isPlainBody(body)) return { data: body, padding: 'none' };
  if (body.length === 0 || body.length % AES_BLOCK !== 0) {
    throw new ThreeWError(
      'BAD_BODY_LENGTH',
      `encrypted body length ${body.length} is not a positive multiple of ${AES_BLOCK}`,
    );
  }
  return stripPkcs7(aes256EcbDecryptRaw(body), strictPadding, 'body');
}

export interface EcbBodyProbe {
  padding: PaddingState | 'invalid';
  gcodeLength: number | null;
}

/**
 * Checks only the last block (ECB blocks decrypt independently), so `inspect` stays cheap: `tail`
 * is the end of a body of `length` bytes whose first byte is `first`.
 */
export function probeEcbBody(tail: Buffer, length: number, first: number | undefined): EcbBodyProbe {
  if (first === SEMICOLON) return { padding: 'none', gcodeLength: length };
  if (length === 0 || length % AES_BLOCK !== 0) return { padding: 'invalid', gcodeLength: null };
  try {
    const last = stripPkcs7(aes256EcbDecryptRaw(tail.subarray(tail.length - AES_BLOCK)), false, 'body');
    return { padding: last.padding, gcodeLength: length - AES_BLOCK + last.data.length };
  } catch (error) {
    if (error instanceof ThreeWError) return { padding: 'invalid', gcodeLength: null };
    throw error;
  }
}
