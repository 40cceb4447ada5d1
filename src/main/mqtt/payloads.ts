import { z } from 'zod';
import { DeviceCapabilities, PrinterFamily, PrinterState, LinkState, type DeviceStatus, type Temperature } from '../../shared/domain/device';
import { isCancelling, isJobActive } from '../../shared/domain/device-state';
import { ErrorCode } from '../../shared/rpc/result';
import { isCommandAction } from './topics';

/**
 * The JSON Printdeck publishes, versioned (`v`), in fixed units (°C, seconds, percent). Every key is
 * always present, `null` when unknown, because Home Assistant templates read `value_json.x` and a
 * missing key is not the same as an unknown value.
 */

/** What a printer can print, as its host's family table knows it (another site's queue routes by it). */
export const ProfilePayload = z.object({
  v: z.literal(1),
  formats: z.array(z.enum(['gcode', '3w'])).max(4),
  machineIds: z.array(z.string().max(64)).max(32).nullable(),
  buildVolumeMm: z.object({ x: z.number().positive(), y: z.number().positive(), z: z.number().positive() }).nullable(),
  nozzleMm: z.number().positive().nullable(),
});
export type ProfilePayload = z.infer<typeof ProfilePayload>;

const Reading = z.object({ actual: z.number().finite().nullable(), target: z.number().finite().nullable() });

export const StatePayload = z.object({
  v: z.literal(1),
  ts: z.number().int().nonnegative(),
  deviceId: z.string().min(1).max(128),
  name: z.string().max(200),
  model: z.string().max(200).nullable(),
  family: PrinterFamily,
  link: LinkState,
  state: PrinterState,
  stateText: z.string().max(200),
  /** 0–100. */
  progress: z.number().min(0).max(100).nullable(),
  nozzle: Reading,
  bed: Reading,
  chamber: z.object({ actual: z.number().finite().nullable() }).nullable(),
  job: z.object({ name: z.string().max(512).nullable(), elapsedS: z.number().nonnegative().nullable(), remainingS: z.number().nonnegative().nullable() }).nullable(),
  error: z.string().max(1000).nullable(),
  capabilities: DeviceCapabilities,
});
export type StatePayload = z.infer<typeof StatePayload>;

export const HostInfo = z.object({
  v: z.literal(1),
  hostUid: z.string().min(1).max(64),
  name: z.string().max(200),
  version: z.string().max(64),
  startedAt: z.number().int().nonnegative(),
  printers: z.array(z.string().max(48)).max(4096),
  /** The commands this host accepts over MQTT (empty: none); names a reader does not know are dropped. */
  commands: z
    .array(z.string().max(32))
    .max(16)
    .transform((list) => list.filter(isCommandAction)),
  ts: z.number().int().nonnegative(),
});
export type HostInfo = z.infer<typeof HostInfo>;

export const JobEventType = z.enum(['job.started', 'job.finished', 'job.failed', 'job.cancelled']);
export type JobEventType = z.infer<typeof JobEventType>;

export const EventPayload = z.object({
  v: z.literal(1),
  type: JobEventType,
  ts: z.number().int().nonnegative(),
  deviceId: z.string().min(1).max(128),
  job: z.string().max(512).nullable(),
  error: z.string().max(1000).nullable(),
});
export type EventPayload = z.infer<typeof EventPayload>;

/** A command's body. Home Assistant's button sends a bare `PRESS`; a Printdeck site sends `{"id": …}` to match the reply. */
export const CommandBody = z.object({ id: z.string().min(1).max(64) });

/** `print-job`: which job of the host's queue to print (on the printer of the topic). */
export const PrintJobBody = z.object({ id: z.string().min(1).max(64).optional(), job: z.string().min(1).max(64) });

/** An upload's id names its file on the receiving host: letters, digits and dashes only. */
const UploadId = z.string().regex(/^[A-Za-z0-9-]{8,64}$/);

/**
 * `print` (a file from another site's queue), as JSON: `begin` (or resume: the reply's `received`
 * says where to go on), `commit` (checksum, then print; repeating it never prints twice), `abort`.
 * The file's bytes travel in between as binary messages on the same topic, with user properties
 * `op=chunk`, `id`, `upload` and `offset`.
 */
