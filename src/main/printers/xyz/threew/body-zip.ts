import { crc32, deflateRawSync } from 'node:zlib';
import { aes128CbcDecryptRaw, aes128CbcEncryptPadded } from './aes';
import { ThreeWError } from './errors';
import { AES_BLOCK, ZIP_CIPHER_CHUNK, ZIP_PLAIN_CHUNK } from './layout';
import { stripPkcs7 } from './padding';
import type { PaddingState, StripResult } from './padding';
import { readSingleZipEntry } from './zip-read';
import { zipLocalHeader, zipTrailer } from './zip-write';

/** Deflate settings of the entry; level 6 as miniMover's zlib default. */
export const ZIP_DEFLATE_LEVEL = 6;

/**
 * Cuts an archive that arrives in pieces into 8192-byte chunks, each PKCS#7 padded and
 * AES-128-CBC encrypted with the IV reset to zero.
 */
export class ZipChunkEncryptor {
  private held: Buffer[] = [];
  private heldLength = 0;

  constructor(private readonly out: (cipher: Buffer) => void) {}

  push(bytes: Buffer): void {
    let at = 0;
    while (at < bytes.length) {
      const take = Math.min(ZIP_PLAIN_CHUNK - this.heldLength, bytes.length - at);
      this.held.push(bytes.subarray(at, at + take));
      this.heldLength += take;
      at += take;
      if (this.heldLength === ZIP_PLAIN_CHUNK) this.flush();
    }
  }

  finish(): void {
    if (this.heldLength > 0) this.flush();
  }

  private flush(): void {
    this.out(aes128CbcEncryptPadded(Buffer.concat(this.held)));
    this.held = [];
    this.heldLength = 0;
  }
}

/** Builds a `TagEa128` body: a ZIP with one entry, encrypted in 8192-byte chunks. */
export function encryptZipBody(gcode: Uint8Array): Buffer {
  const compressed = deflateRawSync(gcode, { level: ZIP_DEFLATE_LEVEL });
  const facts = { crc: crc32(gcode), compressedSize: compressed.length, size: gcode.length };
  const parts: Buffer[] = [];
  const encryptor = new ZipChunkEncryptor((cipher) => parts.push(cipher));
  encryptor.push(zipLocalHeader(facts));
  encryptor.push(compressed);
  encryptor.push(zipTrailer(facts));
  encryptor.finish();
  return Buffer.concat(parts);
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
