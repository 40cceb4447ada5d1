import type { XyzProtocolErrorCode } from './protocol-error';

export type XyzJsonEvent =
  /** `endOffset`: index in the fed chunk just after the closing brace. */
  | { kind: 'object'; value: unknown; text: string; endOffset: number }
  | { kind: 'error'; code: XyzProtocolErrorCode; detail: string };

// Names and messages may be UTF-8; invalid bytes become U+FFFD instead of throwing.
const UTF8 = new TextDecoder('utf-8');
const OPEN = 0x7b;
const CLOSE = 0x7d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Splits a byte stream into top-level JSON objects that are not newline separated (1.1 Plus,
 *): tracks brace depth outside strings. Bounded: an object longer than `maxObjectBytes`
 * is dropped with an error and
 * scanning restarts at the next `{`. Bytes outside objects are skipped.
 */
export class XyzJsonStreamDecoder {
  private buffer: number[] = [];
  private depth = 0;
  private inString = false;
  private escaped = false;

  constructor(private readonly maxObjectBytes = 256 * 1024) {}

  get bufferedBytes(): number {
    return this.buffer.length;
  }

  reset(): void {
    this.buffer = [];
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
  }

  feed(chunk: Uint8Array): XyzJsonEvent[] {
    const events: XyzJsonEvent[] = [];
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i] ?? 0;
      if (this.depth === 0) {
        if (b !== OPEN) continue; // whitespace or garbage between objects
        this.depth = 1;
        this.inString = false;
        this.escaped = false;
        this.buffer = [b];
        continue;
      }
      this.buffer.push(b);
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (b === BACKSLASH) this.escaped = true;
        else if (b === QUOTE) this.inString = false;
      } else if (b === QUOTE) this.inString = true;
      else if (b === OPEN) this.depth++;
      else if (b === CLOSE) this.depth--;
      if (this.depth === 0) {
        events.push(this.finish(i + 1));
        this.buffer = [];
      } else if (this.buffer.length > this.maxObjectBytes) {
        events.push({ kind: 'error', code: 'json-too-large', detail: `object exceeded ${this.maxObjectBytes} bytes` });
        // Resynchronise at the next `{` rather than trusting brace counting through junk.
        this.reset();
      }
    }
    return events;
  }

  private finish(endOffset: number): XyzJsonEvent {
    const text = UTF8.decode(Uint8Array.from(this.buffer));
    try {
      return { kind: 'object', value: JSON.parse(text) as unknown, text, endOffset };
    } catch {
      return { kind: 'error', code: 'json-malformed', detail: text.slice(0, 200) };
    }
  }
}
