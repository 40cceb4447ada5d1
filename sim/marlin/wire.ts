/**
 * One direction of a simulated serial line: bytes leave at the configured baud rate (10 bits per
 * byte: 8N1), never faster, whatever the pty underneath can do. Optional noise corrupts whole
 * lines with a given probability — one byte changed per corrupted line, as a glitch on the wire
 * would — using a seeded generator so runs can be repeated.
 */
export class SerialWire {
  private readonly queue: number[] = [];
  private head = 0;
  private timer: NodeJS.Timeout | null = null;
  private credit = 0;
  private lastAt = 0;
  private lineStart = true;
  private corruptThisLine = false;
  private corruptAt = 0;
  private column = 0;
  private rng: () => number;
  /** Lines that got a changed byte (for the figures). */
  corruptedLines = 0;

  constructor(
    private bytesPerSecond: number,
    private readonly sink: (bytes: Uint8Array) => void,
    public noise = 0,
    seed = 1,
  ) {
    this.rng = mulberry32(seed);
  }

  setBaud(baud: number): void {
    this.bytesPerSecond = baud / 10;
  }

  setNoise(probability: number, seed?: number): void {
    this.noise = probability;
    if (seed !== undefined) this.rng = mulberry32(seed);
  }

  get pending(): number {
    return this.queue.length - this.head;
  }

  send(bytes: Uint8Array): void {
    for (const b of bytes) this.queue.push(this.mangle(b));
    if (!this.timer) {
      this.lastAt = performance.now();
      this.credit = 0;
      this.pump();
    }
  }

  clear(): void {
    this.queue.length = 0;
    this.head = 0;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private mangle(byte: number): number {
    if (this.lineStart) {
      this.lineStart = false;
      this.column = 0;
      // The first byte is left alone: a line whose leading `N` is lost would be an unnumbered
      // command to the firmware, which no checksum protects (a real hazard of serial links, but not
      // the one this noise is for).
      this.corruptThisLine = this.noise > 0 && this.rng() < this.noise;
      this.corruptAt = 1 + Math.floor(this.rng() * 8);
    }
    if (byte === 0x0a || byte === 0x0d) {
      this.lineStart = true;
      return byte;
    }
    this.column++;
    if (this.corruptThisLine && this.column - 1 === this.corruptAt) {
      this.corruptThisLine = false;
      this.corruptedLines++;
      // A printable byte other than the original, never a line end, `;` or `*` (those would change
      // the framing rather than the content, which the checksum is not there to catch).
      let other = byte;
      while (other === byte || other === 0x3b || other === 0x2a) other = 0x30 + Math.floor(this.rng() * 42);
      return other;
    }
    return byte;
  }

  private pump(): void {
    this.timer = null;
    const now = performance.now();
    this.credit += ((now - this.lastAt) / 1000) * this.bytesPerSecond;
    this.lastAt = now;
    const n = Math.min(this.pending, Math.floor(this.credit));
    if (n > 0) {
      this.credit -= n;
      const chunk = Uint8Array.from(this.queue.slice(this.head, this.head + n));
      this.head += n;
      if (this.head > 4096) {
        this.queue.splice(0, this.head);
        this.head = 0;
      }
      this.sink(chunk);
    }
    if (this.pending > 0) this.timer = setTimeout(() => this.pump(), 1);
    else this.credit = 0;
  }
}

/** Small seeded PRNG (mulberry32): repeatable noise for tests and figures. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
