import { createCipheriv } from 'node:crypto';
import { once } from 'node:events';
import { crc32, createDeflateRaw } from 'node:zlib';
import type { XyzContainer } from '../models';
import { AES256_KEY, AES_BLOCK, BODY_OFFSET, MAX_GCODE_BYTES, TAG_ECB, TAG_ZIP, V2_LAYOUT } from './layout';
import { ZIP_DEFLATE_LEVEL, ZipChunkEncryptor } from './body-zip';
import { headerLimitOf, resolveEncoding } from './encode';
import { ThreeWError } from './errors';
import { chooseHeaderText, encryptV2Header } from './header-section';
import { GcodeConverter, GcodeSurveyor, planGcode } from './prepare-gcode';
import type { GcodePlan } from './prepare-gcode';
import { writeV2Preamble, writeV5Preamble } from './preamble-write';
import type { EncodeThreeWOptions } from './types';
import { zipLocalHeader, zipTrailer, type ZipEntryFacts } from './zip-write';

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

/**
 * The processed G-code of `plan`, in pieces, each passed through `take` as it is made: the
 * converter's pieces are valid only during that call (see `G0Rewriter`), so `take` must consume or
 * copy them. `onPlain` sees each piece too.
 */
async function* processed(
  source: ChunkSource,
  plan: GcodePlan,
  take: (bytes: Buffer) => Buffer,
  onPlain?: (bytes: Buffer) => void,
): AsyncGenerator<Buffer> {
  let ready: Buffer[] = [];
  const converter = new GcodeConverter(plan, (bytes) => {
    onPlain?.(bytes);
    const piece = take(bytes);
    if (piece.length > 0) ready.push(piece);
  });
  for await (const chunk of source()) {
    converter.push(chunk);
    const out = ready;
    ready = [];
    yield* out;
  }
  converter.finish();
  yield* ready;
}

/** Processed G-code encrypted as a `TagEJ256` body (AES-256-ECB, PKCS#7), in pieces. */
async function* ecbBody(source: ChunkSource, plan: GcodePlan, onPlain?: (bytes: Buffer) => void): AsyncGenerator<Buffer> {
  const cipher = createCipheriv('aes-256-ecb', AES256_KEY, null);
  yield* processed(source, plan, (bytes) => cipher.update(bytes), onPlain);
  yield cipher.final();
}

/** Processed G-code as plain pieces of its own (copies, since deflate holds on to what it is given). */
function plainPieces(source: ChunkSource, plan: GcodePlan, onPlain?: (bytes: Buffer) => void): AsyncGenerator<Buffer> {
  return processed(source, plan, (bytes) => Buffer.from(bytes), onPlain);
}

/** Raw deflate of the pieces, as `deflateRawSync` of them joined would give (zlib's output does not depend on how input is cut). */
async function* deflated(plain: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const deflate = createDeflateRaw({ level: ZIP_DEFLATE_LEVEL });
  const out: Buffer[] = [];
  let failure: Error | null = null;
  deflate.on('data', (bytes: Buffer) => out.push(bytes));
  deflate.on('error', (error) => (failure = error));
  try {
    for await (const bytes of plain) {
      if (!deflate.write(bytes)) await once(deflate, 'drain');
      if (failure) throw failure;
      yield* out.splice(0);
    }
    deflate.end();
    await once(deflate, 'end');
    if (failure) throw failure;
    yield* out.splice(0);
  } finally {
    deflate.destroy();
  }
}

/** A `TagEa128` body: the ZIP archive around the deflated G-code, encrypted in 8192-byte chunks. */
async function* zipBody(deflatedGcode: AsyncIterable<Buffer>, facts: ZipEntryFacts): AsyncGenerator<Buffer> {
  let ready: Buffer[] = [];
  const encryptor = new ZipChunkEncryptor((cipher) => ready.push(cipher));
  encryptor.push(zipLocalHeader(facts));
  let compressed = 0;
  for await (const bytes of deflatedGcode) {
    compressed += bytes.length;
    encryptor.push(bytes);
    const out = ready;
    ready = [];
    yield* out;
  }
  if (compressed !== facts.compressedSize) throw new ThreeWError('INPUT_CHANGED', 'the G-code changed while it was converted');
  encryptor.push(zipTrailer(facts));
  encryptor.finish();
  yield* ready;
}

async function crcAndLength(pieces: AsyncIterable<Buffer>): Promise<{ crc: number; length: number }> {
  let crc = 0;
  let length = 0;
  for await (const piece of pieces) {
    crc = crc32(piece, crc);
    length += piece.length;
  }
  return { crc, length };
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
 * ZIP bodies (`TagEa128`) take one more pass: the archive's local header needs the entry's CRC and
 * compressed size before the entry.
 */
export async function streamThreeW(source: ChunkSource, opts: EncodeThreeWOptions): Promise<ThreeWStream> {
  const { model, container } = resolveEncoding(opts);
  const plan = planGcode(await survey(source), model.fileId, opts.headerValues);
  const headerLimit = headerLimitOf(container);
  const head = prefixKeeper(headerLimit);

  if (container === 'zip') {
    // The local header carries the entry's CRC and compressed size, so one pass learns them first.
    let gcodeCrc = 0;
    let compressedSize = 0;
    const onPlain = (bytes: Buffer): void => {
      head.take(bytes);
      gcodeCrc = crc32(bytes, gcodeCrc);
    };
    for await (const bytes of deflated(plainPieces(source, plan, onPlain))) compressedSize += bytes.length;
    const facts: ZipEntryFacts = { crc: gcodeCrc, compressedSize, size: plan.length };
    const body = (): AsyncGenerator<Buffer> => zipBody(deflated(plainPieces(source, plan)), facts);
    const { crc, length } = await crcAndLength(body());
    const headerText = chooseHeaderText(head.bytes(), plan.length, plan.leadingCommentLength, headerLimit, opts.headerLength);
    return { container, size: BODY_OFFSET + length, preamble: preambleFor(container, headerText, crc, true), body };
  }

  const { crc, length: bodyLength } = await crcAndLength(ecbBody(source, plan, head.take));
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
