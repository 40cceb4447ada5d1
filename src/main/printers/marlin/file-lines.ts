import { open, type FileHandle } from 'node:fs/promises';
import type { JobSource } from './engine/streamer';
import { cleanLine } from './protocol/framing';

const CHUNK = 64 * 1024;
const LOW_WATER = 2_000;

/**
 * A G-code file as print lines, read ahead in 64 KiB pieces (never whole), comments and blank
 * lines dropped. Each line carries the file bytes it stands for, the dropped ones included, so
 * progress reaches exactly the file size. `observe` sees every command as it is handed out.
 */
export class FileLines implements JobSource {
  private handle: FileHandle | null = null;
  private readonly lines: Array<{ command: string; sourceBytes: number }> = [];
  private head = 0;
  private carry = Buffer.alloc(0);
  private skippedBytes = 0;
  private eof = false;
  private reading: Promise<void> | null = null;
  private failure: Error | null = null;

  private constructor(
    readonly totalBytes: number,
    private readonly observe: (command: string) => void,
  ) {}

  static async open(path: string, observe: (command: string) => void = () => undefined): Promise<FileLines> {
    const handle = await open(path, 'r');
    const { size } = await handle.stat();
    const lines = new FileLines(size, observe);
    lines.handle = handle;
    await lines.fill();
    return lines;
  }

  get error(): Error | null {
    return this.failure;
  }

  next(): { command: string; sourceBytes: number } | null | 'later' {
    if (this.lines.length - this.head < LOW_WATER && !this.eof && !this.reading) this.reading = this.fill().finally(() => (this.reading = null));
    if (this.head < this.lines.length) {
      const line = this.lines[this.head++]!;
      if (this.head > 10_000) {
        this.lines.splice(0, this.head);
        this.head = 0;
      }
      this.observe(line.command);
      return line;
    }
    return this.eof || this.failure ? null : 'later';
  }

  async close(): Promise<void> {
    const handle = this.handle;
    this.handle = null;
    await handle?.close().catch(() => undefined);
  }

  private async fill(): Promise<void> {
    const handle = this.handle;
    if (!handle || this.eof) return;
    try {
      const buf = Buffer.alloc(CHUNK);
      const { bytesRead } = await handle.read(buf, 0, CHUNK, null);
      if (bytesRead === 0) {
        this.eof = true;
        if (this.carry.length > 0) this.push(this.carry.toString('latin1'), this.carry.length);
        else if (this.skippedBytes > 0 && this.lines.length > 0) this.lines[this.lines.length - 1]!.sourceBytes += this.skippedBytes;
        this.carry = Buffer.alloc(0);
        await this.close();
        return;
      }
      const data = Buffer.concat([this.carry, buf.subarray(0, bytesRead)]);
      let start = 0;
      for (let i = 0; i < data.length; i++) {
        if (data[i] !== 0x0a) continue;
        this.push(data.subarray(start, i).toString('latin1'), i + 1 - start);
        start = i + 1;
      }
      this.carry = Buffer.from(data.subarray(start));
    } catch (err) {
      this.failure = err instanceof Error ? err : new Error(String(err));
      this.eof = true;
    }
  }

  private push(raw: string, bytes: number): void {
    const command = cleanLine(raw);
    if (!command) {
      this.skippedBytes += bytes;
      return;
    }
    this.lines.push({ command, sourceBytes: bytes + this.skippedBytes });
    this.skippedBytes = 0;
  }
}
