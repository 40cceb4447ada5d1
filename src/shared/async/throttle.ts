/**
 * Runs `run` at most once every `intervalMs`, on the leading edge and then once more on the trailing edge for
 * whatever was asked in between — so the newest state always goes out, and a burst costs two runs, not one per
 * request. Drivers use it to keep a printer's status snapshots to a steady rate.
 */
export class Throttle {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private lastRunAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly intervalMs: number,
    private readonly run: () => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** Runs now if the interval has passed, else once when it has (requests in between share that run). */
  request(): void {
    const wait = this.lastRunAt + this.intervalMs - this.now();
    if (wait <= 0) {
      this.runNow();
      return;
    }
    this.timer ??= setTimeout(() => {
      this.timer = null;
      this.runNow();
    }, wait);
  }

  /** Runs at once, whatever the interval, and cancels a pending trailing run. */
  runNow(): void {
    this.cancel();
    this.lastRunAt = this.now();
    this.run();
  }

  cancel(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}
