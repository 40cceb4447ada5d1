import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Poller, SingleFlight } from '../../../src/shared/async';

/** A promise the test settles by hand. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open = (): void => undefined;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

describe('SingleFlight', () => {
  it('shares one run between callers and starts a new one after it ends', async () => {
    const g = gate();
    let runs = 0;
    const flight = new SingleFlight(async (tag: string) => {
      runs++;
      if (tag === 'first') await g.promise;
    });
    const a = flight.run('first');
    const b = flight.run('second');
    expect(a).toBe(b);
    expect(flight.busy).toBe(true);
    g.open();
    await a;
    expect(flight.busy).toBe(false);
    await flight.run('third');
    expect(runs).toBe(2);
  });

  it('idle() waits for the run under way and ignores its failure', async () => {
    const flight = new SingleFlight(() => Promise.reject(new Error('down')));
    const run = flight.run();
    await expect(flight.idle()).resolves.toBeUndefined();
    await expect(run).rejects.toThrow('down');
  });
});

describe('Poller', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('never runs two polls at once: a manual poll joins the one under way', async () => {
    const g = gate();
    const forces: boolean[] = [];
    const poller = new Poller({
      poll: async (force) => {
        forces.push(force);
        await g.promise;
      },
      next: () => null,
    });
    poller.start();
    poller.schedule(10);
    await vi.advanceTimersByTimeAsync(10);
    const manual = poller.poll(true);
    g.open();
    await manual;
    expect(forces).toEqual([false]);
  });

  it('asks `next` after each poll, and schedules nothing once stopped', async () => {
    let polls = 0;
    const waits = [100, 50, null];
    const poller = new Poller({
      poll: async () => {
        polls++;
      },
      next: () => waits.shift() ?? null,
    });
    poller.start();
    poller.schedule(0);
    await vi.advanceTimersByTimeAsync(0);
    expect(polls).toBe(1);
    await vi.advanceTimersByTimeAsync(100);
    expect(polls).toBe(2);
    poller.stop();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(polls).toBe(2);
    poller.schedule(0);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(polls).toBe(2);
  });

  it('a poll asked for by hand still runs when stopped, and calls `settled`', async () => {
    let settled = 0;
    let polls = 0;
    const poller = new Poller({
      poll: async () => {
        polls++;
      },
      next: () => 1_000,
      settled: () => settled++,
    });
    await poller.poll();
    await vi.advanceTimersByTimeAsync(10_000);
    expect({ polls, settled }).toEqual({ polls: 1, settled: 1 });
  });

  it('cancel drops the scheduled poll', async () => {
    let polls = 0;
    const poller = new Poller({
      poll: async () => {
        polls++;
      },
      next: () => null,
    });
    poller.start();
    poller.schedule(100);
    poller.cancel();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(polls).toBe(0);
  });
});
