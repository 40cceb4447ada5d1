import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { QueueFileFacts, QueueJob, QueueJobState, QueuePrinter, QueueTarget } from '../../../shared/contract';
import { AppError } from '../../../shared/rpc/result';

/** A job as stored: the contract's job without the wait reason (computed per pass), plus its file. */
export type StoredJob = Omit<QueueJob, 'waitReason'> & { filePath: string };

export interface NewJob {
  id: string;
  fileName: string;
  filePath: string;
  size: number;
  facts: QueueFileFacts;
  target: QueueTarget;
  priority: number;
  held: boolean;
  copyIndex: number;
  copyCount: number;
  requeueOnFailure: boolean;
}

interface JobRow {
  id: string;
  file_name: string;
  file_path: string;
  size: number;
  facts: string;
  target: string;
  priority: number;
  position: number;
  held: number;
  state: string;
  copy_index: number;
  copy_count: number;
  requeue_on_failure: number;
  attempts: number;
  device_id: string | null;
  device_name: string | null;
  last_error: string | null;
  created_at: number;
  started_at: number | null;
  ended_at: number | null;
}

interface PrinterRow {
  device_id: string;
  name: string;
  bed_clear: number;
  auto_clear: number;
  tags: string;
}

const ORDER = `CASE state WHEN 'printing' THEN 0 WHEN 'starting' THEN 0 WHEN 'queued' THEN 1 ELSE 2 END, priority DESC, position`;

/**
 * The queue in SQLite. Every fact is one transaction, committed (synchronous = FULL) before anyone
 * hears of it, so a kill -9 loses nothing: a claimed job is `starting` with its printer named, and
 * the partial unique index gives a printer at most one starting or printing job.
 */
export class QueueStore {
  /** Statements compiled once: the dispatcher asks about a printer on every status, many times a second across a fleet. */
  private readonly statements = new Map<string, StatementSync>();

  constructor(private readonly db: DatabaseSync) {}

