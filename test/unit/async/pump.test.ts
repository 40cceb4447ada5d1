import { describe, expect, it } from 'vitest';
import { Pump } from '../../../src/shared/async';

describe('Pump', () => {
  it('coalesces requests made during a drain into one more drain', async () => {
    let drains = 0;
    let release = (): void => undefined;
    const pump = new Pump({
      drain: async () => {
        drains++;
        if (drains === 1) await new Promise<void>((resolve) => (release = resolve));
      },
    });
    const first = pump.request();
    void pump.request();
    void pump.request();
    void pump.request();
    expect(pump.busy).toBe(true);
    release();
    await first;
    expect(drains).toBe(2);
    expect(pump.busy).toBe(false);
  });

  it('runs a synchronous drain synchronously, again when asked from inside', () => {
    const work = ['a', 'b'];
    const done: string[] = [];
    let settled = 0;
    const pump = new Pump({
      drain: () => {
        const item = work.shift();
        if (item === undefined) return;
        done.push(item);
        void pump.request(); // more may be waiting
      },
      settled: () => settled++,
    });
    void pump.request();
    expect(done).toEqual(['a', 'b']);
    expect(settled).toBe(1);
  });

  it('ignores requests while halted and ends a running pump after its drain', async () => {
    let halted = false;
    let drains = 0;
    const pump = new Pump({
      drain: () => {
        drains++;
        void pump.request();
        halted = true;
      },
      halted: () => halted,
    });
    await pump.request();
    expect(drains).toBe(1);
    await pump.request();
    expect(drains).toBe(1);
  });

  it('settles after a failing drain so the next request runs', async () => {
    let drains = 0;
    const pump = new Pump({
      drain: async () => {
        drains++;
        if (drains === 1) throw new Error('store busy');
      },
    });
    await expect(pump.request()).rejects.toThrow('store busy');
    await pump.request();
    expect(drains).toBe(2);
  });
});
