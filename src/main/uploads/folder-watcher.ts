import { watch, type FSWatcher } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { isImageName } from './file-intake';

export interface FolderWatcherOptions {
  folder: string;
  /** Called once per new image file whose size stopped changing. */
  onImage(file: string): Promise<void>;
  onProblem(message: string | null): void;
  /** How long a file's size and time must stay the same before it counts as written. */
  stableMs?: number;
  pollMs?: number;
}

interface Candidate {
  size: number;
  mtimeMs: number;
  since: number;
}

/**
 * Watches a folder (a camera's download folder, as IMSS's workstation did) for new image files.
 * fs.watch says something changed; a periodic scan catches what it misses. A file is handed over
 * only once its size and time have been stable for `stableMs`, so partial writes are ignored.
 * Files present when the watch starts are not new.
 */
export class FolderWatcher {
  private watcher: FSWatcher | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly seen = new Set<string>();
  private readonly candidates = new Map<string, Candidate>();
  private scanning = false;
  private stopped = false;
  private readonly stableMs: number;
  private readonly pollMs: number;

  constructor(private readonly options: FolderWatcherOptions) {
    this.stableMs = options.stableMs ?? 1000;
    this.pollMs = options.pollMs ?? 500;
  }

  get folder(): string {
    return this.options.folder;
  }

  async start(): Promise<void> {
    const entries = await readdir(this.options.folder);
    for (const name of entries) this.seen.add(name);
    try {
      this.watcher = watch(this.options.folder, { persistent: false }, () => void this.scan());
      this.watcher.on('error', (err) => this.options.onProblem(`The folder cannot be watched: ${err.message}`));
    } catch {
      // Polling alone still works (e.g. on network folders without change notifications).
    }
    this.timer = setInterval(() => void this.scan(), this.pollMs);
    this.timer.unref?.();
  }

  stop(): void {
    this.stopped = true;
    this.watcher?.close();
    this.watcher = null;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async scan(): Promise<void> {
    if (this.scanning || this.stopped) return;
    this.scanning = true;
    try {
      let names: string[];
      try {
        names = await readdir(this.options.folder);
        this.options.onProblem(null);
      } catch (err) {
        this.options.onProblem(`The folder cannot be read: ${(err as Error).message}`);
        return;
      }
      const now = Date.now();
      for (const name of names) {
        if (this.seen.has(name) || !isImageName(name) || name.startsWith('.')) continue;
        const file = path.join(this.options.folder, name);
        const info = await stat(file).catch(() => null);
        if (!info || !info.isFile()) continue;
        const before = this.candidates.get(name);
        if (!before || before.size !== info.size || before.mtimeMs !== info.mtimeMs) {
          this.candidates.set(name, { size: info.size, mtimeMs: info.mtimeMs, since: now });
          continue;
        }
        if (info.size === 0 || now - before.since < this.stableMs) continue;
        this.candidates.delete(name);
        this.seen.add(name);
        if (this.stopped) return;
        await this.options.onImage(file).catch(() => undefined);
      }
    } finally {
      this.scanning = false;
    }
  }
}
