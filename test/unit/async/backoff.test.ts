import { describe, expect, it } from 'vitest';
import { backoffDelay, jittered, stepDelay, type BackoffPolicy } from '../../../src/shared/async';

const low = () => 0;
const high = () => 0.999_999;

describe('backoffDelay', () => {
  it('doubles from the base and stops at the cap', () => {
    const policy: BackoffPolicy = { baseMs: 100, maxMs: 1_000, jitter: 'none' };
    expect([0, 1, 2, 3, 4, 5, 40].map((n) => backoffDelay(n, policy))).toEqual([100, 200, 400, 800, 1_000, 1_000, 1_000]);
    expect(backoffDelay(-3, policy)).toBe(100);
    expect(backoffDelay(10_000, { ...policy, maxMs: Number.MAX_SAFE_INTEGER })).toBe(100 * 2 ** 30);
  });

  it('full jitter spreads from zero to the step', () => {
    const policy: BackoffPolicy = { baseMs: 100, maxMs: 10_000, jitter: 'full' };
    expect(backoffDelay(3, policy, low)).toBe(0);
    expect(backoffDelay(3, policy, high)).toBe(800);
    expect(backoffDelay(3, policy, () => 0.5)).toBe(400);
  });

  it('equal jitter keeps half the step and never retries at once', () => {
    const policy: BackoffPolicy = { baseMs: 100, maxMs: 10_000, jitter: 'equal' };
    expect(backoffDelay(3, policy, low)).toBe(400);
    expect(backoffDelay(3, policy, high)).toBe(800);
  });

  it('a spread jitter stays within ± that fraction of the step', () => {
    const policy: BackoffPolicy = { baseMs: 1_000, maxMs: 30_000, jitter: { spread: 0.2 } };
    expect(backoffDelay(1, policy, low)).toBe(1_600);
    expect(backoffDelay(1, policy, high)).toBe(2_400);
    expect(backoffDelay(1, policy, () => 0.5)).toBe(2_000);
  });

  it('stays within its bounds with the real random source', () => {
    for (const jitter of ['full', 'equal', { spread: 0.25 }] as const) {
      for (let attempt = 0; attempt < 12; attempt++) {
        const step = Math.min(5_000, 50 * 2 ** attempt);
        const floor = jitter === 'full' ? 0 : jitter === 'equal' ? step / 2 : step * 0.75;
        const ceiling = jitter === 'full' || jitter === 'equal' ? step : step * 1.25;
        const d = backoffDelay(attempt, { baseMs: 50, maxMs: 5_000, jitter });
        expect(d).toBeGreaterThanOrEqual(Math.floor(floor));
        expect(d).toBeLessThanOrEqual(Math.ceil(ceiling));
      }
    }
  });

  it('jittered applies one policy to a fixed wait', () => {
    expect(jittered(500, 'full', high)).toBe(500);
    expect(jittered(500, 'full', low)).toBe(0);
    expect(jittered(500, 'none', high)).toBe(500);
  });
});

describe('stepDelay', () => {
  it('reads the table and repeats its last entry', () => {
    const steps = [250, 500, 1_000];
    expect([0, 1, 2, 3, 9].map((n) => stepDelay(steps, n, 7))).toEqual([250, 500, 1_000, 1_000, 1_000]);
    expect(stepDelay([], 0, 7)).toBe(7);
  });
});
