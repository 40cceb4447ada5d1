import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { open, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { MAX_STAGED_FILE_BYTES, STAGE_CHUNK_BYTES } from '../../shared/contract';
import { AppError } from '../../shared/rpc/result';

interface Staged {
  id: string;
  name: string;
  size: number;
  received: number;
  finished: boolean;
  touchedAt: number;
  file: string;
}

const EXPIRE_MS = 60 * 60 * 1000;
const MAX_OPEN = 16;

/**
 * Files a browser sends over the API (it cannot name a path on the host), written to a private
 * folder in sequential chunks, verified by size, and removed after use or an hour of silence.
 */
export class FileStaging {
  private readonly staged = new Map<string, Staged>();
  private readonly dir: string;
  private readonly sweeper: NodeJS.Timeout;

  constructor(dataDir: string) {
    this.dir = path.join(dataDir, 'staging');
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    // Leftovers of a previous run cannot be resumed (the ids lived in memory); clear them.
    for (const f of readdirSync(this.dir)) rmSync(path.join(this.dir, f), { force: true });
    // Files sent and never used must not pile up on the host's disk.
    this.sweeper = setInterval(() => this.expire(), 5 * 60_000);
    this.sweeper.unref();
  }

  dispose(): void {
    clearInterval(this.sweeper);
  }

  begin(name: string, size: number): { stagedId: string; chunkBytes: number } {
    this.expire();
    if (this.staged.size >= MAX_OPEN) throw new AppError('UNAVAILABLE', 'Too many files are being sent at once; wait for one to finish.');
    if (size > MAX_STAGED_FILE_BYTES) throw new AppError('BAD_REQUEST', 'The file is too large.', 'size');
    const id = randomUUID();
    this.staged.set(id, { id, name: path.basename(name), size, received: 0, finished: false, touchedAt: Date.now(), file: path.join(this.dir, id) });
    return { stagedId: id, chunkBytes: STAGE_CHUNK_BYTES };
  }

  async chunk(stagedId: string, offset: number, dataBase64: string): Promise<number> {
    const s = this.get(stagedId);
    if (s.finished) throw new AppError('CONFLICT', 'That file is complete already.');
    if (offset !== s.received) {
      throw new AppError('CONFLICT', `Expected the chunk at byte ${s.received}, got ${offset}.`, String(s.received));
    }
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(dataBase64)) throw new AppError('BAD_REQUEST', 'The chunk is not base64.', 'dataBase64');
    const data = Buffer.from(dataBase64, 'base64');
    if (data.length === 0 || data.length > STAGE_CHUNK_BYTES) throw new AppError('BAD_REQUEST', 'Bad chunk size.', 'dataBase64');
    if (s.received + data.length > s.size) throw new AppError('BAD_REQUEST', 'The chunks are longer than the declared size.', 'dataBase64');
    const handle = await open(s.file, s.received === 0 ? 'w' : 'r+', 0o600);
    try {
      await handle.write(data, 0, data.length, offset);
    } finally {
      await handle.close();
    }
    s.received += data.length;
    s.touchedAt = Date.now();
    return s.received;
  }

  async finish(stagedId: string): Promise<{ stagedId: string; size: number; sha256: string }> {
    const s = this.get(stagedId);
    if (s.received !== s.size) throw new AppError('CONFLICT', `Only ${s.received} of ${s.size} bytes arrived.`);
    const onDisk = await stat(s.file);
    if (onDisk.size !== s.size) throw new AppError('INTERNAL', 'The staged file has the wrong size on disk.');
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(s.file)) hash.update(chunk as Buffer);
    s.finished = true;
    s.touchedAt = Date.now();
    return { stagedId, size: s.size, sha256: hash.digest('hex') };
  }

  /** The path and original name of a complete staged file, for a driver to stream. */
  resolve(stagedId: string): { path: string; name: string; size: number } {
    const s = this.get(stagedId);
    if (!s.finished) throw new AppError('CONFLICT', 'That file has not been sent completely.');
    return { path: s.file, name: s.name, size: statSync(s.file).size };
  }

  async release(stagedId: string): Promise<void> {
    const s = this.staged.get(stagedId);
    if (!s) return;
    this.staged.delete(stagedId);
    await rm(s.file, { force: true });
  }

  private get(id: string): Staged {
    const s = this.staged.get(id);
    if (!s) throw new AppError('NOT_FOUND', 'No such staged file (it may have expired).');
    return s;
  }

  private expire(): void {
    const now = Date.now();
    for (const s of this.staged.values()) if (now - s.touchedAt > EXPIRE_MS) void this.release(s.id);
  }
}
