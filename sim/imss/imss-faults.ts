/**
 * Faults of the IMSS data path, on top of the generic GrpcFaults (slow calls, UNAVAILABLE bursts,
 * restart): a link cut after N bytes of an upload stream, a slow link (bytes per second), and
 * bytes damaged on the way in (the server's SHA-256 then disagrees with the registered one).
 */
export class ImssFaults {
  /** Each UploadImageData call past this many received bytes commits them and then breaks. */
  cutAfterBytes = 0;
  /** How many more calls the cut applies to (0 = none). */
  cutsLeft = 0;
  /** Caps the data path at this rate (0 = unlimited). */
  bytesPerSecond = 0;
  /** How many more upload streams get their first chunk damaged (one byte flipped). */
  corruptStreamsLeft = 0;

  describe(): string[] {
    const out: string[] = [];
    if (this.cutsLeft > 0) out.push(`cut upload streams after ${this.cutAfterBytes} bytes (${this.cutsLeft} more)`);
    if (this.bytesPerSecond > 0) out.push(`slow link ${Math.round(this.bytesPerSecond / 1024)} KiB/s`);
    if (this.corruptStreamsLeft > 0) out.push(`damage the bytes of ${this.corruptStreamsLeft} more upload streams`);
    return out;
  }

  clear(): void {
    this.cutAfterBytes = 0;
    this.cutsLeft = 0;
    this.bytesPerSecond = 0;
    this.corruptStreamsLeft = 0;
  }

  /** The chunk as stored: the first chunk of a damaged stream has one byte flipped. */
  damage(chunk: Uint8Array, firstOfStream: boolean): Uint8Array {
    if (!firstOfStream || this.corruptStreamsLeft <= 0 || chunk.length === 0) return chunk;
    this.corruptStreamsLeft -= 1;
    const copy = Uint8Array.from(chunk);
    copy[0] = (copy[0] ?? 0) ^ 0xff;
    return copy;
  }

  cutStreams(afterBytes: number, times = 1): void {
    this.cutAfterBytes = Math.max(0, afterBytes);
    this.cutsLeft = Math.max(0, times);
  }

  /** How many bytes of `length` a call that has received `soFar` may still take before it is cut, or null if no cut applies. */
  cutAllowance(soFar: number, length: number): number | null {
    if (this.cutsLeft <= 0) return null;
    if (soFar + length <= this.cutAfterBytes) return null;
    this.cutsLeft -= 1;
    return Math.max(0, this.cutAfterBytes - soFar);
  }

  async throttle(bytes: number): Promise<void> {
    if (this.bytesPerSecond <= 0 || bytes <= 0) return;
    await new Promise((r) => setTimeout(r, (bytes / this.bytesPerSecond) * 1000));
  }
}
