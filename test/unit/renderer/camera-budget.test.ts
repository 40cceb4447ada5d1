import { describe, expect, it } from 'vitest';
import { pauseAfter, pickNextCamera } from '../../../src/renderer/fleet/camera-budget';

const options = { bytesPerSecond: 100_000, minIntervalMs: 5_000, focusIntervalMs: 1_000 };

describe('camera wall budget', () => {
  it('fetches the visible tile with the oldest frame, never one fetched within the minimum interval', () => {
    const last = new Map([
      ['a', 10_000],
      ['b', 2_000],
      ['c', 14_000],
    ]);
    expect(pickNextCamera(['a', 'b', 'c'], last, 15_000, options)).toBe('b');
    expect(pickNextCamera(['a', 'c'], last, 15_000, options)).toBe('a');
    expect(pickNextCamera(['c'], last, 15_000, options)).toBeNull();
    expect(pickNextCamera(['d', 'b'], last, 15_000, options)).toBe('d');
  });

  it('refreshes the tile shown large first, at its faster interval', () => {
    const last = new Map([
      ['a', 0],
      ['big', 14_000],
    ]);
    expect(pickNextCamera(['a', 'big'], last, 15_000, options, 'big')).toBe('big');
    expect(pickNextCamera(['a', 'big'], last, 14_500, options, 'big')).toBe('a');
  });

  it('waits as long as the bytes take at the budget rate', () => {
    expect(pauseAfter(50_000, options)).toBe(500);
    expect(pauseAfter(0, options)).toBe(0);
  });
});
