import { z } from 'zod';
import { Empty } from './app';
import { call, event } from './define';

/**
 * The history of every print on every family, and statistics over it. Calls are `history.verb`;
 * merged into the contract in ./index.ts.
 */

/** `site`: another Printdeck site's queue sent the file over MQTT. */
export const PrintOrigin = z.enum(['desktop', 'browser', 'queue', 'printer', 'site']);
export type PrintOrigin = z.infer<typeof PrintOrigin>;

/** Whose own history a print was imported from (OctoPrint, the Armory cloud, Klipper's Moonraker). */
export const ImportSource = z.enum(['octoprint', 'armory', 'moonraker']);
export type ImportSource = z.infer<typeof ImportSource>;

export const PrintOutcome = z.enum(['running', 'success', 'failed', 'cancelled']);
export type PrintOutcome = z.infer<typeof PrintOutcome>;

export const PrintRecord = z.object({
  id: z.number().int(),
  deviceId: z.string().max(128),
  printerName: z.string().max(200),
  family: z.string().max(32),
  fileName: z.string().max(512).nullable(),
  origin: PrintOrigin,
  startedAt: z.number().int(),
  endedAt: z.number().int().nullable(),
  durationSec: z.number().int().nonnegative().nullable(),
  outcome: PrintOutcome,
  reason: z.string().max(1000).nullable(),
  filamentMm: z.number().nonnegative().nullable(),
  queueJobId: z.string().max(64).nullable(),
  /** Set when the row came from the printer's own history, not from watching the print here. */
  importedFrom: ImportSource.nullable(),
});
export type PrintRecord = z.infer<typeof PrintRecord>;

const Time = z.number().int().nonnegative();
export const HistoryBucket = z.enum(['day', 'week', 'month']);
export type HistoryBucket = z.infer<typeof HistoryBucket>;

/** Which prints: all, one printer's, or those of the printers with a tag. */
export const HistoryScope = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('fleet') }).strict(),
  z.object({ kind: z.literal('printer'), deviceId: z.string().min(1).max(128) }).strict(),
  z.object({ kind: z.literal('tag'), tag: z.string().min(1).max(40) }).strict(),
]);
export type HistoryScope = z.infer<typeof HistoryScope>;

export const StatsRow = z.object({
  /** Start of the bucket, ms since the epoch (UTC days; weeks start on Monday). */
  bucketStart: z.number().int(),
  prints: z.number().int().nonnegative(),
  succeeded: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  cancelled: z.number().int().nonnegative(),
  printHours: z.number().nonnegative(),
  filamentMm: z.number().nonnegative(),
  /** Print time over the time the scope's printers had in the bucket, 0..100. */
  utilisationPct: z.number().nonnegative(),
  /** Succeeded over finished prints, 0..100; null with no finished prints. */
  successPct: z.number().nonnegative().nullable(),
});
export type StatsRow = z.infer<typeof StatsRow>;

export const HistoryStats = z.object({
  bucket: HistoryBucket,
  printers: z.number().int().nonnegative(),
  rows: z.array(StatsRow).max(400),
  total: StatsRow,
});
export type HistoryStats = z.infer<typeof HistoryStats>;

const Range = { from: Time, to: Time };
export const HISTORY_PAGE_MAX = 500;

export const historyCalls = {
  'history.list': call(
    z
      .object({
        ...Range,
        scope: HistoryScope.default({ kind: 'fleet' }),
        limit: z.number().int().min(1).max(HISTORY_PAGE_MAX).default(100),
        offset: z.number().int().min(0).default(0),
      })
      .strict(),
    z.object({ records: z.array(PrintRecord).max(HISTORY_PAGE_MAX), total: z.number().int().nonnegative() }),
  ),
  'history.stats': call(
    z.object({ ...Range, bucket: HistoryBucket, scope: HistoryScope.default({ kind: 'fleet' }) }).strict(),
    HistoryStats,
  ),
  /** The prints in the range as CSV (RFC 4180, a header row, UTC ISO times) for a spreadsheet. */
  'history.exportCsv': call(
    z.object({ ...Range, scope: HistoryScope.default({ kind: 'fleet' }) }).strict(),
    z.object({ csv: z.string().max(64 * 1024 * 1024), rows: z.number().int() }),
    {
      timeoutMs: 60_000,
    },
  ),
  'history.settings': call(Empty, z.object({ retentionDays: z.number().int().min(0) })),
  /** Prints older than this many days are deleted (0 keeps them forever). */
  'history.setRetention': call(
    z.object({ retentionDays: z.number().int().min(0).max(36_500) }).strict(),
    z.object({ retentionDays: z.number().int().min(0) }),
  ),
};

export const historyEvents = {
  'history.changed': event(z.object({ revision: z.number().int().nonnegative() }), { coalesceKey: () => 'history' }),
};
