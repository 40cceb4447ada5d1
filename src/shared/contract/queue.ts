import { z } from 'zod';
import { Ack, Empty } from './app';
import { call, event } from './define';
import { FileSource } from './printers';

/**
 * The print queue: jobs waiting for a printer, routed by target and by what the file was made
 * for, started by the dispatcher when a matching printer is idle and its bed is clear. Calls are
 * `queue.verb`; merged into the contract in ./index.ts.
 */

const JobId = z.string().uuid();
const DeviceId = z.string().min(1).max(128);
const Tag = z.string().trim().min(1).max(40);

export const QUEUE_MAX_JOBS = 10_000;
export const QUEUE_MAX_COPIES = 100;

/** Where a job may print: one printer, any printer with a tag, or any printer that can print it. */
export const QueueTarget = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('printer'), deviceId: DeviceId }).strict(),
  z.object({ kind: z.literal('tag'), tag: Tag }).strict(),
  z.object({ kind: z.literal('any') }).strict(),
]);
export type QueueTarget = z.infer<typeof QueueTarget>;

/** queued → starting (claimed with a printer) → printing → done | failed; cancelled when removed while printing. */
export const QueueJobState = z.enum(['queued', 'starting', 'printing', 'done', 'failed', 'cancelled']);
export type QueueJobState = z.infer<typeof QueueJobState>;

const Mm = z.number().finite().nonnegative();
export const QueueFileFacts = z.object({
  format: z.enum(['gcode', '3w']),
  machineId: z.string().max(120).nullable(),
  slicerPrinter: z.string().max(200).nullable(),
  nozzleMm: Mm.nullable(),
  extentsMm: z.object({ x: Mm, y: Mm, z: Mm }).nullable(),
});
export type QueueFileFacts = z.infer<typeof QueueFileFacts>;

export const QueueJob = z.object({
  id: z.string().max(64),
  fileName: z.string().max(255),
  size: z.number().int().nonnegative(),
  facts: QueueFileFacts,
  target: QueueTarget,
  /** Higher first; equal priorities keep their queue order. */
  priority: z.number().int(),
  /** Queue order (smaller first) among equal priorities. */
  position: z.number(),
  held: z.boolean(),
  state: QueueJobState,
  copyIndex: z.number().int().positive(),
  copyCount: z.number().int().positive(),
  requeueOnFailure: z.boolean(),
  attempts: z.number().int().nonnegative(),
  deviceId: z.string().max(128).nullable(),
  deviceName: z.string().max(200).nullable(),
  /** Why a queued job is not printing yet, in words; null when it is about to start. */
  waitReason: z.string().max(2000).nullable(),
  /** The last failed start or print, in words. */
  lastError: z.string().max(2000).nullable(),
  createdAt: z.number().int(),
  startedAt: z.number().int().nullable(),
  endedAt: z.number().int().nullable(),
});
export type QueueJob = z.infer<typeof QueueJob>;

/** A printer as the queue sees it: whether its bed is clear, whether it clears itself, its tags. */
export const QueuePrinter = z.object({
  deviceId: z.string().max(128),
  name: z.string().max(200),
  bedClear: z.boolean(),
  autoClear: z.boolean(),
  tags: z.array(z.string().max(40)).max(20),
});
export type QueuePrinter = z.infer<typeof QueuePrinter>;

export const QueueSnapshot = z.object({
  jobs: z.array(QueueJob).max(QUEUE_MAX_JOBS),
  printers: z.array(QueuePrinter).max(10_000),
  revision: z.number().int().nonnegative(),
});
export type QueueSnapshot = z.infer<typeof QueueSnapshot>;

const ById = z.object({ id: JobId }).strict();

/** How many printers one file may go to at once (the fleet's multi-select). */
export const SEND_MAX_PRINTERS = 1_000;

/**
 * What sending a file now would do on one printer: `print` (nothing known stands in the way),
 * `busy` (it could print it but is working: it may be queued there instead) or `skip` (it cannot
 * print it, or cannot be reached); `reason` says why, in words, for every answer but `print`.
 */
export const SendPlanEntry = z.object({
  deviceId: z.string().max(128),
  name: z.string().max(200),
  plan: z.enum(['print', 'busy', 'skip']),
  reason: z.string().max(2000).nullable(),
});
export type SendPlanEntry = z.infer<typeof SendPlanEntry>;