  private prepare(sql: string): StatementSync {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  add(jobs: readonly NewJob[], now: number): StoredJob[] {
    return this.tx(() => {
      const row = this.prepare(`SELECT COALESCE(MAX(position), 0) AS p FROM queue_jobs`).get() as { p: number };
      let position = row.p;
      const insert = this.prepare(
        `INSERT INTO queue_jobs (id, file_name, file_path, size, facts, target, priority, position, held, state, copy_index, copy_count, requeue_on_failure, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?)`,
      );
      for (const j of jobs) {
        position += 1;
        insert.run(
          j.id,
          j.fileName,
          j.filePath,
          j.size,
          JSON.stringify(j.facts),
          JSON.stringify(j.target),
          j.priority,
          position,
          j.held ? 1 : 0,
          j.copyIndex,
          j.copyCount,
          j.requeueOnFailure ? 1 : 0,
          now,
        );
      }
      return jobs.map((j) => this.get(j.id));
    });
  }

  list(): StoredJob[] {
    return (this.prepare(`SELECT * FROM queue_jobs ORDER BY ${ORDER}`).all() as unknown as JobRow[]).map(toJob);
  }

  /** Queued, not held, in dispatch order. */
  waiting(): StoredJob[] {
    return (
      this
        .prepare(`SELECT * FROM queue_jobs WHERE state = 'queued' ORDER BY priority DESC, position`)
        .all() as unknown as JobRow[]
    ).map(toJob);
  }

  inState(...states: QueueJobState[]): StoredJob[] {
    const rows = this
      .prepare(`SELECT * FROM queue_jobs WHERE state IN (SELECT value FROM json_each(?))`)
      .all(JSON.stringify(states)) as unknown as JobRow[];
    return rows.map(toJob);
  }

  get(id: string): StoredJob {
    const row = this.prepare('SELECT * FROM queue_jobs WHERE id = ?').get(id) as unknown as JobRow | undefined;
    if (!row) throw new AppError('NOT_FOUND', 'That job is no longer in the queue.');
    return toJob(row);
  }

  activeOn(deviceId: string): StoredJob | null {
    const row = this
      .prepare(`SELECT * FROM queue_jobs WHERE device_id = ? AND state IN ('starting', 'printing')`)
      .get(deviceId) as unknown as JobRow | undefined;
    return row ? toJob(row) : null;
  }

  update(
    id: string,
    patch: { target?: QueueTarget; priority?: number; requeueOnFailure?: boolean; held?: boolean },
  ): StoredJob {
    return this.tx(() => {
      const job = this.get(id);
      if (patch.held !== undefined && job.state !== 'queued')
        throw new AppError('CONFLICT', `Only a waiting job can be held or released; this one is ${job.state}.`);
      this
        .prepare('UPDATE queue_jobs SET target = ?, priority = ?, requeue_on_failure = ?, held = ? WHERE id = ?')
        .run(
          JSON.stringify(patch.target ?? job.target),
          patch.priority ?? job.priority,
          (patch.requeueOnFailure ?? job.requeueOnFailure) ? 1 : 0,
          (patch.held ?? job.held) ? 1 : 0,
          id,
        );
      return this.get(id);
    });
  }

  /** Puts a waiting job just before another (taking its priority, so the order shown is the order kept), or last. */
  move(id: string, beforeId: string | null): StoredJob {
    return this.tx(() => {
      const job = this.get(id);
      if (job.state !== 'queued')
        throw new AppError('CONFLICT', `Only a waiting job can be moved; this one is ${job.state}.`);
      const order = this.waiting().filter((j) => j.id !== id);
      let index = order.length;
      let priority = order.at(-1)?.priority ?? job.priority;
      if (beforeId !== null) {
        index = order.findIndex((j) => j.id === beforeId);
        if (index < 0) throw new AppError('NOT_FOUND', 'The job to move before is not waiting in the queue.');
        priority = order[index]!.priority;
      }
      order.splice(index, 0, { ...job, priority });
      const set = this.prepare('UPDATE queue_jobs SET position = ?, priority = ? WHERE id = ?');
      order.forEach((j, i) => set.run(i + 1, j.priority, j.id));
      return this.get(id);
    });
  }

  remove(id: string): StoredJob {
    return this.tx(() => {
      const job = this.get(id);
      this.prepare('DELETE FROM queue_jobs WHERE id = ?').run(id);
      return job;
    });
  }

  clearFinished(): StoredJob[] {
    return this.tx(() => {
      const gone = this.inState('done', 'failed', 'cancelled');
      this.prepare(`DELETE FROM queue_jobs WHERE state IN ('done', 'failed', 'cancelled')`).run();
      return gone;
    });
  }

  /**
   * Claims a waiting job and a free printer together, in one transaction: the job becomes
   * `starting` on that printer and the printer's bed is no longer clear. Returns false when either
   * was taken meanwhile (the job started elsewhere, was held or removed; the printer got a job).
   */
  claim(jobId: string, deviceId: string, deviceName: string, now: number): boolean {
    return this.tx(() => {
      const printer = this.printer(deviceId);
      if (!printer.bedClear && !printer.autoClear) return false;
      if (this.activeOn(deviceId)) return false;
      const changed = this
        .prepare(
          `UPDATE queue_jobs SET state = 'starting', device_id = ?, device_name = ?, attempts = attempts + 1, started_at = ?, ended_at = NULL
           WHERE id = ? AND state = 'queued' AND held = 0`,
        )
        .run(deviceId, deviceName, now, jobId);
      if (Number(changed.changes) !== 1) return false;
      this.prepare('UPDATE queue_printers SET bed_clear = 0 WHERE device_id = ?').run(deviceId);
      return true;
    });
  }

  /** The printer accepted the job. */
  markPrinting(jobId: string): void {
    this.prepare(`UPDATE queue_jobs SET state = 'printing' WHERE id = ? AND state = 'starting'`).run(jobId);
  }

  /** The start failed (or never happened): the job waits again with the reason, and the printer's bed is as clear as before. */
  unclaim(jobId: string, reason: string): void {
    this.tx(() => {
      const job = this.get(jobId);
      if (job.state !== 'starting') return;
      this
        .prepare(
          `UPDATE queue_jobs SET state = 'queued', device_id = NULL, device_name = NULL, started_at = NULL, last_error = ? WHERE id = ?`,
        )
        .run(reason, jobId);
      if (job.deviceId)
        this.prepare('UPDATE queue_printers SET bed_clear = 1 WHERE device_id = ?').run(job.deviceId);
    });
  }

  /** The print ended: done, or failed (queued again when the job asks for it). */
  finish(jobId: string, outcome: 'done' | 'failed' | 'cancelled', reason: string | null, now: number): StoredJob {
    return this.tx(() => {
      const job = this.get(jobId);
      if (outcome === 'failed' && job.requeueOnFailure) {
        this
          .prepare(
            `UPDATE queue_jobs SET state = 'queued', device_id = NULL, device_name = NULL, started_at = NULL, last_error = ? WHERE id = ?`,
          )
          .run(reason, jobId);
      } else {
        this
          .prepare('UPDATE queue_jobs SET state = ?, ended_at = ?, last_error = COALESCE(?, last_error) WHERE id = ?')
          .run(outcome, now, reason, jobId);
      }
      return this.get(jobId);
    });
  }

  printers(): QueuePrinter[] {
    return (this.prepare('SELECT * FROM queue_printers ORDER BY name').all() as unknown as PrinterRow[]).map(
      toPrinter,
    );
  }

  printer(deviceId: string): QueuePrinter {
    const row = this.prepare('SELECT * FROM queue_printers WHERE device_id = ?').get(deviceId) as unknown as
      PrinterRow | undefined;
    return row ? toPrinter(row) : { deviceId, name: deviceId, bedClear: true, autoClear: false, tags: [] };
  }

  /** Records a printer the fleet showed (new printers start with a clear bed). */
  seePrinter(deviceId: string, name: string): void {
    this
      .prepare(
        'INSERT INTO queue_printers (device_id, name) VALUES (?, ?) ON CONFLICT(device_id) DO UPDATE SET name = excluded.name WHERE name != excluded.name',
      )
      .run(deviceId, name);
  }

  setPrinter(deviceId: string, patch: { autoClear?: boolean; tags?: string[]; bedClear?: boolean }): QueuePrinter {
    return this.tx(() => {
      const p = this.printer(deviceId);
      this
        .prepare(
          `INSERT INTO queue_printers (device_id, name, bed_clear, auto_clear, tags) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT(device_id) DO UPDATE SET bed_clear = excluded.bed_clear, auto_clear = excluded.auto_clear, tags = excluded.tags`,
        )
        .run(
          deviceId,
          p.name,
          (patch.bedClear ?? p.bedClear) ? 1 : 0,
          (patch.autoClear ?? p.autoClear) ? 1 : 0,
          JSON.stringify(patch.tags ?? p.tags),
        );
      return this.printer(deviceId);
    });
  }

  private tx<T>(work: () => T): T {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const result = work();
      this.db.exec('COMMIT');
      return result;
    } catch (err) {
      this.db.exec('ROLLBACK');
      throw err;
    }
  }
}

function toJob(r: JobRow): StoredJob {
  return {
    id: r.id,
    fileName: r.file_name,
    filePath: r.file_path,
    size: r.size,
    facts: JSON.parse(r.facts) as QueueFileFacts,
    target: JSON.parse(r.target) as QueueTarget,
    priority: r.priority,
    position: r.position,
    held: r.held === 1,
    state: r.state as QueueJobState,
    copyIndex: r.copy_index,
    copyCount: r.copy_count,
    requeueOnFailure: r.requeue_on_failure === 1,
    attempts: r.attempts,
    deviceId: r.device_id,
    deviceName: r.device_name,
    lastError: r.last_error,
    createdAt: r.created_at,
    startedAt: r.started_at,
    endedAt: r.ended_at,
  };
}

function toPrinter(r: PrinterRow): QueuePrinter {
  return {
    deviceId: r.device_id,
    name: r.name,
    bedClear: r.bed_clear === 1,
    autoClear: r.auto_clear === 1,
    tags: JSON.parse(r.tags) as string[],
  };
}
