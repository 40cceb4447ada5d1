/**
 * Opened (decrypted and parsed) values of recently used sealed records, with the stamp of the sealed bytes
 * each came from. A hot record (a session's ratchet state, an outbox entry just queued) is written and read
 * back once per message; a hit is taken only when the row still holds the very sealing that was remembered, so
 * the database stays the truth: a write that was rolled back, or a row written by anyone else, simply misses.
 *
 * The stamp is the sealing's random IV and its GCM tag (28 bytes, see `sealStamp`): a fresh IV per sealing
 * means no other sealing carries the same IV, and the tag authenticates the ciphertext under that IV, so equal
 * stamps mean the record remembered (bytes changed under an unchanged stamp would not open at all). Comparing
 * stamps lets a reader fetch 28 bytes of a row instead of a ratchet state of several kilobytes.
 */
export class OpenedCache<K, V> {
  private readonly entries = new Map<K, { stamp: Uint8Array; value: V }>();

  constructor(private readonly capacity: number) {}

  get(key: K, stamp: Uint8Array): V | undefined {
    const hit = this.entries.get(key);
    if (!hit || Buffer.compare(hit.stamp, stamp) !== 0) return undefined;
    return hit.value;
  }

  set(key: K, sealed: Uint8Array, value: V): void {
    this.entries.delete(key);
    if (this.entries.size >= this.capacity) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, { stamp: sealStamp(sealed), value });
  }

  delete(key: K): void {
    this.entries.delete(key);
  }
}

/** Bytes of a sealed record (IV ‖ ciphertext ‖ tag, see Sealer) that identify its sealing: IV ‖ tag. */
export function sealStamp(sealed: Uint8Array): Uint8Array {
  const stamp = new Uint8Array(28);
  stamp.set(sealed.subarray(0, 12), 0);
  stamp.set(sealed.subarray(Math.max(12, sealed.length - 16)), 12);
  return stamp;
}

/** SQL for a sealed column's stamp (SQLite's substr counts bytes on a BLOB; a negative start counts from the end). */
export const stampColumns = (column: string): string => `substr(${column}, 1, 12) AS ${column}_iv, substr(${column}, -16) AS ${column}_tag`;

/** The stamp of a row read with `stampColumns(column)`. */
export function stampOf(row: Record<string, unknown>, column: string): Uint8Array {
  const iv = row[`${column}_iv`];
  const tag = row[`${column}_tag`];
  if (!(iv instanceof Uint8Array) || !(tag instanceof Uint8Array) || iv.length !== 12 || tag.length !== 16) throw new Error(`sealed ${column} is malformed`);
  const stamp = new Uint8Array(28);
  stamp.set(iv, 0);
  stamp.set(tag, 12);
  return stamp;
}
