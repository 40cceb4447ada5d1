import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { open, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { isStrictBase64, MAX_STAGED_FILE_BYTES, STAGE_CHUNK_BYTES } from '../../shared/contract';
import { AppError } from '../../shared/rpc/result';

interface Staged {
  id: string;
  owner: string;
  name: string;
  size: number;
  received: number;
  finished: boolean;
  /** A call took it (a print, an upload): from then on that call releases it, not expiry or disconnect. */
  claimed: boolean;
  touchedAt: number;
  file: string;
  /** Chunks and the finish run one after another, so two chunks can never interleave their writes. */
  queue: Promise<unknown>;
}

/** Who is staging: the transport's client id, and a signal that fires when that client is gone. */
export interface StagingOwner {
  clientId: string;
  signal?: AbortSignal;
}

/** A staging nobody sends to or uses for this long is abandoned. */
const UNUSED_EXPIRE_MS = 5 * 60 * 1000;
/**
 * Per client, so one client (or one closed tab) cannot take every slot. The web UI stages 4 files at a time
 * before it hands them to one call and scripts often 10, so 16 leaves room without letting one client hoard.
 */
export const MAX_STAGED_PER_CLIENT = 16;
/** For all clients together: bounds the disk a host can be asked to hold, with room for four busy clients. */
export const MAX_STAGED_TOTAL = 64;

/**
 * Files a browser sends over the API (it cannot name a path on the host), written to a private
 * folder in sequential chunks, verified by size. Each belongs to the client that began it: it is
 * removed when used, cancelled, when the call using it fails, when its client goes away, or after
 * a few minutes unused.
 */
export class FileStaging {
  private readonly staged = new Map<string, Staged>();
  private readonly watchedOwners = new WeakSet<AbortSignal>();
  private readonly dir: string;
  private readonly sweeper: NodeJS.Timeout;

  constructor(dataDir: string) {
    this.dir = path.join(dataDir, 'staging');
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    // Leftovers of a previous run cannot be resumed (the ids lived in memory); clear them.
    for (const f of readdirSync(this.dir)) rmSync(path.join(this.dir, f), { force: true });
    // Files sent and never used must not pile up on the host's disk.
    this.sweeper = setInterval(() => this.expire(), 60_000);
    this.sweeper.unref();
  }

  dispose(): void {
    clearInterval(this.sweeper);
  }

  begin(name: string, size: number, owner: StagingOwner): { stagedId: string; chunkBytes: number } {
    this.expire();
    if (owner.signal?.aborted) throw new AppError('CANCELLED', 'The caller went away.');
    if (size > MAX_STAGED_FILE_BYTES) throw new AppError('BAD_REQUEST', 'The file is too large.', 'size');
    const mine = [...this.staged.values()].filter((s) => s.owner === owner.clientId && !s.claimed).length;
    if (mine >= MAX_STAGED_PER_CLIENT) {
      throw new AppError('UNAVAILABLE', `At most ${MAX_STAGED_PER_CLIENT} files may be waiting to be used at once; use or cancel one (files.stageCancel) first.`);
    }
    if (this.staged.size >= MAX_STAGED_TOTAL) throw new AppError('UNAVAILABLE', 'Too many files are being sent at once; wait for one to finish.');
    this.watchOwner(owner);
    const id = randomUUID();
    this.staged.set(id, {
      id,
      owner: owner.clientId,
      name: path.basename(name),
      size,
      received: 0,
      finished: false,
      claimed: false,
      touchedAt: Date.now(),
      file: path.join(this.dir, id),
      queue: Promise.resolve(),
    });
    return { stagedId: id, chunkBytes: STAGE_CHUNK_BYTES };
  }

  chunk(stagedId: string, offset: number, dataBase64: string): Promise<number> {
    return this.serialized(stagedId, (s) => this.write(s, offset, dataBase64));
  }

  finish(stagedId: string): Promise<{ stagedId: string; size: number; sha256: string }> {
    return this.serialized(stagedId, async (s) => {
      if (s.received !== s.size) throw new AppError('CONFLICT', `Only ${s.received} of ${s.size} bytes arrived.`);
      const onDisk = await stat(s.file);
      if (onDisk.size !== s.size) throw new AppError('INTERNAL', 'The staged file has the wrong size on disk.');
      const hash = createHash('sha256');
      for await (const chunk of createReadStream(s.file)) hash.update(chunk as Buffer);
      s.finished = true;
      s.touchedAt = Date.now();
      return { stagedId, size: s.size, sha256: hash.digest('hex') };
    });
  }

  /**
   * The path and original name of a complete staged file, for a driver to stream. The caller
   * now owns it and must release it, also when its call fails (see `releaseOnFailure`).
   */
  resolve(stagedId: string): { path: string; name: string; size: number } {
    const s = this.get(stagedId);
    if (!s.finished) throw new AppError('CONFLICT', 'That file has not been sent completely.');
    if (s.claimed) throw new AppError('CONFLICT', 'That file is already being used.');
    s.claimed = true;
    return { path: s.file, name: s.name, size: statSync(s.file).size };
  }

  /**
   * A look at a complete staged file without taking it (`printers.checkFile` reads its first and
   * last bytes before the person decides); it stays for the call that will use it or cancel it.
   */
  peek(stagedId: string): { path: string; name: string } {
    const s = this.get(stagedId);
    if (!s.finished) throw new AppError('CONFLICT', 'That file has not been sent completely.');
    if (s.claimed) throw new AppError('CONFLICT', 'That file is already being used.');
    s.touchedAt = Date.now();
    return { path: s.file, name: s.name };
  }

  /** `files.stageCancel`: gives up a staging that no call has taken yet. */
  async cancel(stagedId: string): Promise<void> {
    const s = this.get(stagedId);
    if (s.claimed) throw new AppError('CONFLICT', 'That file is being used; cancel the transfer instead.');
    await this.release(stagedId);
  }

  /** Runs a call that names staged files; if it fails, they are released (a refused call must not keep its slots). */
  async releaseOnFailure<T>(stagedIds: readonly string[], work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      await Promise.all(stagedIds.map((id) => this.release(id)));
      throw err;
    }
  }

  async release(stagedId: string): Promise<void> {
    const s = this.staged.get(stagedId);
    if (!s) return;
    this.staged.delete(stagedId);
    // A chunk being written when the staging goes must not re-create the file afterwards.
    await s.queue.catch(() => undefined);
    await rm(s.file, { force: true });
  }

  /** How many stagings are held, for tests and diagnostics. */
  get count(): number {
    return this.staged.size;
  }

  private async write(s: Staged, offset: number, dataBase64: string): Promise<number> {
    if (s.finished) throw new AppError('CONFLICT', 'That file is complete already.');
    if (offset !== s.received) {
      throw new AppError('CONFLICT', `Expected the chunk at byte ${s.received}, got ${offset}.`, String(s.received));
    }
    if (!isStrictBase64(dataBase64)) throw new AppError('BAD_REQUEST', 'The chunk is not valid base64.', 'dataBase64');
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

  private serialized<T>(stagedId: string, work: (s: Staged) => Promise<T>): Promise<T> {
    const s = this.get(stagedId);
    const run = s.queue.then(() => {
      if (this.staged.get(stagedId) !== s) throw new AppError('NOT_FOUND', 'No such staged file (it was cancelled or expired).');
      return work(s);
    });
    s.queue = run.catch(() => undefined);
    return run;
  }

  private watchOwner(owner: StagingOwner): void {
    const signal = owner.signal;
    if (!signal || this.watchedOwners.has(signal)) return;
    this.watchedOwners.add(signal);
    signal.addEventListener(
      'abort',
      () => {
        for (const s of [...this.staged.values()]) if (s.owner === owner.clientId && !s.claimed) void this.release(s.id);
      },
      { once: true },
    );
  }

  private get(id: string): Staged {
    const s = this.staged.get(id);
    if (!s) throw new AppError('NOT_FOUND', 'No such staged file (it may have expired).');
    return s;
  }

  private expire(): void {
    const now = Date.now();
    for (const s of [...this.staged.values()]) if (!s.claimed && now - s.touchedAt > UNUSED_EXPIRE_MS) void this.release(s.id);
  }
}