export const PrintBody = z.discriminatedUnion('op', [
  z.object({
    op: z.literal('begin'),
    id: z.string().min(1).max(64),
    upload: UploadId,
    name: z.string().min(1).max(200),
    size: z.number().int().positive(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
  }),
  z.object({ op: z.literal('commit'), id: z.string().min(1).max(64), upload: UploadId }),
  z.object({ op: z.literal('abort'), id: z.string().min(1).max(64), upload: UploadId }),
]);
export type PrintBody = z.infer<typeof PrintBody>;

export const ChunkProperties = z.object({
  op: z.literal('chunk'),
  id: z.string().min(1).max(64),
  upload: UploadId,
  offset: z.coerce.number().int().nonnegative(),
});
export type ChunkProperties = z.infer<typeof ChunkProperties>;

export const CommandReply = z.object({
  v: z.literal(1),
  id: z.string().max(64).nullable(),
  action: z.string().max(32),
  ok: z.boolean(),
  /** The same codes the API answers with (src/shared/rpc/result.ts). */
  error: z.object({ code: ErrorCode, message: z.string().max(1000) }).nullable(),
  /** `print` only: how many bytes of the upload the host holds (where the sender goes on). */
  received: z.number().int().nonnegative().optional(),
  ts: z.number().int().nonnegative(),
});
export type CommandReply = z.infer<typeof CommandReply>;

/** State JSON stays small; beyond this a publish is refused before it reaches a broker that would drop it silently. */
export const MAX_PAYLOAD_BYTES = 16 * 1024;

const OTHER_SENSORS = new Set(['bed', 'chamber', 'heatbed', 'heater_bed']);

function reading(t: Temperature | undefined): z.infer<typeof Reading> {
  return { actual: t?.actual ?? null, target: t?.target ?? null };
}

export function toStatePayload(status: DeviceStatus, now: number): StatePayload {
  const temps = status.temperatures;
  const bed = temps.find((t) => t.sensor === 'bed' || t.sensor === 'heater_bed' || t.sensor === 'heatbed');
  const chamber = temps.find((t) => t.sensor === 'chamber');
  const nozzle = temps.find((t) => !OTHER_SENSORS.has(t.sensor));
  const progress = status.job?.progress;
  return {
    v: 1,
    ts: now,
    deviceId: status.deviceId,
    name: status.name,
    model: status.model,
    family: status.family,
    link: status.link,
    state: status.state,
    stateText: status.stateText,
    progress: progress === null || progress === undefined ? null : Math.round(progress * 1000) / 10,
    nozzle: reading(nozzle),
    bed: reading(bed),
    chamber: chamber ? { actual: chamber.actual } : null,
    job: status.job ? { name: status.job.name, elapsedS: status.job.elapsedSec, remainingS: status.job.remainingSec } : null,
    error: status.problem?.message ?? null,
    capabilities: status.capabilities,
  };
}

function moved(a: number | null, b: number | null, band: number): boolean {
  if (a === null || b === null) return a !== b;
  return Math.abs(a - b) >= band;
}

/**
 * Whether a new snapshot is worth a message: state, link, job, error, targets or anything but the
 * readings always are; temperatures only past ±0.5 °C, progress past 1 %, times past 10 s.
 */
export function worthPublishing(prev: StatePayload | undefined, next: StatePayload): boolean {
  if (!prev) return true;
  const { ts: _a, progress: p1, nozzle: n1, bed: b1, chamber: c1, job: j1, ...rest1 } = prev;
  const { ts: _b, progress: p2, nozzle: n2, bed: b2, chamber: c2, job: j2, ...rest2 } = next;
  if (JSON.stringify(rest1) !== JSON.stringify(rest2)) return true;
  if (n1.target !== n2.target || b1.target !== b2.target) return true;
  if (moved(n1.actual, n2.actual, 0.5) || moved(b1.actual, b2.actual, 0.5) || moved(c1?.actual ?? null, c2?.actual ?? null, 0.5)) return true;
  if (moved(p1, p2, 1)) return true;
  if ((j1 === null) !== (j2 === null) || j1?.name !== j2?.name) return true;
  return moved(j1?.remainingS ?? null, j2?.remainingS ?? null, 10) || moved(j1?.elapsedS ?? null, j2?.elapsedS ?? null, 10);
}

/** The job event a change of state means, if any: only transitions count, so a reconnect does not re-announce. */
export function jobEventOf(before: DeviceStatus | undefined, after: DeviceStatus, now: number): EventPayload | null {
  if (!before) return null;
  const was = isJobActive(before.state);
  const is = isJobActive(after.state);
  const job = after.job?.name ?? before.job?.name ?? null;
  const base = { v: 1 as const, ts: now, deviceId: after.deviceId, job, error: null };
  if (!was && is) return { ...base, type: 'job.started' };
  if (!was || is) return null;
  if (after.state === 'error') return { ...base, type: 'job.failed', error: after.problem?.message ?? after.stateText };
  if (isCancelling(before.state)) return { ...base, type: 'job.cancelled' };
  if (after.state === 'done' || (after.state === 'idle' && (before.job?.progress ?? 0) >= 0.99)) return { ...base, type: 'job.finished' };
  if (after.state === 'idle') return { ...base, type: 'job.cancelled' };
  return null;
}

/** Parses a received JSON payload against a schema; an empty payload (a cleared retained topic) is null too. */
export function parseJson<T>(schema: z.ZodType<T>, payload: Uint8Array): T | null {
  if (payload.length === 0 || payload.length > MAX_PAYLOAD_BYTES) return null;
  try {
    const parsed = schema.safeParse(JSON.parse(Buffer.from(payload).toString('utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
