import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as jpeg from 'jpeg-js';
import type { MethodName, RequestOf, ResponseOf } from '../../src/shared/contract';
import type { Hub } from '../../src/main/hub';
import { ImssSandbox } from '../../sim/imss/imss-sandbox';
import { tempDir } from './test-hub';

/** Calls the hub as the desktop app would (paths allowed), unwrapping the result or throwing its error. */
export async function callHub<M extends MethodName>(hub: Hub, method: M, payload: RequestOf<M>, transport: 'memory' | 'websocket' = 'memory'): Promise<ResponseOf<M>> {
  const r = await hub.registrar.dispatch(method, payload, { transport, clientId: 'test' });
  if (!r.ok) throw Object.assign(new Error(`${method}: ${r.error.code} ${r.error.message}`), { code: r.error.code });
  return r.value as ResponseOf<M>;
}

export async function startImssSandbox(token: string | null = null): Promise<{ server: ImssSandbox; workDir: string; address: string }> {
  const workDir = tempDir('imss-sandbox-');
  const server = new ImssSandbox({ workDir, token });
  await server.start();
  return { server, workDir, address: `grpc://${server.address}` };
}

/** Random-content image files (distinct checksums) with image names; returns their paths. */
export function makeImages(dir: string, count: number, minBytes: number, maxBytes: number, prefix = 'img'): string[] {
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (let i = 0; i < count; i++) {
    const size = minBytes + Math.floor(Math.random() * (maxBytes - minBytes + 1));
    const file = path.join(dir, `${prefix}-${String(i).padStart(4, '0')}.jpg`);
    writeFileSync(file, randomBytes(size));
    files.push(file);
  }
  return files;
}

/** A real (decodable) JPEG of w×h pixels. */
export function makeJpeg(file: string, w = 320, h = 240): string {
  const data = Buffer.alloc(w * h * 4);
  for (let i = 0; i < w * h; i++) {
    data[i * 4] = (i * 7) % 256;
    data[i * 4 + 1] = (i * 3) % 256;
    data[i * 4 + 2] = 128;
    data[i * 4 + 3] = 255;
  }
  writeFileSync(file, jpeg.encode({ data, width: w, height: h }, 80).data);
  return file;
}

export function sha256Of(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

export async function waitFor<T>(probe: () => T | Promise<T>, timeoutMs: number, what: string, everyMs = 50): Promise<NonNullable<T>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v as NonNullable<T>;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** What the sandbox stored, checked against the source files: lost and duplicated counts. */
export function verifyDelivery(server: ImssSandbox, sourceFiles: string[]): { lost: number; duplicated: number; mismatched: number } {
  const expected = new Map(sourceFiles.map((f) => [sha256Of(f), f]));
  const seen = new Map<string, number>();
  let mismatched = 0;
  for (const s of server.state.storedUploads()) {
    const actual = createHash('sha256').update(readFileSync(s.file)).digest('hex');
    if (actual !== s.sha256 || !expected.has(actual)) mismatched += 1;
    seen.set(actual, (seen.get(actual) ?? 0) + 1);
  }
  let lost = 0;
  let duplicated = 0;
  for (const sha of expected.keys()) {
    const n = seen.get(sha) ?? 0;
    if (n === 0) lost += 1;
    if (n > 1) duplicated += n - 1;
  }
  return { lost, duplicated, mismatched };
}
