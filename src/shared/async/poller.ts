import { SingleFlight } from './single-flight';

export interface PollerOptions {
  /** One poll. `force` is true when it was asked for by hand (a refresh), false from the timer. */
  poll: (force: boolean) => Promise<void>;
  /**
   * Asked after every poll while the poller runs: the wait before the next one, or null for none
   * (e.g. signed out). This is where an interval adapts (fast while printing, back-off after failures).
   */
  next: () => number | null;
  /** Runs after every poll, once the next one is scheduled. */
  settled?: () => void;
  /** Do not keep a Node process alive just for the next poll. */
  unref?: boolean;
}

/**
 * Polls on a timer whose next interval the owner decides after each poll, never two polls at once:
 * a poll asked for while one runs joins it. Stopped, it schedules nothing (a poll asked for by hand
 * still runs).
 */
export class Poller {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private runningValue = false;
  private readonly flight: SingleFlight<[boolean]>;

  constructor(private readonly options: PollerOptions) {
    this.flight = new SingleFlight(options.poll, () => {
      if (this.runningValue) {
        const wait = options.next();
        if (wait !== null) this.schedule(wait);
      }
      options.settled?.();
    });
  }

  get running(): boolean {
    return this.runningValue;
  }

  /** Lets the poller schedule; the first poll comes from `schedule` or `poll`. */
  start(): void {
    this.runningValue = true;
  }

  stop(): void {
    this.runningValue = false;
    this.cancel();
  }

  /** Replaces any scheduled poll with one in `ms`; does nothing when stopped. */
  schedule(ms: number): void {
    this.cancel();
    if (!this.runningValue) return;
    const timer = setTimeout(() => {
      this.timer = null;
      void this.poll(false);
    }, ms);
    if (this.options.unref) (timer as { unref?: () => void }).unref?.();
    this.timer = timer;
  }

  /** Drops the scheduled poll, if any (a poll under way finishes). */
  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Polls now, or joins the poll under way. */
  poll(force = false): Promise<void> {
    return this.flight.run(force);
  }

  /** Resolves when the poll under way (if any) has ended. */
  idle(): Promise<void> {
    return this.flight.idle();
  }
}
