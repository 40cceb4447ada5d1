import { DatabaseSync } from 'node:sqlite';
import path from 'node:path';
import { HistoryStore } from '../src/main/jobs/history/history-store';
import { historyStats } from '../src/main/jobs/history/stats';
import { JOBS_MIGRATIONS } from '../src/main/jobs/migrations';
import { tempDir } from '../test/support/test-hub';
import type { BenchResult, BenchSuite } from './lib/types';

const PRINTERS = 100;
const HISTORY_ROWS = 100_000;
const DAY = 86_400_000;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

/** A month's statistics (per day, fleet and one printer) over 100,000 recorded prints spread over a year. */
function historyQuery(): { p95: number } {
  const db = new DatabaseSync(path.join(tempDir(), 'history.sqlite'));
  for (const m of JOBS_MIGRATIONS) db.exec(m.sql);
  const store = new HistoryStore(db);
  const end = Date.UTC(2026, 11, 1);
  const start = end - 365 * DAY;
  db.exec('BEGIN');
  const outcomes = ['success', 'success', 'success', 'failed', 'cancelled'] as const;
  for (let i = 0; i < HISTORY_ROWS; i++) {
    const at = start + Math.floor((i / HISTORY_ROWS) * 365 * DAY);
    const id = store.open({
      deviceId: `dev-${i % PRINTERS}`,
      printerName: `P${i % PRINTERS}`,
      family: 'xyz',
      fileName: `f${i}.gcode`,
      origin: 'queue',
      startedAt: at,
      queueJobId: null,
      filamentStartMm: null,
    });
    store.close(id, {
      endedAt: at + 3_600_000,
      outcome: outcomes[i % outcomes.length]!,
      reason: null,
      filamentMm: 1200,
    });
  }
  db.exec('COMMIT');
  db.exec('ANALYZE');
  const samples: number[] = [];
  for (let i = 0; i < 60; i++) {
    const to = end - (i % 6) * 30 * DAY;
    const t0 = performance.now();
    historyStats(
      db,
      { from: to - 30 * DAY, to, deviceIds: i % 2 === 0 ? null : [`dev-${i}`] },
      'day',
      i % 2 === 0 ? PRINTERS : 1,
    );
    samples.push(performance.now() - t0);
  }
  db.close();
  return { p95: percentile(samples, 95) };
}

const suite: BenchSuite = {
  prefix: 'history',
  async run(): Promise<BenchResult[]> {
    const h = historyQuery();
    return [
      {
        name: 'history.query_p95_ms_100k',
        value: Math.round(h.p95 * 10) / 10,
        unit: 'ms',
        target: 50,
        better: 'lower',
      },
    ];
  },
};

export default suite;
