import type { DatabaseSync } from 'node:sqlite';
import type { ImportSource, PrintOrigin, PrintOutcome, PrintRecord } from '../../../shared/contract';
import type { PastJob } from '../../devices/driver';
import { runInTransaction } from '../../store/database';
import { matchPastJob, MATCH_TOLERANCE_MS, type RecordedPrint } from './matching';

interface HistoryRow {
  id: number;
  device_id: string;
  printer_name: string;
  family: string;
  file_name: string | null;
  origin: string;
  started_at: number;
  ended_at: number | null;
  duration_sec: number | null;
  outcome: string;
  reason: string | null;
  filament_mm: number | null;
  queue_job_id: string | null;
  external_source: string | null;
  imported: number;
}

export interface NewPrint {
  deviceId: string;
  printerName: string;
  family: string;
  fileName: string | null;
  origin: PrintOrigin;
  startedAt: number;
  queueJobId: string | null;
  filamentStartMm: number | null;
}

/** Which rows a query covers: a time range, and the devices of a scope (null: every device). */
export interface HistoryFilter {
  from: number;
  to: number;
  deviceIds: readonly string[] | null;
}

export const DEFAULT_RETENTION_DAYS = 0;

/** The device an imported batch belongs to, as the fleet names it now. */
export interface ImportTarget {
  deviceId: string;
  printerName: string;
  family: string;
}

/** The print history in SQLite: a row per print, opened when it starts and closed when it ends. */
export class HistoryStore {
  constructor(private readonly db: DatabaseSync) {}

  open(print: NewPrint): number {
    const r = this.db
      .prepare(
        `INSERT INTO print_history (device_id, printer_name, family, file_name, origin, started_at, outcome, queue_job_id, filament_start_mm)
         VALUES (?, ?, ?, ?, ?, ?, 'running', ?, ?)`,
      )
      .run(
        print.deviceId,
        print.printerName,
        print.family,
        print.fileName,
        print.origin,
        print.startedAt,
        print.queueJobId,
        print.filamentStartMm,
      );
    return Number(r.lastInsertRowid);
  }

  /** The print running on a device, if one is recorded (also after a restart). */
  running(
    deviceId: string,
  ): { id: number; fileName: string | null; startedAt: number; filamentStartMm: number | null } | null {
    const row = this.db
      .prepare(
        `SELECT id, file_name, started_at, filament_start_mm FROM print_history WHERE device_id = ? AND outcome = 'running' ORDER BY id DESC LIMIT 1`,
      )
      .get(deviceId) as
      { id: number; file_name: string | null; started_at: number; filament_start_mm: number | null } | undefined;
    return row
      ? { id: row.id, fileName: row.file_name, startedAt: row.started_at, filamentStartMm: row.filament_start_mm }
      : null;
  }

  allRunning(): { deviceId: string; fileName: string | null }[] {
    const rows = this.db.prepare(`SELECT device_id, file_name FROM print_history WHERE outcome = 'running'`).all() as {
      device_id: string;
      file_name: string | null;
    }[];
    return rows.map((r) => ({ deviceId: r.device_id, fileName: r.file_name }));
  }

  close(
    id: number,
    end: {
      endedAt: number;
      outcome: Exclude<PrintOutcome, 'running'>;
      reason: string | null;
      filamentMm: number | null;
    },
  ): void {
    this.db
      .prepare(
        `UPDATE print_history SET ended_at = ?, duration_sec = MAX(0, CAST((? - started_at) / 1000 AS INTEGER)), outcome = ?, reason = ?, filament_mm = ? WHERE id = ? AND outcome = 'running'`,
      )
      .run(end.endedAt, end.endedAt, end.outcome, end.reason, end.filamentMm, id);
  }

