import { latin1Text } from './bytes';

/**
 * Bounded LF line splitter for plain text protocols. Yields each line without its terminator,
 * or null once when a line exceeded the bound (the rest of that line is then skipped).
 */
export class BoundedLineSplitter {
  private buffer = new Uint8Array(0);
  private skipping = false;

  constructor(private readonly maxLineBytes: number) {}

  get bufferedBytes(): number {
    return this.buffer.length;
  }

  feed(chunk: Uint8Array): (string | null)[] {
    const out: (string | null)[] = [];
    let start = 0;
    for (let i = 0; i < chunk.length; i++) {
      if (chunk[i] !== 0x0a) continue;
      const piece = chunk.subarray(start, i);
      start = i + 1;
      if (this.skipping) {
        this.skipping = false;
        this.buffer = new Uint8Array(0);
        continue;
      }
      if (this.buffer.length + piece.length > this.maxLineBytes) {
        out.push(null);
        this.buffer = new Uint8Array(0);
        continue;
      }
      const line = new Uint8Array(this.buffer.length + piece.length);
      line.set(this.buffer);
      line.set(piece, this.buffer.length);
      this.buffer = new Uint8Array(0);
      out.push(latin1Text(line).replace(/\r$/, ''));
    }
    const rest = chunk.subarray(start);
    if (this.skipping || rest.length === 0) return out;
    if (this.buffer.length + rest.length > this.maxLineBytes) {
      out.push(null);
      this.buffer = new Uint8Array(0);
      this.skipping = true;
      return out;
    }
    const next = new Uint8Array(this.buffer.length + rest.length);
    next.set(this.buffer);
    next.set(rest, this.buffer.length);
    this.buffer = next;
    return out;
  }
}
