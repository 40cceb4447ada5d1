import { latin1Text } from './bytes';
import type { XyzReplyEvent } from './reply-events';
import { classifyReplyLine } from './reply-line';

export interface XyzReplyParserLimits {
  /** Longest line (or binary value) kept while waiting for its end. */
  maxLineBytes: number;
  /** Most bytes one reply may span between terminators (`$`, `ok`, `E…`) before it is abandoned. */
  maxReplyBytes: number;
}

export const DEFAULT_REPLY_PARSER_LIMITS: XyzReplyParserLimits = {
  // `W:` (Wi-Fi scan JSON) is the longest line a printer is known to send; 16 KiB leaves room.
  maxLineBytes: 16 * 1024,
  maxReplyBytes: 64 * 1024,
};

/** Binary values of a known fixed size; `"` or `\n` may occur inside them. */
const FIXED_BINARY_SIZES: ReadonlyMap<string, number> = new Map([
  ['signature', 32],
  ['uid', 4],
]);

const LF = 0x0a;
const QUOTE = 0x22;
const COLON = 0x3a;
const MAX_NAME = 32;

function isNameByte(b: number): boolean {
  return (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x5f;
}

type BinaryProbe = { kind: 'no' } | { kind: 'undecided' } | { kind: 'yes'; name: string; valueStart: number };

/**
 * Streaming parser for printer→host bytes of the XYZv3 text protocol. Feed chunks of any size;
 * get events out. It never throws on input and never buffers more than `maxLineBytes`.
 */
export class XyzReplyParser {
  private buffer = new Uint8Array(0);
  private discardingLine = false;
  private discardingReply = false;
  private replyBytes = 0;
  private readonly limits: XyzReplyParserLimits;

  constructor(limits: Partial<XyzReplyParserLimits> = {}) {
    this.limits = { ...DEFAULT_REPLY_PARSER_LIMITS, ...limits };
  }

  /** Bytes held while waiting for the end of a line; always ≤ maxLineBytes. */
  get bufferedBytes(): number {
    return this.buffer.length;
  }

  /** Call when a new request is sent: the per-reply size budget starts again. */
  beginReply(): void {
    this.replyBytes = 0;
    this.discardingReply = false;
  }

  /** Forget everything buffered (after draining the port or reconnecting). */
  reset(): void {
    this.buffer = new Uint8Array(0);
    this.discardingLine = false;
    this.beginReply();
  }

  feed(chunk: Uint8Array): XyzReplyEvent[] {
    const events: XyzReplyEvent[] = [];
    let offset = 0;
    // Take the input in slices that fit the buffer so a huge chunk cannot grow it past the bound.
    while (offset < chunk.length) {
      const room = Math.max(1, this.limits.maxLineBytes - this.buffer.length);
      const slice = chunk.subarray(offset, Math.min(chunk.length, offset + room));
      offset += slice.length;
      this.append(slice);
      this.drain(events);
      if (this.buffer.length >= this.limits.maxLineBytes) this.overflowLine(events);
    }
    return events;
  }

  private append(slice: Uint8Array): void {
    if (this.discardingLine) {
      const nl = slice.indexOf(LF);
      if (nl < 0) return;
      this.discardingLine = false;
      slice = slice.subarray(nl + 1);
    }
    const next = new Uint8Array(this.buffer.length + slice.length);
    next.set(this.buffer);
    next.set(slice, this.buffer.length);
    this.buffer = next;
  }

  private drain(events: XyzReplyEvent[]): void {
    for (;;) {
      if (this.buffer.length === 0) return;
      const probe = this.probeBinary();
      if (probe.kind === 'undecided') return;
      const consumed = probe.kind === 'yes' ? this.takeBinary(probe, events) : this.takeLine(events);
      if (consumed === 0) return;
      this.buffer = this.buffer.subarray(consumed);
    }
  }

  /** Does the buffered line start with `name:"`? Binary values must not be split on `\n`. */
  private probeBinary(): BinaryProbe {
    const b = this.buffer;
    let i = 0;
    while (i < b.length && i < MAX_NAME && isNameByte(b[i] ?? 0)) i++;
    if (i === b.length || (b[i] === COLON && i + 1 === b.length)) {
      return i <= MAX_NAME ? { kind: 'undecided' } : { kind: 'no' };
    }
    // One-letter keys are status fields; none of them carries raw bytes.
    if (i < 2 || b[i] !== COLON || b[i + 1] !== QUOTE) return { kind: 'no' };
    return { kind: 'yes', name: latin1Text(b.subarray(0, i)), valueStart: i + 2 };
  }

  private takeBinary(probe: { name: string; valueStart: number }, events: XyzReplyEvent[]): number {
    const b = this.buffer;
    const fixed = FIXED_BINARY_SIZES.get(probe.name);
    if (fixed !== undefined) {
      const close = probe.valueStart + fixed;
      if (b.length <= close) return 0;
      if (b[close] === QUOTE) {
        this.emit(events, { kind: 'binary', name: probe.name, bytes: b.slice(probe.valueStart, close) }, close + 1);
        return close + 1;
      }
      // Wrong size: fall through to the delimiter search below rather than guessing.
    }
    for (let i = probe.valueStart; i + 1 < b.length; i++) {
      if (b[i] === QUOTE && b[i + 1] === LF) {
        this.emit(events, { kind: 'binary', name: probe.name, bytes: b.slice(probe.valueStart, i) }, i + 2);
        return i + 2;
      }
    }
    return 0;
  }

  private takeLine(events: XyzReplyEvent[]): number {
    const nl = this.buffer.indexOf(LF);
    if (nl < 0) return 0;
    const event = classifyReplyLine(latin1Text(this.buffer.subarray(0, nl)));
    if (event) this.emit(events, event, nl + 1);
    return nl + 1;
  }

  private emit(events: XyzReplyEvent[], event: XyzReplyEvent, size: number): void {
    const terminal = event.kind === 'end' || event.kind === 'ok' || event.kind === 'error';
    if (this.discardingReply) {
      // Resynchronise on the next terminator; everything before it belongs to the abandoned reply.
      if (terminal) this.beginReply();
      return;
    }
    this.replyBytes += size;
    if (this.replyBytes > this.limits.maxReplyBytes) {
      this.discardingReply = !terminal;
      this.replyBytes = 0;
      events.push({
        kind: 'protocol-error',
        code: 'reply-too-long',
        detail: `reply exceeded ${this.limits.maxReplyBytes} bytes`,
      });
      return;
    }
    events.push(event);
    if (terminal) this.replyBytes = 0;
  }

  private overflowLine(events: XyzReplyEvent[]): void {
    events.push({
      kind: 'protocol-error',
      code: 'line-too-long',
      detail: `no line end within ${this.limits.maxLineBytes} bytes`,
    });
    this.buffer = new Uint8Array(0);
    this.discardingLine = true;
  }
}
