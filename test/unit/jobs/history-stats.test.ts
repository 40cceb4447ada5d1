import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { PrintRecord } from '../../../src/shared/contract';
import { csvField, toCsv } from '../../../src/main/jobs/history/csv';
import { HistoryStore } from '../../../src/main/jobs/history/history-store';
import { historyStats } from '../../../src/main/jobs/history/stats';
import { JOBS_MIGRATIONS } from '../../../src/main/jobs/migrations';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 10, 2); // Monday 2 November 2026

function store() {
  const db = new DatabaseSync(':memory:');
  for (const m of JOBS_MIGRATIONS) db.exec(m.sql);
  return { db, history: new HistoryStore(db) };
}

function print(
  history: HistoryStore,
  deviceId: string,
  start: number,
  hours: number,
  outcome: 'success' | 'failed' | 'cancelled',
  filament: number | null = null,
) {
  const id = history.open({
    deviceId,
    printerName: deviceId,
    family: 'xyz',
    fileName: 'f.gcode',
    origin: 'queue',
    startedAt: start,
    queueJobId: null,
    filamentStartMm: null,
  });
  history.close(id, { endedAt: start + hours * HOUR, outcome, reason: null, filamentMm: filament });
}

describe('history statistics', () => {
  it('sums prints, hours, filament, success and utilisation per day', () => {
    const { db, history } = store();
    print(history, 'a', T0 + HOUR, 6, 'success', 1000);
    print(history, 'b', T0 + 2 * HOUR, 6, 'failed');
    print(history, 'a', T0 + DAY + HOUR, 12, 'success', 500);
    const stats = historyStats(db, { from: T0, to: T0 + 2 * DAY, deviceIds: null }, 'day', 2);
    expect(stats.rows.map((r) => [r.bucketStart, r.prints, r.printHours, r.utilisationPct, r.successPct])).toEqual([
      [T0, 2, 12, 25, 50],
      [T0 + DAY, 1, 12, 25, 100],
    ]);
    expect(stats.total).toMatchObject({
      prints: 3,
      succeeded: 2,
      failed: 1,
      printHours: 24,
      filamentMm: 1500,
      utilisationPct: 25,
    });
  });

  it('buckets weeks from Monday and months from the 1st (UTC), and scopes by device', () => {
    const { db, history } = store();
    print(history, 'a', T0 - HOUR, 1, 'success'); // Sunday 1 November: previous week, this month
    print(history, 'a', T0 + 6 * DAY, 1, 'success'); // Sunday 8 November: this week
    print(history, 'b', T0 + 30 * DAY, 1, 'cancelled'); // December
    const from = Date.UTC(2026, 9, 1);
    const to = Date.UTC(2027, 0, 1);
    expect(
      historyStats(db, { from, to, deviceIds: null }, 'week', 2).rows.map((r) => [r.bucketStart, r.prints]),
    ).toEqual([
      [T0 - 7 * DAY, 1],
      [T0, 1],
      [T0 + 28 * DAY, 1],
    ]);
    expect(
      historyStats(db, { from, to, deviceIds: null }, 'month', 2).rows.map((r) => [r.bucketStart, r.prints]),
    ).toEqual([
      [Date.UTC(2026, 10, 1), 2],
      [Date.UTC(2026, 11, 1), 1],
    ]);
    expect(historyStats(db, { from, to, deviceIds: ['b'] }, 'month', 1).total).toMatchObject({
      prints: 1,
      cancelled: 1,
      successPct: 0,
    });
  });

  it('lists records the contract accepts, with whole-second durations', () => {
    const { history } = store();
    const id = history.open({
      deviceId: 'a',
      printerName: 'a',
      family: 'xyz',
      fileName: 'f.gcode',
      origin: 'desktop',
      startedAt: T0,
      queueJobId: null,
      filamentStartMm: 100.5,
    });
    history.close(id, { endedAt: T0 + 90_123, outcome: 'success', reason: null, filamentMm: 12.5 });
    const [record] = history.list({ from: T0 - 1, to: T0 + DAY, deviceIds: null }, 10, 0).records;
    expect(PrintRecord.parse(record)).toMatchObject({ durationSec: 90, outcome: 'success' });
  });

  it('prunes finished prints older than the retention, never a running one', () => {
    const { history } = store();
    print(history, 'a', T0, 1, 'success');
    history.open({
      deviceId: 'b',
      printerName: 'b',
      family: 'xyz',
      fileName: null,
      origin: 'printer',
      startedAt: T0,
      queueJobId: null,
      filamentStartMm: null,
    });
    expect(history.prune(T0 + DAY)).toBe(1);
    expect(history.running('b')).not.toBeNull();
  });
});

describe('CSV', () => {
  it('quotes what needs quoting and defuses formulas', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"\n')).toBe('"say ""hi""\n"');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField(null)).toBe('');
  });

  it('writes a header and one CRLF row per print with UTC times', () => {
    const record: PrintRecord = {
      id: 7,
      deviceId: 'xyz:1',
      printerName: 'Nano, left',
      family: 'xyz',
      fileName: 'cube.gcode',
      origin: 'queue',
      startedAt: T0,
      endedAt: T0 + 90 * 60_000,
      durationSec: 5400,
      outcome: 'success',
      reason: null,
      filamentMm: 1234.4,
      queueJobId: null,
      importedFrom: null,
    };
    const { csv, rows } = toCsv([record]);
    expect(rows).toBe(1);
    expect(csv.split('\r\n')).toEqual([
      'id,printer,device_id,family,file,origin,started_utc,ended_utc,duration_min,outcome,reason,filament_mm,queue_job,imported_from',
      '7,"Nano, left",xyz:1,xyz,cube.gcode,queue,2026-11-02T00:00:00.000Z,2026-11-02T01:30:00.000Z,90,success,,1234,,',
      '',
    ]);
  });
});
