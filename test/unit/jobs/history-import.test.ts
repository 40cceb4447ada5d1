import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { pastJobOfTask } from '../../../src/main/cloud/past-tasks';
import type { PastJob } from '../../../src/main/devices/driver';
import { HistoryStore } from '../../../src/main/jobs/history/history-store';
import { matchPastJob, MATCH_TOLERANCE_MS, sameFileKey } from '../../../src/main/jobs/history/matching';
import { historyStats } from '../../../src/main/jobs/history/stats';
import { JOBS_MIGRATIONS } from '../../../src/main/jobs/migrations';
import { pastJobOf } from '../../../src/main/printers/moonraker/protocol';
import { pastJobsOf } from '../../../src/main/printers/octoprint/protocol';

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 2, 8);

function past(overrides: Partial<PastJob> = {}): PastJob {
  return {
    source: 'moonraker',
    externalId: '000001',
    fileName: 'cube.gcode',
    startedAt: T0,
    endedAt: T0 + 60 * MIN,
    durationSec: 3600,
    outcome: 'success',
    reason: null,
    filamentMm: 1200,
    ...overrides,
  };
}

describe('matching a printer-history entry to a print Printdeck recorded', () => {
  const recorded = { id: 1, fileName: 'cube.gcode', startedAt: T0 + 20_000, endedAt: T0 + 60 * MIN + 15_000 };

  it('matches the same file on the same printer within the tolerance, by end where both know it', () => {
    expect(matchPastJob(past(), [recorded])).toBe(recorded);
    // OctoPrint knows only the end.
    expect(matchPastJob(past({ startedAt: null }), [recorded])).toBe(recorded);
  });

  it('compares by start when Printdeck missed the end', () => {
    const running = { ...recorded, endedAt: null };
    expect(matchPastJob(past(), [running])).toBe(running);
    expect(matchPastJob(past({ startedAt: null }), [running])).toBeNull();
  });

  it('refuses another file or a time outside the tolerance', () => {
    expect(matchPastJob(past({ fileName: 'other.gcode' }), [recorded])).toBeNull();
    const late = past({ endedAt: recorded.endedAt + MATCH_TOLERANCE_MS + 1 });
    expect(matchPastJob(late, [recorded])).toBeNull();
  });

  it('compares file names by their last segment, case folded, and lets an unknown name match by time', () => {
    expect(sameFileKey('calibration/Cube.GCODE')).toBe('cube.gcode');
    expect(matchPastJob(past({ fileName: 'parts/CUBE.gcode' }), [recorded])).toBe(recorded);
    expect(matchPastJob(past(), [{ ...recorded, fileName: null }])?.id).toBe(1);
  });

  it('takes the closest of several candidates', () => {
    const near = { ...recorded, id: 2, endedAt: T0 + 60 * MIN + 2_000 };
    expect(matchPastJob(past(), [recorded, near])).toBe(near);
  });
});

describe('importing a batch into the history store', () => {
  function setup() {
    const db = new DatabaseSync(':memory:');
    for (const m of JOBS_MIGRATIONS) db.exec(m.sql);
    return { db, store: new HistoryStore(db) };
  }
  const target = { deviceId: 'moonraker:1', printerName: 'Voron', family: 'moonraker' };

  it('adds each entry once, however often it is imported', () => {
    const { store } = setup();
    const batch = [
      past(),
      past({
        externalId: '000002',
        startedAt: T0 + 2 * 60 * MIN,
        endedAt: T0 + 3 * 60 * MIN,
        outcome: 'failed',
        reason: 'Klipper shut down',
      }),
    ];
    expect(store.importBatch(target, batch)).toEqual({ added: 2, merged: 0 });
    expect(store.importBatch(target, batch)).toEqual({ added: 0, merged: 0 });
    const { records, total } = store.list({ from: 0, to: T0 + 86_400_000, deviceIds: null }, 10, 0);
    expect(total).toBe(2);
    expect(records.map((r) => [r.importedFrom, r.outcome, r.origin])).toEqual([
      ['moonraker', 'failed', 'printer'],
      ['moonraker', 'success', 'printer'],
    ]);
    // The same external id on another printer is another print.
    expect(store.importBatch({ ...target, deviceId: 'moonraker:2' }, batch).added).toBe(2);
  });

  it('links an entry to the print Printdeck recorded, so it is one row, and closes one whose end it missed', () => {
    const { db, store } = setup();
    const watched = store.open({
      deviceId: target.deviceId,
      printerName: 'Voron',
      family: 'moonraker',
      fileName: 'cube.gcode',
      origin: 'queue',
      startedAt: T0 + 5_000,
      queueJobId: 'q1',
      filamentStartMm: null,
    });
    store.close(watched, { endedAt: T0 + 60 * MIN + 3_000, outcome: 'success', reason: null, filamentMm: null });
    const missed = store.open({
      deviceId: target.deviceId,
      printerName: 'Voron',
      family: 'moonraker',
      fileName: 'b.gcode',
      origin: 'browser',
      startedAt: T0 + 5 * 60 * MIN,
      queueJobId: null,
      filamentStartMm: null,
    });
    const batch = [
      past(),
      past({
        externalId: '000002',
        fileName: 'b.gcode',
        startedAt: T0 + 5 * 60 * MIN - 4_000,
        endedAt: T0 + 6 * 60 * MIN,
        outcome: 'cancelled',
      }),
    ];
    expect(store.importBatch(target, batch)).toEqual({ added: 0, merged: 2 });
    expect(store.importBatch(target, batch)).toEqual({ added: 0, merged: 0 });
    const { records } = store.list({ from: 0, to: T0 + 86_400_000, deviceIds: null }, 10, 0);
    expect(records).toHaveLength(2);
    const byId = new Map(records.map((r) => [r.id, r]));
    // Printdeck's own facts stay (who started it, the queue job); the printer's fill what was missing.
    expect(byId.get(watched)).toMatchObject({
      origin: 'queue',
      queueJobId: 'q1',
      importedFrom: null,
      filamentMm: 1200,
      outcome: 'success',
    });
    expect(byId.get(missed)).toMatchObject({ origin: 'browser', outcome: 'cancelled', endedAt: T0 + 6 * 60 * MIN });
    expect(store.running(target.deviceId)).toBeNull();
    expect(store.lastImportedEnd(target.deviceId)).toBe(T0 + 6 * 60 * MIN);
    // Counted once in the statistics.
    const stats = historyStats(db, { from: T0 - 86_400_000, to: T0 + 86_400_000, deviceIds: null }, 'day', 1);
    expect(stats.total.prints).toBe(2);
  });

  it('places an entry known only by its end at its end less its print time', () => {
    const { store } = setup();
    store.importBatch(target, [
      past({ source: 'octoprint', externalId: 'a.gcode@1', startedAt: null, durationSec: 600 }),
    ]);
    const [r] = store.list({ from: 0, to: T0 + 86_400_000, deviceIds: null }, 10, 0).records;
    expect(r).toMatchObject({ startedAt: T0 + 50 * MIN, durationSec: 600, importedFrom: 'octoprint' });
  });
});

