import { writeU32BE } from './bytes';
import { crc32 } from './crc32';
import { XyzProtocolError } from './protocol-error';

/** Default block size (`o:p8` × 1024). */
export const XYZ_DEFAULT_BLOCK_SIZE = 8192;
/** Bytes around each block's data: u32 index + u32 length before, u32 trailer after. */
export const XYZ_BLOCK_OVERHEAD = 12;

export type XyzBlockTrailer = 'crc32' | 'zero';

export interface XyzUploadBlock {
  index: number;
  /** A view into the caller's file bytes; not copied. */
  data: Uint8Array;
  /** The whole block as one buffer to write: `[u32 BE index][u32 BE n][data][u32 BE trailer]`. */
  wire: Uint8Array;
}

/** Number of blocks for a file; never a zero-length last block (miniMover bug). */
export function uploadBlockCount(fileSize: number, blockSize = XYZ_DEFAULT_BLOCK_SIZE): number {
  return Math.ceil(fileSize / blockSize);
}

/**
 * Yields the upload blocks of a `.3w` file lazily: only one block's wire buffer exists at a time.
 * The trailer is CRC-32 of the data like the official client; `zero` reproduces miniMover.
 */
export function* encodeUploadBlocks(
  file: Uint8Array,
  blockSize = XYZ_DEFAULT_BLOCK_SIZE,
  trailer: XyzBlockTrailer = 'crc32',
): Generator<XyzUploadBlock, void, undefined> {
  if (!Number.isSafeInteger(blockSize) || blockSize <= 0) {
    throw new XyzProtocolError('invalid-argument', `block size must be a positive integer, got ${blockSize}`);
  }
  for (let index = 0, at = 0; at < file.length; index++, at += blockSize) {
    const data = file.subarray(at, Math.min(file.length, at + blockSize));
    yield { index, data, wire: encodeUploadBlock(index, data, trailer) };
  }
}

export function encodeUploadBlock(index: number, data: Uint8Array, trailer: XyzBlockTrailer = 'crc32'): Uint8Array {
  const wire = new Uint8Array(data.length + XYZ_BLOCK_OVERHEAD);
  writeU32BE(wire, 0, index);
  writeU32BE(wire, 4, data.length);
  wire.set(data, 8);
  writeU32BE(wire, 8 + data.length, trailer === 'crc32' ? crc32(data) : 0);
  return wire;
}
