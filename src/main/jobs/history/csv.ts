import type { PrintRecord } from '../../../shared/contract';

export const CSV_COLUMNS = [
  'id',
  'printer',
  'device_id',
  'family',
  'file',
  'origin',
  'started_utc',
  'ended_utc',
  'duration_min',
  'outcome',
  'reason',
  'filament_mm',
  'queue_job',
  'imported_from',
] as const;

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote or line break, quotes doubled.
 * Text starting with = + - @ is prefixed with ' so a spreadsheet shows it instead of running it.
 */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function csvRow(r: PrintRecord): string {
  const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
  return [
    r.id,
    r.printerName,
    r.deviceId,
    r.family,
    r.fileName,
    r.origin,
    iso(r.startedAt),
    iso(r.endedAt),
    r.durationSec === null ? null : Math.round((r.durationSec / 60) * 10) / 10,
    r.outcome,
    r.reason,
    r.filamentMm === null ? null : Math.round(r.filamentMm),
    r.queueJobId,
    r.importedFrom,
  ]
    .map(csvField)
    .join(',');
}

/** The whole CSV: a header row and a row per print, CRLF line ends as RFC 4180 and spreadsheets expect. */
export function toCsv(records: Iterable<PrintRecord>): { csv: string; rows: number } {
  const lines = [CSV_COLUMNS.join(',')];
  for (const r of records) lines.push(csvRow(r));
  return { csv: lines.join('\r\n') + '\r\n', rows: lines.length - 1 };
}
