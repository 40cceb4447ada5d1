/**
 * Opened (decrypted and parsed) values of recently used sealed records, with the sealed bytes each came from.
 * A hot record (a session's ratchet state, an outbox entry just queued) is written and read back once per
 * message; a hit is taken only when the row still holds exactly the bytes remembered, so the database stays
 * the truth: a write that was rolled back, or a row written by anyone else, simply misses. Sealing uses a
 * fresh random IV each time, so equal bytes mean the very record that was remembered.
 */
export class OpenedCache<K, V> {
  private readonly entries = new Map<K, { sealed: Uint8Array; value: V }>();

  constructor(private readonly capacity: number) {}

  get(key: K, sealed: Uint8Array): V | undefined {
    const hit = this.entries.get(key);
    if (!hit || hit.sealed.length !== sealed.length || Buffer.compare(hit.sealed, sealed) !== 0) return undefined;
    return hit.value;
  }

  set(key: K, sealed: Uint8Array, value: V): void {
    this.entries.delete(key);
    if (this.entries.size >= this.capacity) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, { sealed, value });
  }

  delete(key: K): void {
    this.entries.delete(key);
  }
}
