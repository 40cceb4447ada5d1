import type { OctoprintLogBatch } from '../../../shared/contract';

const FLUSH_MS = 250;
const MAX_LINES = 500;

/**
 * Terminal lines per device, sent as one batch at most every 250 ms and at most 500 lines a
 * batch (the rest are counted as dropped). The event hub coalesces per device on a 50 ms tick,
 * so batches this far apart are never merged away.
 */
export class LogBatcher {
  private readonly pending = new Map<string, { lines: string[]; dropped: number; seq: number; timer: NodeJS.Timeout | null }>();

  constructor(
    private readonly send: (batch: OctoprintLogBatch) => void,
    private readonly flushMs = FLUSH_MS,
  ) {}

  add(deviceId: string, lines: readonly string[]): void {
    let entry = this.pending.get(deviceId);
    if (!entry) this.pending.set(deviceId, (entry = { lines: [], dropped: 0, seq: 0, timer: null }));
    for (const line of lines) entry.lines.push(line.slice(0, 1000));
    if (entry.lines.length > MAX_LINES) entry.dropped += entry.lines.splice(0, entry.lines.length - MAX_LINES).length;
    if (entry.timer === null) {
      const target = entry;
      target.timer = setTimeout(() => this.flush(deviceId, target), this.flushMs);
    }
  }

  forget(deviceId: string): void {
    const entry = this.pending.get(deviceId);
    if (entry?.timer) clearTimeout(entry.timer);
    this.pending.delete(deviceId);
  }

  dispose(): void {
    for (const id of [...this.pending.keys()]) this.forget(id);
  }

  private flush(deviceId: string, entry: { lines: string[]; dropped: number; seq: number; timer: NodeJS.Timeout | null }): void {
    entry.timer = null;
    if (entry.lines.length === 0 && entry.dropped === 0) return;
    const batch: OctoprintLogBatch = { deviceId, seq: entry.seq++, lines: entry.lines, dropped: entry.dropped };
    entry.lines = [];
    entry.dropped = 0;
    this.send(batch);
  }
}
