import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { JobImageState, JobState } from '../../shared/contract';
import { guardedWrite } from '../store/database';
import { applyDomainMigrations } from '../store/migrations';
import { UPLOADS_MIGRATIONS } from './migrations';

export interface SessionRow {
  connection_id: string;
  id: string;
  name: string;
  completed: number;
  created_at: number | null;
  finished_at: number | null;
}

export interface ImageRow {
  id: string;
  connection_id: string;
  session_id: string;
  name: string;
  path: string;
  owned: number;
  source: 'file' | 'staged' | 'watch' | 'camera';
  size: number;
  mtime_ms: number;
  sha256: string;
  created_at: number;
  added_at: number;
  server_image_id: string | null;
  thumbnail: 'pending' | 'ready' | 'none';
  /** When Printdeck deleted its own copy of the file (delivered, retention); null while it is kept. */
  removed_at: number | null;
}

export interface JobRow {
  id: string;
  connection_id: string;
  session_id: string;
  recipient: string;
  request_id: string;
  server_job_id: string | null;
  state: JobState;
  paused: number;
  error: string | null;
  created_at: number;
  finished_at: number | null;
  delivery_link: string | null;
  delivered_at: number | null;
}

/** A job as it starts: nothing sent, nothing created on the server yet. */
export function newJobRow(fields: { id: string; connectionId: string; sessionId: string; recipient: string; requestId: string }): JobRow {
  return {
    id: fields.id,
    connection_id: fields.connectionId,
    session_id: fields.sessionId,
    recipient: fields.recipient,
    request_id: fields.requestId,
    server_job_id: null,
    state: 'preparing',
    paused: 0,
    error: null,
    created_at: Date.now(),
    finished_at: null,
    delivery_link: null,
    delivered_at: null,
  };
}

export interface JobImageRow {
  job_id: string;
  image_id: string;
  position: number;
  upload_id: string | null;
  state: JobImageState;
  committed: number;
  size: number;
  error: string | null;
  retryable: number;
}

export type JobImageWithFile = JobImageRow & {
  name: string;
  path: string;
  mtime_ms: number;
  server_image_id: string | null;
  sha256: string;
  created_at: number;
};

/** SQL for the uploads domain; every write is a transaction of its own or part of a given one. */
export class UploadStore {
  private readonly stmts = new Map<string, StatementSync>();

  constructor(private readonly db: DatabaseSync) {
    applyDomainMigrations(db, 'uploads', UPLOADS_MIGRATIONS);
  }

  private st(sql: string): StatementSync {
    let s = this.stmts.get(sql);
    if (!s) this.stmts.set(sql, (s = this.db.prepare(sql)));
    return s;
  }

  transaction<T>(work: () => T): T {
    return guardedWrite(this.db, work);
  }

  // ---------- sessions ----------

  upsertSession(s: SessionRow): void {
    this.st(
      `INSERT INTO uploads_sessions (connection_id, id, name, completed, created_at, finished_at, seen_at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(connection_id, id) DO UPDATE SET name = excluded.name, completed = excluded.completed,
         created_at = excluded.created_at, finished_at = excluded.finished_at, seen_at = excluded.seen_at`,
    ).run(s.connection_id, s.id, s.name, s.completed, s.created_at, s.finished_at, Date.now());
  }

  sessions(connectionId: string, limit = 100): SessionRow[] {
    return this.st(
      `SELECT connection_id, id, name, completed, created_at, finished_at FROM uploads_sessions
       WHERE connection_id = ? ORDER BY completed ASC, created_at DESC LIMIT ?`,
    ).all(connectionId, limit) as unknown as SessionRow[];
  }

  session(connectionId: string, id: string): SessionRow | undefined {
    return this.st(
      'SELECT connection_id, id, name, completed, created_at, finished_at FROM uploads_sessions WHERE connection_id = ? AND id = ?',
    ).get(connectionId, id) as SessionRow | undefined;
  }

  /** Sessions the server no longer lists as active are marked completed locally too. */
  markOthersCompleted(connectionId: string, activeId: string | null): void {
    this.st('UPDATE uploads_sessions SET completed = 1 WHERE connection_id = ? AND completed = 0 AND id IS NOT ?').run(connectionId, activeId);
  }

  activeSession(connectionId: string): SessionRow | undefined {
    return this.st(
      'SELECT connection_id, id, name, completed, created_at, finished_at FROM uploads_sessions WHERE connection_id = ? AND completed = 0 ORDER BY created_at DESC LIMIT 1',
    ).get(connectionId) as SessionRow | undefined;
  }

  // ---------- images ----------

