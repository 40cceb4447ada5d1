/**
 * At most one run of `task` at a time: a call while one is under way gets that run's promise
 * instead of starting another (e.g. a status poll asked for by a timer and by a command at once).
 */
export class SingleFlight<A extends unknown[]> {
  private current: Promise<void> | null = null;

  /** `settled` runs after every run, once a new one could start. */
  constructor(
    private readonly task: (...args: A) => Promise<void>,
    private readonly settled?: () => void,
  ) {}

  /** Starts a run with these arguments, or joins the one under way (whose arguments win). */
  run(...args: A): Promise<void> {
    this.current ??= this.task(...args).finally(() => {
      this.current = null;
      this.settled?.();
    });
    return this.current;
  }

  get busy(): boolean {
    return this.current !== null;
  }

  /** Resolves when the run under way (if any) has ended, however it ended. */
  idle(): Promise<void> {
    return this.current ? this.current.catch(() => undefined) : Promise.resolve();
  }
}
