import { z } from 'zod';
import { DeviceStatus } from '../domain/device';
import { DeviceStatusDelta, mergeDeltas } from '../domain/device-delta';
import { Ack, Empty } from './app';
import { base64Field } from './base64';
import { call, event } from './define';

const DeviceId = z.string().min(1).max(128);

/** A file or folder the user dropped or picked in the desktop app; the preload registered its path with main. */
export const PickedFile = z.object({ kind: z.literal('picked'), token: z.string().uuid() });
export type PickedFile = z.infer<typeof PickedFile>;

/**
 * Where a file comes from: one the user dropped or picked (desktop app), a file staged over the API
 * (browser), or a host path, which only in-process callers (the CLI, tests) may name.
 */
export const FileSource = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('path'), path: z.string().min(1).max(4096) }),
  PickedFile,
  z.object({
    kind: z.literal('staged'),
    stagedId: z.string().uuid(),
    /** The file's own time as the browser knows it (File.lastModified, ms): when a photo was taken, since the staged copy is new. */
    modifiedAt: z.number().int().nonnegative().max(8.64e15).optional(),
  }),
]);
export type FileSource = z.infer<typeof FileSource>;

export const MaintenanceAction = z.discriminatedUnion('type', [
  z.object({ type: z.literal('home') }),
  z.object({ type: z.literal('jog'), axis: z.enum(['x', 'y', 'z']), mm: z.number().min(-300).max(300) }),
  z.object({ type: z.literal('loadFilament') }),
  z.object({ type: z.literal('unloadFilament') }),
  z.object({ type: z.literal('calibrate') }),
]);
export type MaintenanceAction = z.infer<typeof MaintenanceAction>;

export const TransferPhase = z.enum(['preparing', 'converting', 'uploading', 'starting', 'done', 'failed', 'cancelled']);
export type TransferPhase = z.infer<typeof TransferPhase>;

/** Progress of sending a file to a printer; coalesced per device, so it is cheap at any rate. */
export const TransferProgress = z.object({
  deviceId: DeviceId,
  transferId: z.string().max(64),
  fileName: z.string().max(512),
  phase: TransferPhase,
  sentBytes: z.number().int().nonnegative(),
  totalBytes: z.number().int().nonnegative(),
  message: z.string().max(1000).nullable(),
});
export type TransferProgress = z.infer<typeof TransferProgress>;

export const TemperatureSample = z.object({
  t: z.number().int(),
  sensor: z.string().max(32),
  actual: z.number().finite().nullable(),
  target: z.number().finite().nullable(),
});
export type TemperatureSample = z.infer<typeof TemperatureSample>;

export const Snapshot = z.object({
  mime: z.enum(['image/jpeg', 'image/png']),
  /** The image, base64; bounded by the camera sources (a few MB at most). */
  dataBase64: z.string().max(12 * 1024 * 1024),
  at: z.number().int(),
});
export type Snapshot = z.infer<typeof Snapshot>;

/** A printer found on this machine's ports that the user may add with one click. */
export const DiscoveredPrinter = z.object({
  id: z.string().max(200),
  /** `xyz` (da Vinci) or `marlin` (a common USB-serial printer board); also the connection kind to add it as. */
  family: z.enum(['xyz', 'marlin']),
  /** What to show, e.g. "da Vinci nano (3FNAXP…)" or "Marlin printer". */
  label: z.string().max(200),
  /** The address to add it with, e.g. `usb://3FNAXPUS5TH7CM0041` or `serial:///dev/ttyACM0`. */
  address: z.string().max(2048),
  portPath: z.string().max(1024),
  serialNumber: z.string().max(128).nullable(),
  model: z.string().max(64).nullable(),
  /** True when a connection for it exists already. */
  added: z.boolean(),
});
export type DiscoveredPrinter = z.infer<typeof DiscoveredPrinter>;

/**
 * Whether a file suits a printer, in words, for the confirmation before a print: `match` (sliced
 * for this model), `mismatch` (sliced for another one: warn), `unknown` (the file or the printer
 * does not say). `slicedFor` is the printer the file names, as its slicer wrote it.
 */
export const FileCheck = z.object({
  verdict: z.enum(['match', 'mismatch', 'unknown']),
  slicedFor: z.string().max(200).nullable(),
  slicer: z.string().max(64).nullable(),
  message: z.string().max(1000),
});
export type FileCheck = z.infer<typeof FileCheck>;

/** Files a browser sends for printing travel in chunks small enough for one WebSocket frame each. */
export const STAGE_CHUNK_BYTES = 512 * 1024;
export const MAX_STAGED_FILE_BYTES = 1024 * 1024 * 1024;