/** What became of one printer in `queue.sendToPrinters`; a started file's progress follows in `printers.transfer`. */
export const SendResult = z.object({
  deviceId: z.string().max(128),
  name: z.string().max(200),
  outcome: z.enum(['sending', 'queued', 'skipped', 'failed']),
  /** The transfer to follow in `printers.transfer` (outcome `sending`). */
  transferId: z.string().max(64).nullable(),
  /** The queue job made for it (outcome `queued`). */
  jobId: z.string().max(64).nullable(),
  message: z.string().max(2000).nullable(),
});
export type SendResult = z.infer<typeof SendResult>;

const SendFile = { file: FileSource, name: z.string().min(1).max(255).optional() };
const SendDevices = z.array(DeviceId).max(SEND_MAX_PRINTERS);

export const queueCalls = {
  'queue.list': call(Empty, QueueSnapshot),
  'queue.add': call(
    z
      .object({
        file: FileSource,
        name: z.string().min(1).max(255).optional(),
        target: QueueTarget.default({ kind: 'any' }),
        copies: z.number().int().min(1).max(QUEUE_MAX_COPIES).default(1),
        priority: z.number().int().min(-100).max(100).default(0),
        held: z.boolean().default(false),
        requeueOnFailure: z.boolean().default(false),
      })
      .strict(),
    z.object({ jobs: z.array(QueueJob).max(QUEUE_MAX_COPIES) }),
    { timeoutMs: 120_000 },
  ),
  'queue.update': call(
    z
      .object({
        id: JobId,
        target: QueueTarget.optional(),
        priority: z.number().int().min(-100).max(100).optional(),
        requeueOnFailure: z.boolean().optional(),
      })
      .strict(),
    QueueJob,
  ),
  'queue.hold': call(ById, QueueJob),
  'queue.release': call(ById, QueueJob),
  /** Puts a queued job just before another (`beforeId`), or last when `beforeId` is null. */
  'queue.move': call(z.object({ id: JobId, beforeId: JobId.nullable() }).strict(), QueueJob),
  /** Removes a job that is not starting or printing (cancel the print on its printer first); its prints stay in the history. */
  'queue.remove': call(ById, Ack),
  /** Removes finished, failed and cancelled jobs from the list (their prints stay in the history). */
  'queue.clearFinished': call(Empty, z.object({ removed: z.number().int().nonnegative() })),
  /** Someone took the last print off this printer's bed: the queue may start the next job there. */
  'queue.bedCleared': call(z.object({ deviceId: DeviceId }).strict(), QueuePrinter),
  'queue.setPrinter': call(
    z.object({ deviceId: DeviceId, autoClear: z.boolean().optional(), tags: z.array(Tag).max(20).optional() }).strict(),
    QueuePrinter,
  ),
  /**
   * Reads one file once and says for each printer whether it could print it now, the same way the
   * queue judges compatibility (`.3w` machine id, the slicer's machine, nozzle, extents against the
   * build volume). Sends nothing; a staged file stays staged for `queue.sendToPrinters`.
   */
  'queue.checkPrinters': call(
    z.object({ ...SendFile, deviceIds: SendDevices.min(1) }).strict(),
    z.object({ fileName: z.string().max(255), printers: z.array(SendPlanEntry).max(SEND_MAX_PRINTERS) }),
    { timeoutMs: 60_000 },
  ),
  /**
   * Sends one file to several printers: starts it on each of `print` and queues it for each of
   * `queue` (a job targeted at that printer). Every printer is judged again first, and one that
   * cannot take it now is skipped with the reason; answers once every print has started sending
   * (or failed to), one result per printer. The file is used once: a staged file is released when
   * the last transfer ends.
   */
  'queue.sendToPrinters': call(
    z
      .object({ ...SendFile, print: SendDevices, queue: SendDevices })
      .strict()
      .refine((r) => r.print.length + r.queue.length > 0, { message: 'Name at least one printer', path: ['print'] })
      .refine((r) => new Set([...r.print, ...r.queue]).size === r.print.length + r.queue.length, {
        message: 'A printer may be named once, to print or to queue',
        path: ['queue'],
      }),
    z.object({ fileName: z.string().max(255), results: z.array(SendResult).max(2 * SEND_MAX_PRINTERS) }),
    { timeoutMs: 120_000 },
  ),
};

export const queueEvents = {
  /** Something in the queue changed; clients reload with queue.list. */
  'queue.changed': event(z.object({ revision: z.number().int().nonnegative() }), { coalesceKey: () => 'queue' }),
};
