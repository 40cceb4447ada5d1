/**
 * The sandbox's own work, apart from the gRPC transport it shares with its clients: time spent in its request
 * handlers and in signing and handing on messages. The bench divides it by the messages routed, so the server's
 * per-message cost is visible on its own and never mistaken for the client's.
 */
export class SandboxMeter {
  private totalMs = 0;
  private depth = 0;

  /** Runs `work` and adds its time; work measured inside other measured work counts once. */
  measure<T>(work: () => T): T {
    if (this.depth > 0) return work();
    const started = performance.now();
    this.depth += 1;
    try {
      return work();
    } finally {
      this.depth -= 1;
      this.totalMs += performance.now() - started;
    }
  }

  /** Milliseconds measured since the last call (or since the start). */
  take(): number {
    const ms = this.totalMs;
    this.totalMs = 0;
    return ms;
  }
}