/** A room, group or tag the user gives printers ("Room 2", "PETG", "Night shift"). */
export const DeviceTag = z.string().trim().min(1).max(40);
export const DeviceTagList = z.array(z.object({ deviceId: DeviceId, tags: z.array(DeviceTag).max(16) })).max(10_000);
export type DeviceTagList = z.infer<typeof DeviceTagList>;

/** How often a client hears about devices it does not watch (see `devices.watch`). */
export const UNWATCHED_SUMMARY_MS = 5_000;

export const DevicesWatchRequest = z
  .object({
    /** The devices this client shows now; null (the default) watches every device at full rate. */
    deviceIds: z.array(DeviceId).max(5_000).nullable(),
  })
  .strict();

export const printerCalls = {
  'devices.list': call(Empty, z.array(DeviceStatus)),
  /**
   * Which devices this client shows: their deltas come every tick, the others' are merged and
   * sent every `summaryMs`. Lasts until the next call or the end of the connection.
   */
  'devices.watch': call(DevicesWatchRequest, z.object({ watching: z.number().int().nullable(), summaryMs: z.number().int() })),
  /** Every printer's rooms, groups and tags (printers without any are left out). */
  'devices.tags': call(Empty, z.object({ tags: DeviceTagList })),
  /** Adds and removes tags on several printers at once; a printer keeps at most 16. */
  'devices.tag': call(
    z
      .object({
        deviceIds: z.array(DeviceId).min(1).max(5_000),
        add: z.array(DeviceTag).max(16).default([]),
        remove: z.array(DeviceTag).max(16).default([]),
      })
      .strict(),
    z.object({ tags: DeviceTagList }),
  ),
  'printers.print': call(
    z.object({ deviceId: DeviceId, file: FileSource, name: z.string().min(1).max(255).optional() }).strict(),
    z.object({ transferId: z.string() }),
  ),
  /** Reads which printer the file was sliced for and compares it with the device; sends nothing. A staged file stays staged. */
  'printers.checkFile': call(
    z.object({ deviceId: DeviceId, file: FileSource, name: z.string().min(1).max(255).optional() }).strict(),
    FileCheck,
    { timeoutMs: 30_000 },
  ),
  'printers.cancelTransfer': call(z.object({ deviceId: DeviceId }).strict(), Ack),
  'printers.pause': call(z.object({ deviceId: DeviceId }).strict(), Ack, { timeoutMs: 30_000 }),
  'printers.resume': call(z.object({ deviceId: DeviceId }).strict(), Ack, { timeoutMs: 30_000 }),
  'printers.cancel': call(z.object({ deviceId: DeviceId }).strict(), Ack, { timeoutMs: 30_000 }),
  'printers.maintenance': call(z.object({ deviceId: DeviceId, action: MaintenanceAction }).strict(), Ack, { timeoutMs: 360_000 }),
  'printers.snapshot': call(z.object({ deviceId: DeviceId }).strict(), Snapshot, { timeoutMs: 20_000 }),
  'printers.temperatureHistory': call(z.object({ deviceId: DeviceId }).strict(), z.object({ samples: z.array(TemperatureSample) })),
  'printers.transfers': call(Empty, z.array(TransferProgress)),
  'discovery.list': call(Empty, z.array(DiscoveredPrinter)),
  'files.stageBegin': call(
    z.object({ name: z.string().min(1).max(255), size: z.number().int().min(1).max(MAX_STAGED_FILE_BYTES) }).strict(),
    z.object({ stagedId: z.string(), chunkBytes: z.number().int() }),
  ),
  'files.stageChunk': call(
    z
      .object({
        stagedId: z.string().uuid(),
        offset: z.number().int().nonnegative(),
        dataBase64: base64Field(Math.ceil(STAGE_CHUNK_BYTES / 3) * 4 + 4),
      })
      .strict(),
    z.object({ received: z.number().int() }),
  ),
  'files.stageFinish': call(
    z.object({ stagedId: z.string().uuid() }).strict(),
    z.object({ stagedId: z.string(), size: z.number().int(), sha256: z.string() }),
  ),
  /** Gives up a staged file no call has used yet, freeing its slot at once. */
  'files.stageCancel': call(z.object({ stagedId: z.string().uuid() }).strict(), Ack),
};

export const printerEvents = {
  /** What changed in a device's status (its first delta carries every field); merged per device each tick. */
  'devices.delta': event(DeviceStatusDelta, { coalesceKey: (d) => d.deviceId, merge: mergeDeltas }),
  'devices.removed': event(z.object({ deviceId: DeviceId })),
  'devices.tagsChanged': event(z.object({ tags: DeviceTagList })),
  'printers.transfer': event(TransferProgress, { coalesceKey: (p) => p.deviceId }),
  'discovery.changed': event(z.object({ printers: z.array(DiscoveredPrinter).max(256) })),
};
