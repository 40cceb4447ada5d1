import { readU32BE } from './bytes';
import { crc32 } from './crc32';
import type { XyzProtocolErrorCode } from './protocol-error';
import { XYZ_BLOCK_OVERHEAD, XYZ_DEFAULT_BLOCK_SIZE } from './upload-frames';

export type XyzReceivedTrailer = 'crc32' | 'zero' | 'mismatch';

export type XyzUploadEvent =
  | { kind: 'block'; index: number; data: Uint8Array; trailer: XyzReceivedTrailer; trailerValue: number }
  /** Every announced byte has arrived. */
  | { kind: 'complete'; totalBytes: number }
  /** The stream cannot be framed; the decoder stops accepting bytes. */
  | { kind: 'error'; code: XyzProtocolErrorCode; detail: string };

/**
 * Printer-side receiver for the v3 upload block stream. Sequential indices, each block
 * at most the block size, the last one exactly the rest. A zero trailer is accepted (miniMover);
 * a non-zero trailer must be the CRC-32 of the data.
 */
export class XyzUploadDecoder {
  private buffer = new Uint8Array(0);
  private nextIndex = 0;
  private received = 0;
  private failed = false;

  constructor(
    readonly totalBytes: number,
    readonly blockSize = XYZ_DEFAULT_BLOCK_SIZE,
  ) {}

  get done(): boolean {
    return this.failed || this.received >= this.totalBytes;
  }

  /** Bytes held while a block is incomplete; at most one block plus its 12-byte frame. */
  get bufferedBytes(): number {
    return this.buffer.length;
  }

  /**
   * Feeds bytes; returns events and how many input bytes were consumed (bytes after the last
   * block belong to the next text command and are left to the caller).
   */
  feed(chunk: Uint8Array): { events: XyzUploadEvent[]; consumed: number } {
    const events: XyzUploadEvent[] = [];
    let consumed = 0;
    while (consumed < chunk.length && !this.done) {
      const need = this.bytesWanted();
      const take = chunk.subarray(consumed, consumed + need);
      consumed += take.length;
      const next = new Uint8Array(this.buffer.length + take.length);
      next.set(this.buffer);
      next.set(take, this.buffer.length);
      this.buffer = next;
      this.tryBlock(events);
    }
    return { events, consumed };
  }

  /** Never read past the current block, so the decoder can hand trailing bytes back. */
  private bytesWanted(): number {
    if (this.buffer.length < 8) return 8 - this.buffer.length;
    const n = readU32BE(this.buffer, 4);
    return Math.max(1, n + XYZ_BLOCK_OVERHEAD - this.buffer.length);
  }

  private fail(events: XyzUploadEvent[], code: XyzProtocolErrorCode, detail: string): void {
    this.failed = true;
    this.buffer = new Uint8Array(0);
    events.push({ kind: 'error', code, detail });
  }

  private tryBlock(events: XyzUploadEvent[]): void {
    const b = this.buffer;
    if (b.length < 8) return;
    const index = readU32BE(b, 0);
    const n = readU32BE(b, 4);
    const expected = Math.min(this.blockSize, this.totalBytes - this.received);
    if (index !== this.nextIndex)
      return this.fail(events, 'frame-out-of-order', `expected block ${this.nextIndex}, got ${index}`);
    if (n > this.blockSize) return this.fail(events, 'frame-too-large', `block ${index} claims ${n} bytes`);
    if (n !== expected)
      return this.fail(events, 'upload-overrun', `block ${index} has ${n} bytes, expected ${expected}`);
    if (b.length < n + XYZ_BLOCK_OVERHEAD) return;
    const data = b.slice(8, 8 + n);
    const trailerValue = readU32BE(b, 8 + n);
    const trailer: XyzReceivedTrailer =
      trailerValue === 0 ? 'zero' : trailerValue === crc32(data) ? 'crc32' : 'mismatch';
    this.buffer = new Uint8Array(0);
    this.nextIndex++;
    this.received += n;
    events.push({ kind: 'block', index, data, trailer, trailerValue });
    if (this.received >= this.totalBytes) events.push({ kind: 'complete', totalBytes: this.totalBytes });
  }
}
