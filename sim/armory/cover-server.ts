import { createServer, type Server } from 'node:http';
import jpeg from 'jpeg-js';

const COVER_W = 240;
const COVER_H = 180;

/** A small picture per task: a coloured plate with a "printed part" whose hue comes from the id. */
export function coverJpeg(seed: string, width = COVER_W, height = COVER_H): Buffer {
  let h = 7;
  for (const ch of seed) h = (h * 131 + ch.charCodeAt(0)) >>> 0;
  const hue = h % 360;
  const [r, g, b] = hsl(hue, 0.55, 0.55);
  const data = Buffer.alloc(width * height * 4);
  const cx = width / 2;
  const cy = height * 0.55;
  const rad = Math.min(width, height) * 0.3;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      const plate = 40 + Math.round((y / height) * 50);
      const inside = (x - cx) ** 2 + ((y - cy) * 1.4) ** 2 < rad ** 2;
      data[i] = inside ? r : plate;
      data[i + 1] = inside ? g : plate;
      data[i + 2] = inside ? b : plate + 10;
      data[i + 3] = 255;
    }
  }
  return Buffer.from(jpeg.encode({ data, width, height }, 80).data);
}

function hsl(h: number, s: number, l: number): [number, number, number] {
  const k = (n: number) => (n + h / 30) % 12;
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => l - a * Math.max(-1, Math.min(k(n) - 3, Math.min(9 - k(n), 1)));
  return [Math.round(f(0) * 255), Math.round(f(8) * 255), Math.round(f(4) * 255)];
}

/**
 * The sandbox's image host (the real cloud keeps covers on an object store): `/covers/<id>.jpg`
 * answers a generated JPEG, `/covers/huge.jpg` an oversized body and `/covers/missing.jpg` 404,
 * so the client's size cap and error handling can be exercised.
 */
export class CoverServer {
  private server: Server | null = null;
  private port = 0;
  private readonly cache = new Map<string, Buffer>();
  requests = 0;

  get base(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => {
      this.requests++;
      const m = /^\/covers\/([0-9A-Za-z_-]{1,64})\.jpg$/.exec(req.url ?? '');
      const id = m?.[1];
      if (!id || id === 'missing') {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      if (id === 'huge') {
        res.writeHead(200, { 'content-type': 'image/jpeg' });
        res.end(Buffer.alloc(6 * 1024 * 1024, 0xff));
        return;
      }
      let body = this.cache.get(id);
      if (!body) {
        body = coverJpeg(id);
        if (this.cache.size > 500) this.cache.clear();
        this.cache.set(id, body);
      }
      res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': body.length, 'cache-control': 'max-age=86400' }).end(body);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const addr = server.address();
    this.port = typeof addr === 'object' && addr ? addr.port : 0;
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
