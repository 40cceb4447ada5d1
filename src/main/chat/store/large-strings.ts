/**
 * Splits the long strings (base64 KEM keys and ciphertexts, kilobytes each) out of a JSON value, so a record
 * whose small part changes on every message (a ratchet's chain keys and counters) can be sealed and written
 * without its keys, which change only when the ratchet turns. A long string is replaced by a marker holding
 * its index in `large`; the marker starts with U+0000, which no base64 or name in a stored state contains.
 */

/** Strings at least this long are moved out (a 32-byte key in base64 is 44 characters; a KEM key is 2,000+). */
export const LARGE_STRING = 512;
const MARK = '\u0000';

export interface SplitJson {
  small: unknown;
  large: string[];
}

export function splitLarge(value: unknown): SplitJson {
  const large: string[] = [];
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') {
      if (v.length < LARGE_STRING && !v.startsWith(MARK)) return v;
      large.push(v);
      return MARK + String(large.length - 1);
    }
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v === 'object' && v !== null) {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v)) out[k] = walk((v as Record<string, unknown>)[k]);
      return out;
    }
    return v;
  };
  return { small: walk(value), large };
}

/** The value `splitLarge` was given; throws on a marker that points nowhere (a row whose parts do not belong together). */
export function joinLarge(small: unknown, large: readonly string[]): unknown {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') {
      if (!v.startsWith(MARK)) return v;
      const s = large[Number(v.slice(1))];
      if (s === undefined) throw new Error('stored record refers to a key it does not hold');
      return s;
    }
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v === 'object' && v !== null) {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v)) out[k] = walk((v as Record<string, unknown>)[k]);
      return out;
    }
    return v;
  };
  return walk(small);
}

/** Same strings in the same order (the ratchet hands back the very key strings while its keys stay the same). */
export function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
