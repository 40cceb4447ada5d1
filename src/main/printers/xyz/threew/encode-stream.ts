import { createCipheriv } from 'node:crypto';
import { crc32 } from 'node:zlib';
import type { XyzContainer } from '../models';
import { AES256_KEY, AES_BLOCK, BODY_OFFSET, MAX_GCODE_BYTES, TAG_ECB, TAG_ZIP, V2_LAYOUT } from './layout';
import { encryptZipBody } from './body-zip';
import { headerLimitOf, resolveEncoding } from './encode';
import { ThreeWError } from './errors';
import { chooseHeaderText, encryptV2Header } from './header-section';
import { GcodeConverter, GcodeSurveyor, planGcode } from './prepare-gcode';
import type { GcodePlan } from './prepare-gcode';
import { writeV2Preamble, writeV5Preamble } from './preamble-write';
import type { EncodeThreeWOptions } from './types';

/** Bytes that can be read from the start as often as needed (a file on disk, a decoded `.3w`). */
export type ChunkSource = () => AsyncIterable<Uint8Array>;

/** A `.3w` that is written while it is read: its first 8 KiB are known, its body is made again per read. */
export interface ThreeWStream {
  readonly container: XyzContainer;
  /** Bytes of the whole file. */
  readonly size: number;
  /** Bytes 0..0x2000: magic, layout, header, body CRC. */
  readonly preamble: Buffer;
  /** The body, converted and encrypted again from the source on every call. */
  body(): AsyncIterable<Buffer>;
}

async function survey(source: ChunkSource): Promise<ReturnType<GcodeSurveyor['finish']>> {
  const surveyor = new GcodeSurveyor();
  let length = 0;
  for await (const chunk of source()) {
    length += chunk.length;
    if (length > MAX_GCODE_BYTES) {
      throw new ThreeWError('TOO_LARGE', `G-code of more than ${MAX_GCODE_BYTES} bytes exceeds the limit`);
    }
    surveyor.push(chunk);
  }
  return surveyor.finish();
}

/** Processed G-code of `plan` encrypted as a `TagEJ256` body (AES-256-ECB, PKCS#7), in pieces. */
async function* ecbBody(source: ChunkSource, plan: GcodePlan, onPlain?: (bytes: Buffer) => void): AsyncGenerator<Buffer> {
  const cipher = createCipheriv('aes-256-ecb', AES256_KEY, null);
  let ready: Buffer[] = [];
  const converter = new GcodeConverter(plan, (bytes) => {
    onPlain?.(bytes);
    ready.push(cipher.update(bytes));
  });
  for await (const chunk of source()) {
    converter.push(chunk);
    const out = ready;
    ready = [];
    for (const piece of out) if (piece.length > 0) yield piece;
  }
  converter.finish();
  ready.push(cipher.final());
  for (const piece of ready) if (piece.length > 0) yield piece;
}

function ecbBodyLength(plainLength: number): number {
  return (Math.floor(plainLength / AES_BLOCK) + 1) * AES_BLOCK;
}

/** Keeps the first `limit` bytes of what passes by. */
function prefixKeeper(limit: number): { take: (bytes: Buffer) => void; bytes: () => Buffer } {
  const parts: Buffer[] = [];
  let length = 0;
  return {
    take(bytes) {
      if (length >= limit) return;
      const part = Buffer.from(bytes.subarray(0, limit - length));
      parts.push(part);
      length += part.length;
    },
    bytes: () => Buffer.concat(parts),
  };
}

function preambleFor(container: XyzContainer, headerText: Buffer, crc: number, zip: boolean): Buffer {
  const preamble = Buffer.alloc(BODY_OFFSET);
  if (container === 'v5') writeV5Preamble(preamble, headerText, crc);
  else writeV2Preamble(preamble, zip ? TAG_ZIP : TAG_ECB, encryptV2Header(headerText, V2_LAYOUT.headerMax), crc);
  return preamble;
}

/**
 * `encodeThreeW` for G-code that is not held in memory. The header needs the body's CRC-32 and the
 * upload needs the file's size before the first byte goes, so the source is read three times: a
 * survey (leading block, metadata), a pass that encrypts only to count and checksum, and then the
 * body itself on every `body()` call. What is held at any time is a few pieces of the source.
 * The output is byte for byte what `encodeThreeW` makes of the same G-code.
 *
 * ZIP bodies (`TagEa128`) are built in memory: the archive needs the whole G-code compressed.
 */
export async function streamThreeW(source: ChunkSource, opts: EncodeThreeWOptions): Promise<ThreeWStream> {
  const { model, container } = resolveEncoding(opts);
  const plan = planGcode(await survey(source), model.fileId, opts.headerValues);
  const headerLimit = headerLimitOf(container);
  const head = prefixKeeper(headerLimit);

  if (container === 'zip') {
    const gcode = Buffer.allocUnsafe(plan.length);
    let at = 0;
    const converter = new GcodeConverter(plan, (bytes) => (at += bytes.copy(gcode, at)));
    for await (const chunk of source()) converter.push(chunk);
    converter.finish();
    const body = encryptZipBody(gcode);
    const headerText = chooseHeaderText(gcode, gcode.length, plan.leadingCommentLength, headerLimit, opts.headerLength);
    return {
      container,
      size: BODY_OFFSET + body.length,
      preamble: preambleFor(container, headerText, crc32(body), true),
      body: async function* () {
        yield body;
      },
    };
  }

  let crc = 0;
  let bodyLength = 0;
  for await (const piece of ecbBody(source, plan, head.take)) {
    crc = crc32(piece, crc);
    bodyLength += piece.length;
  }
  if (bodyLength !== ecbBodyLength(plan.length)) {
    throw new ThreeWError('INPUT_CHANGED', 'the G-code changed while it was converted');
  }
  const headerText = chooseHeaderText(head.bytes(), plan.length, plan.leadingCommentLength, headerLimit, opts.headerLength);
  return {
    container,
    size: BODY_OFFSET + bodyLength,
    preamble: preambleFor(container, headerText, crc, false),
    body: () => ecbBody(source, plan),
  };
}
