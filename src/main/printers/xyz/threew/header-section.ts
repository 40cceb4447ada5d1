import { aes128CbcDecryptRaw, aes128CbcEncryptPadded } from './aes';
import { ThreeWError } from './errors';
import { AES_BLOCK, BODY_OFFSET } from './layout';
import { pkcs7PaddingLength } from './padding';
import type { Preamble } from './preamble-read';

const LF = 0x0a;

/**
 * Picks the header text: a prefix of the processed G-code. By default the leading comment block
 * (XYZprint V2.0.1's rule), cut at a line end if it does not fit; `requested` reproduces other
 * writers (XYZprint V1.3.2 stored five more bytes). `gcode` may be just the first
 * `maxLength` bytes of processed G-code that is `totalLength` long.
 */
export function chooseHeaderText(
  gcode: Buffer,
  totalLength: number,
  leadingCommentLength: number,
  maxLength: number,
  requested?: number,
): Buffer {
  if (requested !== undefined) {
    if (!Number.isSafeInteger(requested) || requested < 0) {
      throw new ThreeWError('BAD_OPTION', `headerLength must be a non-negative integer, got ${requested}`);
    }
    if (requested > maxLength) {
      throw new ThreeWError(
        'HEADER_TOO_LONG',
        `headerLength ${requested} exceeds the container's maximum of ${maxLength} bytes`,
      );
    }
    if (requested > totalLength) {
      throw new ThreeWError(
        'BAD_OPTION',
        `headerLength ${requested} is longer than the processed G-code (${totalLength} bytes)`,
      );
    }
    return gcode.subarray(0, requested);
  }
  if (leadingCommentLength <= maxLength) return gcode.subarray(0, leadingCommentLength);
  const lastLineEnd = gcode.lastIndexOf(LF, maxLength - 1);
  return gcode.subarray(0, lastLineEnd >= 0 ? lastLineEnd + 1 : maxLength);
}

/** v2 headers are AES-128-CBC encrypted with PKCS#7; the padded size must fit its area. */
export function encryptV2Header(headerText: Uint8Array, maxEncryptedLength: number): Buffer {
  const encrypted = aes128CbcEncryptPadded(headerText);
  if (encrypted.length > maxEncryptedLength) {
    throw new ThreeWError(
      'HEADER_TOO_LONG',
      `encrypted header of ${encrypted.length} bytes exceeds the v2 maximum of ${maxEncryptedLength}`,
    );
  }
  return encrypted;
}

export interface HeaderSection {
  text: string;
  /** Bytes the header occupies in the file (v2: encrypted length). */
  storedLength: number;
  encrypted: boolean;
  /** False when an encrypted header could not be decrypted; the body is still usable. */
  readable: boolean;
}

function readV2Header(file: Uint8Array, headerStart: number): HeaderSection {
  // The header length is not stored: the ciphertext ends at the last non-zero byte, rounded up to a block.
  let end = BODY_OFFSET;
  while (end > headerStart && file[end - 1] === 0) end--;
  const storedLength = Math.ceil((end - headerStart) / AES_BLOCK) * AES_BLOCK;
  if (storedLength === 0 || headerStart + storedLength > BODY_OFFSET) {
    return { text: '', storedLength, encrypted: true, readable: storedLength === 0 };
  }
  const plain = aes128CbcDecryptRaw(file.subarray(headerStart, headerStart + storedLength));
  const pad = pkcs7PaddingLength(plain);
  if (pad === 0) return { text: '', storedLength, encrypted: true, readable: false };
  return { text: plain.toString('utf8', 0, plain.length - pad), storedLength, encrypted: true, readable: true };
}

/** Reads the header area; it is informative only, since the body repeats it. */
export function readHeaderSection(file: Uint8Array, preamble: Preamble): HeaderSection {
  if (preamble.version === 2) return readV2Header(file, preamble.headerStart);
  const length = preamble.declaredHeaderLength ?? 0;
  const bytes = Buffer.from(file.buffer, file.byteOffset + preamble.headerStart, length);
  return { text: bytes.toString('utf8'), storedLength: length, encrypted: false, readable: true };
}