describe('what each family returns of its own history', () => {
  it('Moonraker: finished jobs only, outcomes and reasons by status, an interrupted job ends after its total duration', () => {
    const job = {
      job_id: '000027',
      filename: 'cube.gcode',
      start_time: 1_800_000_000,
      end_time: 1_800_003_600,
      print_duration: 3500,
      total_duration: 3600,
      filament_used: 1234.5,
    };
    expect(pastJobOf({ ...job, status: 'completed' })).toMatchObject({
      source: 'moonraker',
      externalId: '000027',
      startedAt: 1_800_000_000_000,
      endedAt: 1_800_003_600_000,
      outcome: 'success',
      filamentMm: 1234.5,
    });
    expect(pastJobOf({ ...job, status: 'in_progress' })).toBeNull();
    expect(pastJobOf({ ...job, status: 'cancelled' })?.outcome).toBe('cancelled');
    expect(pastJobOf({ ...job, status: 'klippy_shutdown' })).toMatchObject({
      outcome: 'failed',
      reason: expect.stringMatching(/shut down/),
    });
    expect(pastJobOf({ ...job, status: 'interrupted', end_time: null })).toMatchObject({
      outcome: 'failed',
      endedAt: 1_800_003_600_000,
    });
  });

  it('OctoPrint: the last print of each local file, its time only when it succeeded, nothing for a file never printed', () => {
    const list = {
      files: [
        {
          name: 'a.gcode',
          path: 'a.gcode',
          type: 'machinecode',
          origin: 'local',
          prints: { success: 2, failure: 2, last: { date: 1795311115.17, success: false } },
          statistics: { lastPrintTime: { _default: 11.2 } },
        },
        {
          name: 'calibration',
          path: 'calibration',
          type: 'folder',
          children: [
            {
              name: 'b.gcode',
              path: 'calibration/b.gcode',
              type: 'machinecode',
              origin: 'local',
              prints: { success: 1, failure: 0, last: { date: 1795300000, success: true } },
              statistics: { lastPrintTime: { _default: 600.4 } },
              gcodeAnalysis: { filament: { tool0: { length: 800, volume: 0 } } },
            },
          ],
        },
        {
          name: 'never.gcode',
          path: 'never.gcode',
          type: 'machinecode',
          origin: 'local',
          prints: { success: 0, failure: 0 },
        },
        {
          name: 'sd.gcode',
          path: 'sd.gcode',
          type: 'machinecode',
          origin: 'sdcard',
          prints: { success: 1, failure: 0, last: { date: 1795300000, success: true } },
        },
      ],
    };
    const jobs = pastJobsOf(list, null);
    expect(jobs).toEqual([
      expect.objectContaining({
        source: 'octoprint',
        externalId: 'a.gcode@1795311115170',
        startedAt: null,
        endedAt: 1795311115170,
        durationSec: null,
        outcome: 'failed',
        filamentMm: null,
      }),
      expect.objectContaining({
        externalId: 'calibration/b.gcode@1795300000000',
        fileName: 'b.gcode',
        durationSec: 600,
        outcome: 'success',
        filamentMm: 800,
      }),
    ]);
    expect(pastJobsOf(list, 1795311000000).map((j) => j.fileName)).toEqual(['a.gcode']);
  });

  it('Armory: finished (2) and failed (3) tasks, duration from start to end, none of the unknown codes', () => {
    const task = {
      id: '4001',
      modelId: 'US1',
      title: 'Benchy',
      cover: '',
      status: 2,
      startTime: '2026-11-02T08:00:00Z',
      endTime: '2026-11-02T08:40:00Z',
      weight: 12,
      costTime: '2700',
      deviceId: 'dev1',
      mode: 'cloud_file',
    };
    expect(pastJobOfTask(task)).toMatchObject({
      source: 'armory',
      externalId: '4001',
      fileName: 'Benchy',
      durationSec: 2400,
      outcome: 'success',
      filamentMm: null,
    });
    expect(pastJobOfTask({ ...task, status: 3 })?.outcome).toBe('failed');
    for (const status of [1, 4, 5]) expect(pastJobOfTask({ ...task, status })).toBeNull();
    expect(pastJobOfTask({ ...task, endTime: 'soon' })).toBeNull();
  });
});
