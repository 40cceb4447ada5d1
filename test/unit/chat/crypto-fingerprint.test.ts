import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { safetyFingerprint, safetyFingerprintGroups } from '../../../src/main/chat/crypto';

const identity = (kemFill: number, signFill: number) => ({
  kemPublicKey: new Uint8Array(1568).fill(kemFill),
  signPublicKey: new Uint8Array(2592).fill(signFill),
});

describe('safety fingerprint', () => {
  const alice = identity(1, 2);
  const bob = identity(3, 4);

  it('is 12 groups of 5 digits', () => {
    const groups = safetyFingerprintGroups(alice, bob);
    expect(groups).toHaveLength(12);
    for (const group of groups) expect(group).toMatch(/^\d{5}$/);
    expect(safetyFingerprint(alice, bob)).toMatch(/^\d{5}( \d{5}){11}$/);
  });

  it('follows the documented construction (recomputed independently with @noble/hashes)', () => {
    const encode = (id: { kemPublicKey: Uint8Array; signPublicKey: Uint8Array }): Uint8Array => {
      const out = new Uint8Array(8 + id.kemPublicKey.length + id.signPublicKey.length);
      const view = new DataView(out.buffer);
      view.setUint32(0, id.kemPublicKey.length);
      out.set(id.kemPublicKey, 4);
      view.setUint32(4 + id.kemPublicKey.length, id.signPublicKey.length);
      out.set(id.signPublicKey, 8 + id.kemPublicKey.length);
      return out;
    };
    // alice's encoding sorts first (0x01 fill < 0x03 fill after the identical length prefix).
    const ikm = new Uint8Array([...encode(alice), ...encode(bob)]);
    const okm = hkdf(
      sha256,
      ikm,
      new TextEncoder().encode('Printdeck safety fingerprint'),
      new TextEncoder().encode('v1'),
      60,
    );
    const expected = Array.from({ length: 12 }, (_, group) => {
      let value = 0n;
      for (let i = 0; i < 5; i++) value = value * 256n + BigInt(okm[group * 5 + i] ?? 0);
      return (value % 100000n).toString().padStart(5, '0');
    });
    expect(safetyFingerprintGroups(alice, bob)).toEqual(expected);
    // Pinned so an accidental change of the construction is caught even if both sides change together.
    expect(safetyFingerprint(alice, bob)).toBe(
      '90460 05527 49036 31444 16348 18528 62248 90432 29669 84908 60201 98921',
    );
  });

  it('does not depend on argument order but does depend on every key', () => {
    expect(safetyFingerprint(bob, alice)).toBe(safetyFingerprint(alice, bob));
    expect(safetyFingerprint(alice, identity(3, 5))).not.toBe(safetyFingerprint(alice, bob));
    expect(safetyFingerprint(identity(9, 2), bob)).not.toBe(safetyFingerprint(alice, bob));
    // Moving bytes between the KEM and signature halves changes it (length-prefixed encoding).
    const shifted = { kemPublicKey: new Uint8Array(1569).fill(1), signPublicKey: new Uint8Array(2591).fill(2) };
    expect(safetyFingerprint(shifted, bob)).not.toBe(safetyFingerprint(alice, bob));
  });

  it('property: symmetric for arbitrary keys', () => {
    const key = fc.uint8Array({ minLength: 1, maxLength: 64 });
    fc.assert(
      fc.property(key, key, key, key, (a1, a2, b1, b2) => {
        const a = { kemPublicKey: a1, signPublicKey: a2 };
        const b = { kemPublicKey: b1, signPublicKey: b2 };
        expect(safetyFingerprint(a, b)).toBe(safetyFingerprint(b, a));
      }),
      { numRuns: 100 },
    );
  });
});
