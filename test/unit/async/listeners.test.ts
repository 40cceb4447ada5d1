import { describe, expect, it } from 'vitest';
import { Listeners } from '../../../src/shared/async';

describe('Listeners', () => {
  it('calls every listener with the arguments and stops after unsubscribe', () => {
    const set = new Listeners<[string, number]>();
    const seen: string[] = [];
    const off = set.add((a, b) => seen.push(`one ${a}${b}`));
    set.add((a, b) => seen.push(`two ${a}${b}`));
    set.emit('x', 1);
    off();
    set.emit('y', 2);
    expect(seen).toEqual(['one x1', 'two x1', 'two y2']);
    expect(set.size).toBe(1);
  });

  it('isolates a throwing listener and reports its error', () => {
    const errors: unknown[] = [];
    const set = new Listeners<[]>((err) => errors.push(err));
    let reached = false;
    set.add(() => {
      throw new Error('boom');
    });
    set.add(() => (reached = true));
    expect(() => set.emit()).not.toThrow();
    expect(reached).toBe(true);
    expect(errors).toEqual([new Error('boom')]);
  });

  it('lets a listener remove itself while the set is being emitted', () => {
    const set = new Listeners<[]>();
    const calls: string[] = [];
    const off = set.add(() => {
      calls.push('once');
      off();
    });
    set.add(() => calls.push('always'));
    set.emit();
    set.emit();
    expect(calls).toEqual(['once', 'always', 'always']);
  });

  it('clear removes everyone', () => {
    const set = new Listeners<[]>();
    let calls = 0;
    set.add(() => calls++);
    set.clear();
    set.emit();
    expect(calls).toBe(0);
  });
});
