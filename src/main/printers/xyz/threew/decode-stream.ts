import { createDecipheriv } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { decodeThreeW, formatCrc } from './decode';
import { ThreeWError } from './errors';
import type { InputFile } from './file-source';
import { BODY_TAIL_BYTES, inspectParts } from './inspect';
import { AES256_KEY, AES_BLOCK, BODY_OFFSET, TAG_ZIP } from './layout';
import { stripPkcs7 } from './padding';
import type { PaddingState } from './padding';
import { looksLikeLegacyBase64 } from './legacy-base64';
import { hasMagic, readPreamble } from './preamble-read';
import type { ChunkSource } from './encode-stream';
import type { DecodeThreeWOptions, ThreeWInfo } from './types';

/** A `.3w` on disk, described, with its G-code to be read in pieces. */
export interface OpenedThreeW {
  info: ThreeWInfo;
  /**
   * The G-code, decoded again on each call. Throws `ThreeWError` where `decodeThreeW` would,
   * at the latest when the last piece is reached; `padding()` tells how the body ended after that.
   */
  gcode: ChunkSource;
  padding(): PaddingState | null;
}

async function* bodyOf(file: InputFile): AsyncGenerator<Buffer> {
  let at = 0;
  for await (const chunk of file.chunks()) {
    const piece = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (at + piece.length > BODY_OFFSET) yield piece.subarray(Math.max(0, BODY_OFFSET - at));
    at += piece.length;
  }
}

async function bodyCrcAndTail(file: InputFile): Promise<{ crc: number; tail: Buffer; first: number | undefined }> {
  let crc = 0;
  let tail = Buffer.alloc(0);
  let first: number | undefined;
  for await (const piece of bodyOf(file)) {
    first ??= piece[0];
    crc = crc32(piece, crc);
    const joined = Buffer.concat([tail, piece]);
    tail = Buffer.from(joined.subarray(Math.max(0, joined.length - BODY_TAIL_BYTES)));
  }
  return { crc, tail, first };
}

/** AES-256-ECB body to G-code in pieces; the last block is held back until its padding can be judged. */
async function* ecbGcode(file: InputFile, strict: boolean, done: (padding: PaddingState) => void): AsyncGenerator<Buffer> {
  const bodyLength = file.size - BODY_OFFSET;
  let plain: boolean | null = null;
  const decipher = createDecipheriv('aes-256-ecb', AES256_KEY, null);
  decipher.setAutoPadding(false);
  let held = Buffer.alloc(0);
  for await (const piece of bodyOf(file)) {
    // Some v5 writers store the G-code unencrypted (see body-ecb.ts).
    plain ??= piece[0] === 0x3b;
    if (plain) {
      yield piece;
      continue;
    }
    if (bodyLength % AES_BLOCK !== 0) {
      throw new ThreeWError('BAD_BODY_LENGTH', `encrypted body length ${bodyLength} is not a positive multiple of ${AES_BLOCK}`);
    }
    const out = Buffer.concat([held, decipher.update(piece)]);
    const keep = Math.min(out.length, AES_BLOCK);
    held = Buffer.from(out.subarray(out.length - keep));
    if (out.length > keep) yield out.subarray(0, out.length - keep);
  }
  if (plain) {
    done('none');
    return;
  }
  if (plain === null) {
    throw new ThreeWError('BAD_BODY_LENGTH', `encrypted body length 0 is not a positive multiple of ${AES_BLOCK}`);
  }
  const last = stripPkcs7(held, strict, 'body');
  if (last.data.length > 0) yield last.data;
  done(last.padding);
}

/**
 * Opens a `.3w` on disk for `decode` and `info`: the body is read once for its CRC and end, and
 * again for the G-code. ECB bodies stream; ZIP and legacy base64 files are decoded in memory (the
 * archive's directory is at its end).
 */
export async function openThreeW(file: InputFile, opts: DecodeThreeWOptions = {}): Promise<OpenedThreeW> {
  const verifyCrc = opts.verifyCrc ?? true;
  const head = await file.head(BODY_OFFSET);
  if (!hasMagic(head)) {
    if (looksLikeLegacyBase64(head)) return inMemory(file, opts);
    readPreamble(head); // throws the reason: truncated or not a .3w
  }
  const parts = await bodyCrcAndTail(file);
  const info = inspectParts({ head, fileSize: file.size, bodyTail: parts.tail, bodyFirstByte: parts.first, crcComputed: parts.crc });
  if (verifyCrc && info.crcOk === false) throw crcMismatch(info);
  if (info.tag === TAG_ZIP) return inMemory(file, opts);
  let padding: PaddingState | null = null;
  return {
    info,
    gcode: () => ecbGcode(file, opts.strictPadding ?? false, (p) => (padding = p)),
    padding: () => padding,
  };
}

export function crcMismatch(info: ThreeWInfo): ThreeWError {
  return new ThreeWError(
    'CRC_MISMATCH',
    `body CRC-32 is ${formatCrc(info.crcComputed)} but the file says ${formatCrc(info.crcStored)} (file damaged or truncated)`,
  );
}

async function inMemory(file: InputFile, opts: DecodeThreeWOptions): Promise<OpenedThreeW> {
  const bytes = await file.head(file.size);
  const decoded = decodeThreeW(bytes, opts);
  return {
    info: decoded.info,
    gcode: async function* () {
      yield Buffer.from(decoded.gcode);
    },
    padding: () => (decoded.info.padding === 'invalid' ? null : decoded.info.padding),
  };
}
