export interface CoalescerOptions {
  /** At most one message per key in this many ms (latest wins in between). */
  minIntervalMs: number;
  /** At most this many messages per second over all keys; the rest wait their turn. */
  maxPerSecond: number;
  now?: () => number;
}

/**
 * Rate-limits latest-wins messages (status snapshots): per key at most one per interval, in all at
 * most N per second, and never a queue that grows, because a key keeps only its newest value.
 * Waiting keys are sent oldest-first, so a busy key cannot starve the others.
 */
export class Coalescer<T> {
  private readonly pending = new Map<string, T>();
  private readonly lastSent = new Map<string, number>();
  private windowStart = 0;
  private sentInWindow = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private disposed = false;
  private readonly now: () => number;

  constructor(
    private readonly send: (key: string, value: T) => void,
    private readonly options: CoalescerOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  offer(key: string, value: T): void {
    if (this.disposed) return;
    // Re-inserting moves the key to the back of the line.
    this.pending.delete(key);
    this.pending.set(key, value);
    this.pump();
  }

  /** Forgets a key (its device is gone): nothing pending is sent, and its next value goes at once. */
  drop(key: string): void {
    this.pending.delete(key);
    this.lastSent.delete(key);
  }

  /** Lets every key send at once again (after a reconnect, when everything is republished). */
  resetIntervals(): void {
    this.lastSent.clear();
  }

  get waiting(): number {
    return this.pending.size;
  }

  dispose(): void {
    this.disposed = true;
    this.pending.clear();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private pump(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const now = this.now();
    if (now - this.windowStart >= 1000) {
      this.windowStart = now;
      this.sentInWindow = 0;
    }
    let nextAt = Infinity;
    for (const [key, value] of this.pending) {
      const readyAt = (this.lastSent.get(key) ?? -Infinity) + this.options.minIntervalMs;
      if (readyAt > now) {
        nextAt = Math.min(nextAt, readyAt);
        continue;
      }
      if (this.sentInWindow >= this.options.maxPerSecond) {
        nextAt = Math.min(nextAt, this.windowStart + 1000);
        break;
      }
      this.pending.delete(key);
      this.lastSent.set(key, now);
      this.sentInWindow++;
      this.send(key, value);
    }
    if (nextAt !== Infinity && !this.disposed) {
      this.timer = setTimeout(() => this.pump(), Math.max(1, nextAt - now));
      this.timer.unref?.();
    }
  }
}
