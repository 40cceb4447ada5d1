import { describe, expect, it } from 'vitest';
import { systemRandom } from '../../../src/main/chat/crypto/random';

/** The pooled CSPRNG hands every byte out once: no two requests share bytes, also across pool refills. */
describe('systemRandom', () => {
  it('returns fresh arrays of the length asked for, small and large', () => {
    for (const n of [0, 1, 12, 32, 256, 257, 5000]) expect(systemRandom(n)).toHaveLength(n);
  });

  it('never repeats an IV-sized draw across many pool refills', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 5000; i++) seen.add(Buffer.from(systemRandom(12)).toString('hex'));
    expect(seen.size).toBe(5000);
  });

  it('a returned array does not change when later requests are served', () => {
    const first = systemRandom(32);
    const copy = Uint8Array.from(first);
    for (let i = 0; i < 1000; i++) systemRandom(100);
    expect(first).toEqual(copy);
  });
});
