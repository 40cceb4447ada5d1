import type { DatabaseSync } from 'node:sqlite';
import type { PrintOrigin, PrintOutcome, PrintRecord } from '../../../shared/contract';

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
  };
}
