import { z } from 'zod';
import { JobInfo, PrinterStateInfo, ProgressInfo, TemperatureDataPoint } from './common';

/**
 * Payload schemas of the server -> client socket messages. Fields the connector drives its
 * state from (`state`, `job`, `progress`) are required; side channels (logs, markings, ...)
 * fall back to empty with `.catch` so a surprise in them never costs a state update.
 */

export const Marking = z.object({
  type: z.string(),
  label: z.string().nullish(),
  time: z.number().optional(),
});

export const BusyFile = z.object({ origin: z.string(), path: z.string() });

/** `current` and `history` share this model; `history` has no `busyFiles` [verified]. */
export const CurrentPayload = z.object({
  state: PrinterStateInfo,
  job: JobInfo,
  progress: ProgressInfo,
  currentZ: z.number().nullish().catch(null),
  offsets: z.record(z.string(), z.number()).optional().catch(undefined),
  temps: z.array(TemperatureDataPoint).catch([]),
  logs: z.array(z.string()).catch([]),
  messages: z.array(z.string()).catch([]),
  markings: z.array(Marking).catch([]),
  busyFiles: z.array(BusyFile).optional().catch(undefined),
  resends: z
    .object({ count: z.number(), transmitted: z.number().optional(), ratio: z.number() })
    .optional()
    .catch(undefined),
  serverTime: z.number().optional().catch(undefined),
});
export type CurrentPayload = z.infer<typeof CurrentPayload>;

export const PermissionInfo = z.object({
  key: z.string(),
  name: z.string().optional(),
  dangerous: z.boolean().optional(),
  default_groups: z.array(z.string()).optional(),
  description: z.string().optional(),
  needs: z.record(z.string(), z.array(z.string())).optional(),
});

/** `connected`: sent once right after the socket opens, before any auth. */
export const ConnectedPayload = z.object({
  version: z.string(),
  display_version: z.string().optional(),
  branch: z.string().nullish(),
  python_version: z.string().optional(),
  /** A change means plugins changed on the server (e.g. after a restart). */
  plugin_hash: z.string().optional(),
  /** A change means the server's settings changed. */
  config_hash: z.string().optional(),
  debug: z.boolean().optional(),
  safe_mode: z.string().nullish(),
  online: z.boolean().nullish(),
  permissions: z.array(PermissionInfo).catch([]),
});
export type ConnectedPayload = z.infer<typeof ConnectedPayload>;

/**
 * `event`: OctoPrint's own payloads are an object or null; plugin events may send anything,
 * so the payload stays `unknown` here and known payloads are typed by `readEvent`.
 */
export const EventEnvelope = z
  .object({ type: z.string().min(1), payload: z.unknown().optional() })
  // An absent payload reads the same as OctoPrint's explicit null.
  .transform(({ type, payload }) => ({ type, payload: payload ?? null }));
export type EventEnvelope = z.infer<typeof EventEnvelope>;

/** "stale" | "logout" | "removed" | "modified" — kept open for future reasons. */
export const ReauthRequiredPayload = z.object({ reason: z.string() });
export type ReauthRequiredPayload = z.infer<typeof ReauthRequiredPayload>;

export const PluginPayload = z.object({
  plugin: z.string().min(1),
  data: z.unknown().optional(),
});
export type PluginPayload = z.infer<typeof PluginPayload>;

export const SlicingProgressPayload = z.object({
  slicer: z.string().optional(),
  source_location: z.string().optional(),
  source_path: z.string().optional(),
  dest_location: z.string().optional(),
  dest_path: z.string().optional(),
  progress: z.number(),
});
export type SlicingProgressPayload = z.infer<typeof SlicingProgressPayload>;

/** The timelapse configuration, or null when none is set [verified: null]. */
export const TimelapsePayload = z.record(z.string(), z.unknown()).nullable();
export type TimelapsePayload = z.infer<typeof TimelapsePayload>;
