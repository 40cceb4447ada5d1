import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../shared/rpc/result';
import type { Logger } from '../log';
import type { UploadStore } from './upload-store';

/** What happens to Printdeck's own copies (browser files, camera frames) once they are delivered. */
export interface RetentionPolicy {
  /** Delete a copy once a job that delivered it is done. */
  deleteDelivered: boolean;
  /** Keep this many of the newest delivered copies anyway (to send again without a re-add). */
  keepLast: number;
  /** The most bytes the copies may take; delivered ones are deleted (oldest first) to stay under it. */
  budgetBytes: number;
}

export const DEFAULT_RETENTION: RetentionPolicy = { deleteDelivered: true, keepLast: 0, budgetBytes: 2 * 1024 ** 3 };

export interface LocalUsage {
  files: number;
  bytes: number;
  /** Of those, delivered copies that may be deleted when room is needed. */
  deliveredFiles: number;
  deliveredBytes: number;
}

/** Files in the folder no row owns (a crash between writing and recording) are swept once this old. */
const ORPHAN_AGE_MS = 60 * 60_000;

/**
 * Printdeck's own copies in `<data-dir>/uploads/files`: deleted once delivered (keeping the newest
 * N if asked), and held under a disk budget. Only delivered copies are ever deleted: when the
 * budget is reached and nothing delivered is left to free, a new copy is refused, never an
 * undelivered one dropped. Files the user added from disk are theirs and never touched.
 */
export class LocalCopies {
  constructor(
    private readonly store: UploadStore,
    private readonly dir: string,
    private policyValue: RetentionPolicy,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  get policy(): RetentionPolicy {
    return { ...this.policyValue };
  }

  setPolicy(policy: RetentionPolicy): void {
    this.policyValue = { ...policy };
  }

  usage(): LocalUsage {
    const { files, bytes } = this.store.ownedUsage();
    const delivered = this.store.deliveredCopies();
    return { files, bytes, deliveredFiles: delivered.length, deliveredBytes: delivered.reduce((n, r) => n + r.size, 0) };
  }

  /** Applies the policy now (after a delivery, a policy change, at start). Returns how many copies went. */
  async tidy(): Promise<number> {
    const delivered = this.store.deliveredCopies();
    const { keepLast, deleteDelivered } = this.policyValue;
    let removed = 0;
    if (deleteDelivered) {
      for (const row of delivered.slice(keepLast)) if (await this.remove(row.id, row.path)) removed++;
    }
    removed += await this.freeBytes(0);
    return removed;
  }

  /**
   * Makes room for `bytes` more under the budget, deleting delivered copies oldest first; refuses
   * (and deletes nothing undelivered) when even that is not enough.
   */
  async makeRoom(bytes: number): Promise<void> {
    await this.freeBytes(bytes);
    const { bytes: used } = this.store.ownedUsage();
    if (used + bytes > this.policyValue.budgetBytes) {
      throw new AppError(
        'CONFLICT',
        `Printdeck's copies of images waiting for upload already take ${mib(used)} of the ${mib(this.policyValue.budgetBytes)} allowed for them, and none of them is delivered yet, so none can be deleted. Upload (or remove) some, or raise the budget in Uploads.`,
      );
    }
  }

  /** Deletes files in the folder that no image owns (left by a crash between the copy and its row). */
  async sweepOrphans(): Promise<number> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const owned = this.store.ownedPaths();
    let swept = 0;
    for (const name of names) {
      const file = path.join(this.dir, name);
      if (owned.has(file)) continue;
      const info = await stat(file).catch(() => null);
      if (!info?.isFile() || this.now() - info.mtimeMs < ORPHAN_AGE_MS) continue;
      await rm(file, { force: true });
      swept++;
    }
    if (swept > 0) this.log.info(`removed ${swept} orphaned upload cop${swept === 1 ? 'y' : 'ies'}`);
    return swept;
  }

  private async freeBytes(extra: number): Promise<number> {
    let { bytes: used } = this.store.ownedUsage();
    if (used + extra <= this.policyValue.budgetBytes) return 0;
    let removed = 0;
    // Oldest delivered first; the keep-N wish yields to the budget.
    for (const row of this.store.deliveredCopies().reverse()) {
      if (used + extra <= this.policyValue.budgetBytes) break;
      if (await this.remove(row.id, row.path)) {
        used -= row.size;
        removed++;
      }
    }
    return removed;
  }

  /** The file first, then the row: a crash in between leaves a row whose file is already gone, which the next pass records. */
  private async remove(id: string, file: string): Promise<boolean> {
    if (path.dirname(file) !== this.dir) {
      // Not in our folder: never delete it (a row from an older layout, or a bug).
      this.log.warn(`not deleting ${path.basename(file)}: it is not in the uploads folder`);
      return false;
    }
    try {
      await rm(file, { force: true });
    } catch (err) {
      this.log.warn(`could not delete the delivered copy ${path.basename(file)}`, err);
      return false;
    }
    this.store.markRemoved(id, this.now());
    return true;
  }
}

function mib(bytes: number): string {
  return `${(bytes / 1024 ** 2).toFixed(bytes < 10 * 1024 ** 2 ? 1 : 0)} MB`;
}
