/**
 * "Run again if asked while running": `request()` starts `drain` now, or, when a drain is under way,
 * makes it run once more after that one ends, so work added during a drain is never missed and
 * drains never overlap. A synchronous drain runs synchronously inside `request()`.
 */
export class Pump {
  private running = false;
  private again = false;

  constructor(
    private readonly options: {
      drain: () => void | Promise<void>;
      /** The owner's stop flag: while true, requests are ignored and a running pump ends after its drain. */
      halted?: () => boolean;
      /** Runs when the pump goes idle (e.g. to arm a timer for work that is due later). */
      settled?: () => void;
    },
  ) {}

  get busy(): boolean {
    return this.running;
  }

  request(): Promise<void> {
    if (this.options.halted?.()) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return Promise.resolve();
    }
    this.running = true;
    return this.loop();
  }

  private async loop(): Promise<void> {
    try {
      do {
        this.again = false;
        const pending = this.options.drain();
        // Awaited only when there is something to wait for, so a synchronous drain stays synchronous.
        if (pending) await pending;
      } while (this.again && !this.options.halted?.());
    } finally {
      this.running = false;
      this.options.settled?.();
    }
  }
}
