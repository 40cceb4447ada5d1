/**
 * Firmware output → text lines. Marlin ends lines with `\n` (some boards add `\r`); empty lines
 * mean nothing. Text is UTF-8 when valid, else latin-1 (noise on a wrong baud rate is neither).
 * A line longer than `maxLineBytes` is cut there, so a stream of garbage cannot grow memory.
 */
export class LineSplitter {
  private pending: number[] = [];
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });

  constructor(private readonly maxLineBytes = 1024) {}

  push(chunk: Uint8Array): string[] {
    const lines: string[] = [];
    for (const byte of chunk) {
      if (byte === 0x0a || byte === 0x0d) {
        if (this.pending.length > 0) lines.push(this.decode());
        continue;
      }
      if (this.pending.length < this.maxLineBytes) this.pending.push(byte);
    }
    return lines;
  }

  reset(): void {
    this.pending = [];
  }

  private decode(): string {
    const bytes = Uint8Array.from(this.pending);
    this.pending = [];
    try {
      return this.decoder.decode(bytes);
    } catch {
      return Buffer.from(bytes).toString('latin1');
    }
  }
}