  /**
   * Records a batch of the printer's own history in one transaction: an entry already imported is
   * skipped (device + source + external id is unique); one that is a print Printdeck watched is
   * linked to that row (and closes it if Printdeck missed the end), so it is counted once; any
   * other becomes a row marked imported.
   */
  importBatch(target: ImportTarget, entries: readonly PastJob[]): { added: number; merged: number } {
    let added = 0;
    let merged = 0;
    const known = this.db.prepare(
      `SELECT 1 FROM print_history WHERE device_id = ? AND external_source = ? AND external_id = ?`,
    );
    const candidates = this.db.prepare(
      `SELECT id, file_name, started_at, ended_at FROM print_history
       WHERE device_id = ? AND imported = 0 AND external_id IS NULL
         AND started_at BETWEEN ? AND ?`,
    );
    const link = this.db.prepare(
      `UPDATE print_history SET external_source = ?, external_id = ?,
         filament_mm = COALESCE(filament_mm, ?), file_name = COALESCE(file_name, ?)
       WHERE id = ?`,
    );
    const closeMissed = this.db.prepare(
      `UPDATE print_history SET ended_at = ?, duration_sec = ?, outcome = ?, reason = ? WHERE id = ? AND outcome = 'running'`,
    );
    const insert = this.db.prepare(
      `INSERT INTO print_history (device_id, printer_name, family, file_name, origin, started_at, ended_at, duration_sec,
         outcome, reason, filament_mm, external_source, external_id, imported)
       VALUES (?, ?, ?, ?, 'printer', ?, ?, ?, ?, ?, ?, ?, ?, 1)`,
    );
    runInTransaction(this.db, () => {
      for (const e of entries) {
        if (known.get(target.deviceId, e.source, e.externalId)) continue;
        const startedAt = startOf(e);
        const durationSec = e.durationSec ?? Math.max(0, Math.round((e.endedAt - startedAt) / 1000));
        // Any print that could be this one started no later than it ended, and within a day of its start.
        const rows = candidates.all(
          target.deviceId,
          Math.min(startedAt, e.endedAt) - 86_400_000,
          e.endedAt + MATCH_TOLERANCE_MS,
        ) as { id: number; file_name: string | null; started_at: number; ended_at: number | null }[];
        const recorded: RecordedPrint[] = rows.map((r) => ({
          id: r.id,
          fileName: r.file_name,
          startedAt: r.started_at,
          endedAt: r.ended_at,
        }));
        const match = matchPastJob(e, recorded);
        if (match) {
          link.run(e.source, e.externalId, e.filamentMm, e.fileName, match.id);
          closeMissed.run(
            e.endedAt,
            Math.max(0, Math.round((e.endedAt - match.startedAt) / 1000)),
            e.outcome,
            e.reason,
            match.id,
          );
          merged++;
        } else {
          insert.run(
            target.deviceId,
            target.printerName,
            target.family,
            e.fileName,
            startedAt,
            e.endedAt,
            durationSec,
            e.outcome,
            e.reason,
            e.filamentMm,
            e.source,
            e.externalId,
          );
          added++;
        }
      }
    });
    return { added, merged };
  }

  /** When the newest print imported from (or linked to) a device's own history ended, to read on from there. */
  lastImportedEnd(deviceId: string): number | null {
    const row = this.db
      .prepare(`SELECT MAX(ended_at) AS t FROM print_history WHERE device_id = ? AND external_id IS NOT NULL`)
      .get(deviceId) as { t: number | null } | undefined;
    return row?.t ?? null;
  }

  list(filter: HistoryFilter, limit: number, offset: number): { records: PrintRecord[]; total: number } {
    const [where, params] = whereOf(filter);
    const total = (
      this.db.prepare(`SELECT COUNT(*) AS n FROM print_history WHERE ${where}`).get(...params) as { n: number }
    ).n;
    const rows = this.db
      .prepare(`SELECT * FROM print_history WHERE ${where} ORDER BY started_at DESC, id DESC LIMIT ? OFFSET ?`)
      .all(...params, limit, offset) as unknown as HistoryRow[];
    return { records: rows.map(toRecord), total };
  }

  /** Every row of the range, oldest first, a page at a time (the CSV export). */
  *each(filter: HistoryFilter): Generator<PrintRecord> {
    const [where, params] = whereOf(filter);
    const stmt = this.db.prepare(`SELECT * FROM print_history WHERE ${where} ORDER BY started_at, id`);
    for (const row of stmt.iterate(...params) as Iterable<HistoryRow>) yield toRecord(row);
  }

  /** Deletes finished prints that started before `before`; returns how many. */
  prune(before: number): number {
    return Number(
      this.db.prepare(`DELETE FROM print_history WHERE started_at < ? AND outcome != 'running'`).run(before).changes,
    );
  }

  retentionDays(): number {
    const row = this.db.prepare(`SELECT value FROM history_settings WHERE key = 'retention_days'`).get() as
      { value: string } | undefined;
    return row ? Number(row.value) : DEFAULT_RETENTION_DAYS;
  }

  setRetentionDays(days: number): void {
    this.db
      .prepare(
        `INSERT INTO history_settings (key, value) VALUES ('retention_days', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
      )
      .run(String(days));
  }
}

/** The WHERE clause of a filter; the device list goes in as one JSON parameter, whatever its length. */
export function whereOf(filter: HistoryFilter): [string, (string | number)[]] {
  const params: (string | number)[] = [filter.from, filter.to];
  let where = 'started_at >= ? AND started_at < ?';
  if (filter.deviceIds) {
    where += ' AND device_id IN (SELECT value FROM json_each(?))';
    params.push(JSON.stringify(filter.deviceIds));
  }
  return [where, params];
}

function toRecord(r: HistoryRow): PrintRecord {
  return {
    id: r.id,
    deviceId: r.device_id,
    printerName: r.printer_name,
    family: r.family,
    fileName: r.file_name,
    origin: r.origin as PrintOrigin,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    durationSec: r.duration_sec,
    outcome: r.outcome as PrintOutcome,
    reason: r.reason,
    filamentMm: r.filament_mm,
    queueJobId: r.queue_job_id,
    importedFrom: r.imported ? (r.external_source as ImportSource) : null,
  };
}

/** When an imported print started: as the printer says, or its end less its duration, or its end. */
function startOf(e: PastJob): number {
  if (e.startedAt !== null) return e.startedAt;
  return e.durationSec !== null ? e.endedAt - Math.round(e.durationSec * 1000) : e.endedAt;
}
