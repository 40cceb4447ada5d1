import { createHash, type KeyObject } from 'node:crypto';

/**
 * node:crypto keys imported from the core's raw bytes, kept because importing costs a good part of using one
 * (OpenSSL checks an expanded secret key against its public part) while the same few keys do nearly all the
 * work: the account's identity key, the pinned server key, the peers' identity keys, a session's static ratchet
 * keys. Keyed by SHA-256 of the raw key, so equal bytes in new arrays still hit.
 */
const KEY_CACHE_SIZE = 32;

export class KeyObjectCache {
  private readonly entries = new Map<string, KeyObject>();

  constructor(private readonly importKey: (raw: Uint8Array) => KeyObject) {}

  get(raw: Uint8Array): KeyObject {
    const id = createHash('sha256').update(raw).digest('base64');
    const hit = this.entries.get(id);
    if (hit) {
      this.entries.delete(id);
      this.entries.set(id, hit);
      return hit;
    }
    const key = this.importKey(raw);
    if (this.entries.size >= KEY_CACHE_SIZE) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(id, key);
    return key;
  }
}
