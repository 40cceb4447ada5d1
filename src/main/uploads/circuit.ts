import { backoffDelay, type BackoffPolicy } from '../../shared/async';

/**
 * The queue's retry and probe waits: base·2^attempt, capped, with equal jitter (half fixed, half
 * random), so uploads that failed together spread out but none is retried at once.
 */
export function retryPolicy(baseMs: number, maxMs: number): BackoffPolicy {
  return { baseMs, maxMs, jitter: 'equal' };
}

export interface CircuitOptions {
  /** Consecutive transient failures that open the circuit. */
  threshold: number;
  /** First and longest wait between probes while open. */
  probeBaseMs: number;
  probeCapMs: number;
  random?: () => number;
}

export type CircuitState = 'ok' | 'down';

/**
 * A circuit breaker per server: after `threshold` transient failures in a row the queue stops
 * sending to that server and probes it with growing, jittered waits; the first successful probe
 * closes the circuit and the queue carries on.
 */
export class Circuit {
  private failures = 0;
  private probes = 0;
  private timer: NodeJS.Timeout | null = null;
  private probing = false;
  state: CircuitState = 'ok';
  message: string | null = null;

  constructor(
    private readonly options: CircuitOptions,
    private readonly probe: () => Promise<void>,
    private readonly onChange: (state: CircuitState) => void,
  ) {}

  get open(): boolean {
    return this.state === 'down';
  }

  success(): void {
    this.failures = 0;
    if (this.state === 'down') this.close();
  }

  /** Records a transient failure; returns true when the circuit is (now) open. */
  failure(message: string): boolean {
    this.failures += 1;
    this.message = message;
    if (this.state === 'ok' && this.failures >= this.options.threshold) {
      this.state = 'down';
      this.probes = 0;
      this.onChange('down');
      this.scheduleProbe();
    }
    return this.state === 'down';
  }

  /** Opens the circuit at once (e.g. the server refused our credentials). */
  trip(message: string): void {
    this.failures = this.options.threshold;
    this.message = message;
    if (this.state === 'down') return;
    this.state = 'down';
    this.probes = 0;
    this.onChange('down');
    this.scheduleProbe();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private close(): void {
    this.dispose();
    this.state = 'ok';
    this.message = null;
    this.failures = 0;
    this.onChange('ok');
  }

  private scheduleProbe(): void {
    if (this.timer || this.probing) return;
    const wait = backoffDelay(this.probes, retryPolicy(this.options.probeBaseMs, this.options.probeCapMs), this.options.random);
    this.probes += 1;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.probing = true;
      this.probe().then(
        () => {
          this.probing = false;
          if (this.state === 'down') this.close();
        },
        (err: unknown) => {
          this.probing = false;
          if (err instanceof Error) this.message = err.message;
          if (this.state === 'down') this.scheduleProbe();
        },
      );
    }, wait);
    this.timer.unref?.();
  }
}
