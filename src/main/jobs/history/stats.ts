import type { DatabaseSync } from 'node:sqlite';
import type { HistoryBucket, HistoryStats, StatsRow } from '../../../shared/contract';
import { whereOf, type HistoryFilter } from './history-store';

const DAY = 86_400_000;
/** 1970-01-05 was a Monday: weeks are counted from there. */
const MONDAY = 4 * DAY;

/** The SQL expression for the start of a print's bucket, in ms since the epoch (UTC). */
function bucketSql(bucket: HistoryBucket): string {
  if (bucket === 'day') return `(started_at / ${DAY}) * ${DAY}`;
  if (bucket === 'week') return `((started_at - ${MONDAY}) / ${7 * DAY}) * ${7 * DAY} + ${MONDAY}`;
  return `CAST(strftime('%s', started_at / 1000, 'unixepoch', 'start of month') AS INTEGER) * 1000`;
}

/** The bucket after `start` (UTC). */
export function nextBucket(start: number, bucket: HistoryBucket): number {
  if (bucket === 'day') return start + DAY;
  if (bucket === 'week') return start + 7 * DAY;
  const d = new Date(start);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

interface Agg {
  bucket: number;
  prints: number;
  succeeded: number;
  failed: number;
  cancelled: number;
  seconds: number | null;
  filament: number | null;
}

/**
 * Statistics over the history with one grouped query (the started_at index bounds it to the
 * range). Utilisation is print time over the time the scope's printers had in the bucket, with
 * the bucket clipped to the range asked for.
 */
export function historyStats(
  db: DatabaseSync,
  filter: HistoryFilter,
  bucket: HistoryBucket,
  printers: number,
): HistoryStats {
  const [where, params] = whereOf(filter);
  const rows = db
    .prepare(
      `SELECT ${bucketSql(bucket)} AS bucket, COUNT(*) AS prints,
              SUM(outcome = 'success') AS succeeded, SUM(outcome = 'failed') AS failed, SUM(outcome = 'cancelled') AS cancelled,
              SUM(duration_sec) AS seconds, SUM(filament_mm) AS filament
       FROM print_history WHERE ${where} GROUP BY 1 ORDER BY 1`,
    )
    .all(...params) as unknown as Agg[];
  const out = rows.map((r) =>
    toRow(r, Math.max(r.bucket, filter.from), Math.min(nextBucket(r.bucket, bucket), filter.to), printers),
  );
  const sum: Agg = { bucket: filter.from, prints: 0, succeeded: 0, failed: 0, cancelled: 0, seconds: 0, filament: 0 };
  for (const r of rows) {
    sum.prints += r.prints;
    sum.succeeded += r.succeeded;
    sum.failed += r.failed;
    sum.cancelled += r.cancelled;
    sum.seconds = (sum.seconds ?? 0) + (r.seconds ?? 0);
    sum.filament = (sum.filament ?? 0) + (r.filament ?? 0);
  }
  return { bucket, printers, rows: out.slice(-400), total: toRow(sum, filter.from, filter.to, printers) };
}

function toRow(r: Agg, from: number, to: number, printers: number): StatsRow {
  const seconds = r.seconds ?? 0;
  const available = (Math.max(0, to - from) / 1000) * printers;
  const finished = r.succeeded + r.failed + r.cancelled;
  return {
    bucketStart: r.bucket,
    prints: r.prints,
    succeeded: r.succeeded,
    failed: r.failed,
    cancelled: r.cancelled,
    printHours: round(seconds / 3600),
    filamentMm: round(r.filament ?? 0),
    utilisationPct: available > 0 ? round(Math.min(100, (seconds / available) * 100)) : 0,
    successPct: finished > 0 ? round((r.succeeded / finished) * 100) : null,
  };
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
