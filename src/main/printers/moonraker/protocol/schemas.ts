import { z } from 'zod';

/**
 * Replies and notification payloads the driver reads, as Moonraker (API 1.5) sends them. Only the
 * fields used are declared; zod drops the rest, so new Moonraker fields never break parsing.
 */

export const KlippyState = z.enum(['disconnected', 'startup', 'ready', 'error', 'shutdown']);
export type KlippyState = z.infer<typeof KlippyState>;

/** `server.info`: works whether or not Klippy is connected. */
export const ServerInfo = z.object({
  klippy_connected: z.boolean(),
  // Unknown future states are read as "startup" (not usable yet, keep polling).
  klippy_state: KlippyState.catch('startup'),
  moonraker_version: z.string().max(200).optional(),
  api_version_string: z.string().max(50).optional(),
});
export type ServerInfo = z.infer<typeof ServerInfo>;

/** `printer.info`: Klippy's own state and its message (multi-line for error/shutdown). */
export const PrinterInfo = z.object({
  state: z.string().max(50),
  state_message: z.string().max(10_000).default(''),
  hostname: z.string().max(255).optional(),
  software_version: z.string().max(200).optional(),
});
export type PrinterInfo = z.infer<typeof PrinterInfo>;

/** Object fields as subscribed; every field optional because `notify_status_update` sends only changes. */
const Num = z.number().finite();
export const PrintStats = z
  .object({
    state: z.string().max(50),
    filename: z.string().max(1024),
    print_duration: Num,
    total_duration: Num,
    filament_used: Num,
    message: z.string().max(2000),
  })
  .partial();
export const Heater = z.object({ temperature: Num, target: Num, power: Num }).partial();
export const VirtualSdcard = z.object({ progress: Num, is_active: z.boolean(), file_position: Num, file_size: Num }).partial();
export const DisplayStatus = z.object({ progress: Num, message: z.string().max(1000).nullable() }).partial();
export const Toolhead = z.object({ homed_axes: z.string().max(16), position: z.array(Num).max(16) }).partial();
export const Webhooks = z.object({ state: z.string().max(50), state_message: z.string().max(10_000) }).partial();
export const IdleTimeout = z.object({ state: z.string().max(50) }).partial();

/** What the driver keeps of Klipper's objects; filled from the subscribe reply, patched by updates. */
export interface PrinterObjects {
  print_stats?: z.infer<typeof PrintStats>;
  extruder?: z.infer<typeof Heater>;
  heater_bed?: z.infer<typeof Heater>;
  virtual_sdcard?: z.infer<typeof VirtualSdcard>;
  display_status?: z.infer<typeof DisplayStatus>;
  toolhead?: z.infer<typeof Toolhead>;
  webhooks?: z.infer<typeof Webhooks>;
  idle_timeout?: z.infer<typeof IdleTimeout>;
}

export const OBJECT_SCHEMAS = {
  print_stats: PrintStats,
  extruder: Heater,
  heater_bed: Heater,
  virtual_sdcard: VirtualSdcard,
  display_status: DisplayStatus,
  toolhead: Toolhead,
  webhooks: Webhooks,
  idle_timeout: IdleTimeout,
} as const;

export type ObjectName = keyof typeof OBJECT_SCHEMAS;
export const OBJECT_NAMES = Object.keys(OBJECT_SCHEMAS) as ObjectName[];

/** `printer.objects.subscribe` / `.query`: `{eventtime, status: {object: {field: value}}}`. */
export const ObjectsReply = z.object({ eventtime: Num.optional(), status: z.record(z.string(), z.record(z.string(), z.unknown())) });

/** `server.webcams.list`. URLs may be absolute or host-relative; `snapshot_url` is "" when unsupported. */
export const Webcam = z.object({
  name: z.string().max(200),
  enabled: z.boolean().default(true),
  snapshot_url: z.string().max(2048).default(''),
  stream_url: z.string().max(2048).default(''),
});
export const WebcamList = z.object({ webcams: z.array(Webcam).max(64) });

/** `server.files.list` with root gcodes: a bare array. */
export const FileEntry = z.object({ path: z.string().max(1024), modified: Num, size: z.number().int().nonnegative(), permissions: z.string().max(8).optional() });
export const FileList = z.array(FileEntry).max(100_000);
export type FileEntry = z.infer<typeof FileEntry>;

/** `POST /server/files/upload` (201): `print_started:false` is not an error reply but the print did not start. */
export const UploadReply = z.object({
  result: z.object({
    item: z.object({ path: z.string().max(1024), root: z.string().max(64) }),
    print_started: z.boolean().default(false),
    print_queued: z.boolean().default(false),
  }),
});

/** HTTP error bodies: `{"error": {"code", "message"}}`. */
export const HttpErrorBody = z.object({ error: z.object({ code: z.number().int().optional(), message: z.string().max(10_000) }) });

export const HistoryStatus = z.enum(['in_progress', 'completed', 'cancelled', 'error', 'klippy_shutdown', 'klippy_disconnect', 'interrupted']);

/** One job of `server.history.list`; `end_time` is null while running or after an interruption. */
export const HistoryJob = z.object({
  job_id: z.string().max(64),
  user: z.string().max(200).nullable().optional(),
  filename: z.string().max(1024),
  exists: z.boolean().optional(),
  // Statuses added by later Moonraker versions are kept as "unknown" rather than failing the list.
  status: HistoryStatus.or(z.string().max(64).transform(() => 'unknown' as const)),
  start_time: Num,
  end_time: Num.nullable(),
  print_duration: Num,
  total_duration: Num,
  filament_used: Num,
  metadata: z.object({ estimated_time: Num.optional(), slicer: z.string().max(200).optional() }).partial().nullable().optional(),
});
export type HistoryJob = z.infer<typeof HistoryJob>;

/** `count` is the number of jobs in this reply, not the total on the server. */
export const HistoryList = z.object({ count: z.number().int().nonnegative(), jobs: z.array(HistoryJob).max(10_000) });

/** Control methods answer the bare string "ok" — which means "accepted", not "state reached". */
export const OkReply = z.unknown();
