import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Throttle } from '../../../src/shared/async';

describe('Throttle', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('runs the first request at once, then once more at the end of the interval for a burst', () => {
    const run = vi.fn();
    const throttle = new Throttle(500, run);
    throttle.request();
    expect(run).toHaveBeenCalledTimes(1);
    for (let i = 0; i < 10; i++) throttle.request();
    expect(run).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(500);
    expect(run).toHaveBeenCalledTimes(2);
    vi.advanceTimersByTime(5000);
    expect(run).toHaveBeenCalledTimes(2);
  });

  it('runs at once again when the interval has passed', () => {
    const run = vi.fn();
    const throttle = new Throttle(200, run);
    throttle.request();
    vi.advanceTimersByTime(250);
    throttle.request();
    expect(run).toHaveBeenCalledTimes(2);
  });

  it('runNow skips the wait and drops the pending trailing run; cancel drops it too', () => {
    const run = vi.fn();
    const throttle = new Throttle(500, run);
    throttle.request();
    throttle.request();
    throttle.runNow();
    expect(run).toHaveBeenCalledTimes(2);
    vi.advanceTimersByTime(1000);
    expect(run).toHaveBeenCalledTimes(2);
    throttle.request();
    throttle.request();
    throttle.cancel();
    vi.advanceTimersByTime(1000);
    expect(run).toHaveBeenCalledTimes(3);
  });
});