  insertImage(row: ImageRow): void {
    this.st(
      `INSERT INTO uploads_images (id, connection_id, session_id, name, path, owned, source, size, mtime_ms, sha256, created_at, added_at, server_image_id, thumbnail)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      row.id,
      row.connection_id,
      row.session_id,
      row.name,
      row.path,
      row.owned,
      row.source,
      row.size,
      row.mtime_ms,
      row.sha256,
      row.created_at,
      row.added_at,
      row.server_image_id,
      row.thumbnail,
    );
  }

  imageByContent(connectionId: string, sessionId: string, sha256: string): ImageRow | undefined {
    return this.st('SELECT * FROM uploads_images WHERE connection_id = ? AND session_id = ? AND sha256 = ?').get(connectionId, sessionId, sha256) as
      | ImageRow
      | undefined;
  }

  imageByName(connectionId: string, sessionId: string, name: string): ImageRow | undefined {
    return this.st('SELECT * FROM uploads_images WHERE connection_id = ? AND session_id = ? AND name = ?').get(connectionId, sessionId, name) as
      | ImageRow
      | undefined;
  }

  /** Printdeck's own copies still on disk: how many, and their bytes. */
  ownedUsage(): { files: number; bytes: number } {
    const row = this.st('SELECT COUNT(*) AS files, COALESCE(SUM(size), 0) AS bytes FROM uploads_images WHERE owned = 1 AND removed_at IS NULL').get() as {
      files: number;
      bytes: number;
    };
    return { files: Number(row.files), bytes: Number(row.bytes) };
  }

  /**
   * Printdeck's own copies that may go: uploaded in a delivered job, and in no job still under way
   * (one being prepared, uploaded, delivered or cancelled). Newest first.
   */
  deliveredCopies(): ImageRow[] {
    return this.st(
      `SELECT i.* FROM uploads_images i
       WHERE i.owned = 1 AND i.removed_at IS NULL
         AND EXISTS (SELECT 1 FROM uploads_job_images ji JOIN uploads_jobs j ON j.id = ji.job_id
                     WHERE ji.image_id = i.id AND ji.state = 'done' AND j.state = 'delivered')
         AND NOT EXISTS (SELECT 1 FROM uploads_job_images ji JOIN uploads_jobs j ON j.id = ji.job_id
                         WHERE ji.image_id = i.id AND j.state NOT IN ('delivered', 'failed', 'cancelled'))
       ORDER BY i.added_at DESC, i.rowid DESC`,
    ).all() as unknown as ImageRow[];
  }

  /** Every path of a copy Printdeck still holds (to tell orphaned files in the folder). */
  ownedPaths(): Set<string> {
    const rows = this.st('SELECT path FROM uploads_images WHERE owned = 1 AND removed_at IS NULL').all() as { path: string }[];
    return new Set(rows.map((r) => r.path));
  }

  markRemoved(id: string, at: number): void {
    this.st('UPDATE uploads_images SET removed_at = ? WHERE id = ?').run(at, id);
  }

  image(id: string): ImageRow | undefined {
    return this.st('SELECT * FROM uploads_images WHERE id = ?').get(id) as ImageRow | undefined;
  }

  images(connectionId: string, sessionId: string, offset: number, limit: number): ImageRow[] {
    return this.st('SELECT * FROM uploads_images WHERE connection_id = ? AND session_id = ? ORDER BY added_at, rowid LIMIT ? OFFSET ?').all(
      connectionId,
      sessionId,
      limit,
      offset,
    ) as unknown as ImageRow[];
  }

  imageIds(connectionId: string, sessionId: string): string[] {
    return (
      this.st('SELECT id FROM uploads_images WHERE connection_id = ? AND session_id = ? AND removed_at IS NULL ORDER BY added_at, rowid').all(connectionId, sessionId) as {
        id: string;
      }[]
    ).map((r) => r.id);
  }

  imageCount(connectionId: string, sessionId: string): number {
    const row = this.st('SELECT COUNT(*) AS n FROM uploads_images WHERE connection_id = ? AND session_id = ?').get(connectionId, sessionId) as { n: number };
    return row.n;
  }

  unregisteredImages(connectionId: string, sessionId: string): ImageRow[] {
    return this.st('SELECT * FROM uploads_images WHERE connection_id = ? AND session_id = ? AND server_image_id IS NULL ORDER BY added_at, rowid').all(
      connectionId,
      sessionId,
    ) as unknown as ImageRow[];
  }

  setServerImageId(id: string, serverImageId: string): void {
    this.st('UPDATE uploads_images SET server_image_id = ? WHERE id = ?').run(serverImageId, id);
  }

  setThumbnail(id: string, state: ImageRow['thumbnail']): void {
    this.st('UPDATE uploads_images SET thumbnail = ? WHERE id = ?').run(state, id);
  }

  pendingThumbnails(limit: number): ImageRow[] {
    return this.st("SELECT * FROM uploads_images WHERE thumbnail = 'pending' ORDER BY added_at LIMIT ?").all(limit) as unknown as ImageRow[];
  }

  // ---------- jobs ----------

  insertJob(job: JobRow, images: JobImageRow[]): void {
    const insertJob = this.st(
      `INSERT INTO uploads_jobs (id, connection_id, session_id, recipient, request_id, server_job_id, state, paused, error, created_at, finished_at, delivery_link, delivered_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertImage = this.st(
      'INSERT INTO uploads_job_images (job_id, image_id, position, upload_id, state, committed, size, error, retryable) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.transaction(() => {
      insertJob.run(
        job.id,
        job.connection_id,
        job.session_id,
        job.recipient,
        job.request_id,
        job.server_job_id,
        job.state,
        job.paused,
        job.error,
        job.created_at,
        job.finished_at,
        job.delivery_link,
        job.delivered_at,
      );
      for (const i of images) insertImage.run(i.job_id, i.image_id, i.position, i.upload_id, i.state, i.committed, i.size, i.error, i.retryable);
    });
  }

  job(id: string): JobRow | undefined {
    return this.st('SELECT * FROM uploads_jobs WHERE id = ?').get(id) as JobRow | undefined;
  }

  jobs(connectionId: string | null, limit: number): JobRow[] {
    return (
      connectionId === null
        ? this.st('SELECT * FROM uploads_jobs ORDER BY created_at DESC, rowid DESC LIMIT ?').all(limit)
        : this.st('SELECT * FROM uploads_jobs WHERE connection_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ?').all(connectionId, limit)
    ) as unknown as JobRow[];
  }

  unfinishedJobs(): JobRow[] {
    return this.st("SELECT * FROM uploads_jobs WHERE state NOT IN ('delivered', 'failed', 'cancelled') ORDER BY created_at, rowid").all() as unknown as JobRow[];
  }

  updateJob(id: string, patch: Partial<Pick<JobRow, 'server_job_id' | 'state' | 'paused' | 'error' | 'finished_at' | 'delivery_link' | 'delivered_at'>>): void {
    const keys = Object.keys(patch) as (keyof typeof patch)[];
    if (keys.length === 0) return;
    const sql = `UPDATE uploads_jobs SET ${keys.map((k) => `${k} = ?`).join(', ')} WHERE id = ?`;
    this.st(sql).run(...keys.map((k) => patch[k] ?? null), id);
  }

  jobImages(jobId: string): JobImageRow[] {
    return this.st('SELECT * FROM uploads_job_images WHERE job_id = ? ORDER BY position').all(jobId) as unknown as JobImageRow[];
  }

  /** A job's images with what the queue needs of their files, in upload order. */
  jobImagesWithFiles(jobId: string): JobImageWithFile[] {
    return this.st(
      `SELECT ji.*, i.name AS name, i.path AS path, i.mtime_ms AS mtime_ms, i.server_image_id AS server_image_id,
         i.sha256 AS sha256, i.created_at AS created_at
       FROM uploads_job_images ji JOIN uploads_images i ON i.id = ji.image_id WHERE ji.job_id = ? ORDER BY ji.position`,
    ).all(jobId) as unknown as JobImageWithFile[];
  }

  updateJobImage(jobId: string, imageId: string, patch: Partial<Pick<JobImageRow, 'upload_id' | 'state' | 'committed' | 'error' | 'retryable'>>): void {
    const keys = Object.keys(patch) as (keyof typeof patch)[];
    if (keys.length === 0) return;
    const sql = `UPDATE uploads_job_images SET ${keys.map((k) => `${k} = ?`).join(', ')} WHERE job_id = ? AND image_id = ?`;
    this.st(sql).run(...keys.map((k) => patch[k] ?? null), jobId, imageId);
  }

  /** Records the server's job and upload ids in one transaction, so a restart never creates the job twice. */
  attachServerJob(jobId: string, serverJobId: string, uploads: { imageId: string; uploadId: string }[]): void {
    const setUpload = this.st('UPDATE uploads_job_images SET upload_id = ? WHERE job_id = ? AND image_id = ?');
    this.transaction(() => {
      for (const u of uploads) setUpload.run(u.uploadId, jobId, u.imageId);
      this.st("UPDATE uploads_jobs SET server_job_id = ?, state = 'uploading' WHERE id = ?").run(serverJobId, jobId);
    });
  }

  setting(key: string): string | undefined {
    const row = this.st('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value;
  }

  setSetting(key: string, value: string | null): void {
    if (value === null) this.st('DELETE FROM settings WHERE key = ?').run(key);
    else this.st('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  settingsWithPrefix(prefix: string): { key: string; value: string }[] {
    return this.st('SELECT key, value FROM settings WHERE key >= ? AND key < ?').all(prefix, `${prefix}\uffff`) as unknown as { key: string; value: string }[];
  }
}
