/**
 * How a back-off step is spread out, so that many clients failing together do not retry together:
 * - `none`: exactly the step (one client, nothing to spread);
 * - `full`: anywhere from 0 to the step (the widest spread; a retry may come at once);
 * - `equal`: half the step fixed, half random (spread, but never an immediate retry);
 * - `{ spread }`: the step ± that fraction of it (e.g. 0.25 → 75 %…125 %).
 */
export type Jitter = 'none' | 'full' | 'equal' | { spread: number };

export interface BackoffPolicy {
  /** The step for attempt 0; it doubles with every attempt … */
  baseMs: number;
  /** … up to this. */
  maxMs: number;
  jitter: Jitter;
}

/** Beyond 2^30 the step is past any cap a caller would set; the limit keeps the number finite. */
const MAX_EXPONENT = 30;

/** Applies a jitter to one step; `random` returns [0, 1) like Math.random (tests pass their own). */
export function jittered(stepMs: number, jitter: Jitter, random: () => number = Math.random): number {
  if (jitter === 'none') return stepMs;
  if (jitter === 'full') return Math.round(random() * stepMs);
  if (jitter === 'equal') return Math.round(stepMs / 2 + random() * (stepMs / 2));
  return Math.round(stepMs * (1 - jitter.spread + random() * 2 * jitter.spread));
}

/** Exponential back-off: the wait before retry number `attempt` (counting from 0), capped, then jittered. */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(attempt, 0), MAX_EXPONENT);
  return jittered(Math.min(policy.maxMs, policy.baseMs * 2 ** exponent), policy.jitter, random);
}

/** A back-off given as a table (e.g. a protocol's documented waits): entry `attempt`, the last one after that. */
export function stepDelay(steps: readonly number[], attempt: number, fallbackMs: number): number {
  return steps[Math.min(Math.max(attempt, 0), steps.length - 1)] ?? fallbackMs;
}
