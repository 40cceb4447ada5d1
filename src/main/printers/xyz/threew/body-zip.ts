import { zipSync } from 'fflate';
import { aes128CbcDecryptRaw, aes128CbcEncryptPadded } from './aes';
import { ThreeWError } from './errors';
import { AES_BLOCK, ZIP_CIPHER_CHUNK, ZIP_ENTRY_NAME, ZIP_PLAIN_CHUNK } from './layout';
import { stripPkcs7 } from './padding';
import type { PaddingState, StripResult } from './padding';
import { readSingleZipEntry } from './zip-read';

// A fixed timestamp keeps the output reproducible (same G-code → same file).
const ZIP_ENTRY_TIME = new Date(2020, 0, 1, 0, 0, 0);

function cipherLengthOf(plainLength: number): number {
  const fullChunks = Math.floor(plainLength / ZIP_PLAIN_CHUNK);
  const rest = plainLength % ZIP_PLAIN_CHUNK;
  return fullChunks * ZIP_CIPHER_CHUNK + (rest > 0 ? (Math.floor(rest / AES_BLOCK) + 1) * AES_BLOCK : 0);
}

/**
 * Builds a `TagEa128` body (spec §4.1): ZIP with one entry, cut into 8192-byte chunks, each
 * PKCS#7 padded and AES-128-CBC encrypted with the IV reset to zero per chunk.
 */
export function encryptZipBody(gcode: Uint8Array): Buffer {
  const zip = zipSync({ [ZIP_ENTRY_NAME]: [gcode, { level: 6, mtime: ZIP_ENTRY_TIME }] });
  const body = Buffer.allocUnsafe(cipherLengthOf(zip.length));
  let written = 0;
  for (let at = 0; at < zip.length; at += ZIP_PLAIN_CHUNK) {
    written += aes128CbcEncryptPadded(zip.subarray(at, at + ZIP_PLAIN_CHUNK)).copy(body, written);
  }
  return body;
}

function checkChunkedLength(length: number): void {
  const rest = length % ZIP_CIPHER_CHUNK;
  if (length === 0 || rest % AES_BLOCK !== 0) {
    throw new ThreeWError(
      'BAD_BODY_LENGTH',
      `ZIP body length ${length} does not match 8208-byte encrypted chunks`,
    );
  }
}

/** Decrypts the chunks back into the ZIP archive. */
export function decryptZipChunks(body: Buffer, strictPadding: boolean): StripResult {
  checkChunkedLength(body.length);
  const zip = Buffer.allocUnsafe(body.length);
  let written = 0;
  let padding: PaddingState = 'pkcs7';
  for (let at = 0; at < body.length; at += ZIP_CIPHER_CHUNK) {
    const isLast = at + ZIP_CIPHER_CHUNK >= body.length;
    const plain = aes128CbcDecryptRaw(body.subarray(at, at + ZIP_CIPHER_CHUNK));
    // The archive ends in binary, so the text heuristic of the ECB body does not apply: a
    // missing pad is tolerated only on the last chunk and the ZIP CRC then decides.
    let chunk: StripResult;
    try {
      chunk = stripPkcs7(plain, true, `ZIP chunk ${at / ZIP_CIPHER_CHUNK}`);
    } catch (error) {
      if (strictPadding || !isLast) throw error;
      chunk = { data: plain, padding: 'missing' };
    }
    if (!isLast && chunk.data.length !== ZIP_PLAIN_CHUNK) {
      throw new ThreeWError(
        'BAD_PADDING',
        `ZIP chunk ${at / ZIP_CIPHER_CHUNK} holds ${chunk.data.length} bytes, expected ${ZIP_PLAIN_CHUNK}`,
      );
    }
    padding = chunk.padding;
    written += chunk.data.copy(zip, written);
  }
  return { data: zip.subarray(0, written), padding };
}

export function decryptZipBody(body: Buffer, strictPadding: boolean): StripResult {
  const archive = decryptZipChunks(body, strictPadding);
  return { data: readSingleZipEntry(archive.data), padding: archive.padding };
}

/** Padding of the last chunk only (chunks decrypt independently), for `inspect`; `tail` ends a body of `length` bytes. */
export function probeZipBody(tail: Buffer, length: number): PaddingState | 'invalid' {
  try {
    checkChunkedLength(length);
  } catch {
    return 'invalid';
  }
  const lastStart = Math.floor((length - 1) / ZIP_CIPHER_CHUNK) * ZIP_CIPHER_CHUNK;
  try {
    return stripPkcs7(aes128CbcDecryptRaw(tail.subarray(tail.length - (length - lastStart))), true, 'ZIP chunk').padding;
  } catch {
    // Might be miniMover's missing pad or corruption; only a full decode can tell.
    return 'invalid';
  }
}
