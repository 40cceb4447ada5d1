import { asciiBytes, readU32BE } from './bytes';
import { v2ByteSum, XYZ_V2_FRAME_SIZE } from './v2';

/** PRINTER SIDE (simulator) of the v2 `XYZ_@3D:` protocol. */

/** `KEY:value` reply lines, LF terminated. */
export function encodeV2Lines(lines: readonly (readonly [string, string] | string)[]): Uint8Array {
  return asciiBytes(lines.map((l) => (typeof l === 'string' ? `${l}\n` : `${l[0]}:${l[1]}\n`)).join(''));
}

export type XyzV2FrameEvent =
  { kind: 'frame'; index: number; data: Uint8Array; checksumOk: boolean } | { kind: 'complete'; totalBytes: number };

/**
 * Receives the offline-print payload: frames of `frameSize` bytes (the last one shorter) each
 * followed by a u32 BE byte sum. A bad checksum frame is reported and not counted, so the host's
 * resend of the same frame is accepted next (`CheckSumFail` → resend).
 */
export class XyzV2FrameDecoder {
  private buffer = new Uint8Array(0);
  private received = 0;
  private index = 0;

  constructor(
    readonly totalBytes: number,
    readonly frameSize = XYZ_V2_FRAME_SIZE,
  ) {}

  get done(): boolean {
    return this.received >= this.totalBytes;
  }

  get bufferedBytes(): number {
    return this.buffer.length;
  }

  feed(chunk: Uint8Array): { events: XyzV2FrameEvent[]; consumed: number } {
    const events: XyzV2FrameEvent[] = [];
    let consumed = 0;
    while (consumed < chunk.length && !this.done) {
      const frameLen = Math.min(this.frameSize, this.totalBytes - this.received) + 4;
      const take = chunk.subarray(consumed, consumed + frameLen - this.buffer.length);
      consumed += take.length;
      const next = new Uint8Array(this.buffer.length + take.length);
      next.set(this.buffer);
      next.set(take, this.buffer.length);
      this.buffer = next;
      if (this.buffer.length < frameLen) break;
      const data = this.buffer.slice(0, frameLen - 4);
      const checksumOk = readU32BE(this.buffer, frameLen - 4) === v2ByteSum(data);
      this.buffer = new Uint8Array(0);
      events.push({ kind: 'frame', index: this.index, data, checksumOk });
      if (checksumOk) {
        this.index++;
        this.received += data.length;
        if (this.done) events.push({ kind: 'complete', totalBytes: this.totalBytes });
      }
    }
    return { events, consumed };
  }
}
