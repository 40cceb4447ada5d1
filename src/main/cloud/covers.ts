import { createHash } from 'node:crypto';

export interface CoverOptions {
  /** Largest picture accepted, in bytes (a data: URL is 4/3 of it, and must fit a WebSocket frame). */
  maxBytes?: number;
  /** Total bytes kept in the cache. */
  cacheBytes?: number;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

const MIME_BY_MAGIC: { mime: string; magic: number[] }[] = [
  { mime: 'image/jpeg', magic: [0xff, 0xd8, 0xff] },
  { mime: 'image/png', magic: [0x89, 0x50, 0x4e, 0x47] },
  { mime: 'image/gif', magic: [0x47, 0x49, 0x46, 0x38] },
  { mime: 'image/webp', magic: [0x52, 0x49, 0x46, 0x46] },
];

/** The picture type from its first bytes; anything else (SVG, HTML…) is refused. */
export function sniffImage(bytes: Uint8Array): string | null {
  for (const { mime, magic } of MIME_BY_MAGIC) if (magic.every((b, i) => bytes[i] === b)) return mime;
  return null;
}

export function coverIdOf(url: string): string {
  return createHash('sha256').update(url).digest('hex').slice(0, 32);
}

/**
 * Task and message pictures, fetched by main (the renderer has no network access of its own) and
 * handed out as data: URLs. The renderer names a picture only by an opaque id that main issued
 * for a URL the cloud sent, so it cannot make main fetch arbitrary addresses. Sizes are capped,
 * results cached (LRU by bytes), failures remembered for a minute.
 */
export class CoverCache {
  private readonly urls = new Map<string, string>();
  private readonly cache = new Map<string, { dataUrl: string | null; bytes: number; at: number }>();
  private readonly inFlight = new Map<string, Promise<string | null>>();
  private cachedBytes = 0;
  private readonly maxBytes: number;
  private readonly cacheBytes: number;
  private readonly timeoutMs: number;
  private readonly fetchFn: typeof fetch;
  fetches = 0;

  constructor(options: CoverOptions = {}) {
    this.maxBytes = options.maxBytes ?? 512 * 1024;
    this.cacheBytes = options.cacheBytes ?? 24 * 1024 * 1024;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.fetchFn = options.fetch ?? fetch;
  }

  /** Registers a URL the cloud sent and returns its id (null for no or non-http(s) URL). */
  register(url: string): string | null {
    if (!url || url.length > 4096) return null;
    try {
      const u = new URL(url);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
    } catch {
      return null;
    }
    const id = coverIdOf(url);
    if (!this.urls.has(id)) {
      this.urls.set(id, url);
      if (this.urls.size > 20_000) {
        const first = this.urls.keys().next().value;
        if (first !== undefined) this.urls.delete(first);
      }
    }
    return id;
  }

  async get(coverId: string): Promise<string | null> {
    const url = this.urls.get(coverId);
    if (!url) return null;
    const hit = this.cache.get(coverId);
    if (hit && (hit.dataUrl !== null || Date.now() - hit.at < 60_000)) {
      this.cache.delete(coverId);
      this.cache.set(coverId, hit); // most recently used last
      return hit.dataUrl;
    }
    let pending = this.inFlight.get(coverId);
    if (!pending) {
      pending = this.download(url).finally(() => this.inFlight.delete(coverId));
      this.inFlight.set(coverId, pending);
    }
    const dataUrl = await pending;
    this.put(coverId, dataUrl);
    return dataUrl;
  }

  private async download(url: string): Promise<string | null> {
    this.fetches++;
    try {
      const res = await this.fetchFn(url, { signal: AbortSignal.timeout(this.timeoutMs), redirect: 'follow' });
      if (!res.ok || !res.body) return null;
      const declared = Number(res.headers.get('content-length') ?? NaN);
      if (Number.isFinite(declared) && declared > this.maxBytes) {
        await res.body.cancel().catch(() => undefined);
        return null;
      }
      const chunks: Uint8Array[] = [];
      let total = 0;
      const reader = res.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        total += value.byteLength;
        if (total > this.maxBytes) {
          await reader.cancel().catch(() => undefined);
          return null;
        }
        chunks.push(value);
      }
      const bytes = Buffer.concat(chunks);
      const mime = sniffImage(bytes);
      return mime ? `data:${mime};base64,${bytes.toString('base64')}` : null;
    } catch {
      return null;
    }
  }

  private put(coverId: string, dataUrl: string | null): void {
    const old = this.cache.get(coverId);
    if (old) this.cachedBytes -= old.bytes;
    const bytes = dataUrl?.length ?? 0;
    this.cache.set(coverId, { dataUrl, bytes, at: Date.now() });
    this.cachedBytes += bytes;
    for (const [id, entry] of this.cache) {
      if (this.cachedBytes <= this.cacheBytes) break;
      this.cache.delete(id);
      this.cachedBytes -= entry.bytes;
    }
  }

  clear(): void {
    this.cache.clear();
    this.cachedBytes = 0;
  }
}
