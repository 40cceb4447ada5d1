import { z } from 'zod';

/** Printer families Printdeck drives. Every family implements the same driver interface in main. */
export const PrinterFamily = z.enum(['xyz', 'octoprint', 'moonraker', 'marlin', 'cloud']);
export type PrinterFamily = z.infer<typeof PrinterFamily>;

/** How the app is linked to the device right now (independent of what the printer is doing). */
export const LinkState = z.enum(['connecting', 'online', 'offline', 'error']);
export type LinkState = z.infer<typeof LinkState>;

/**
 * What the printer is doing, normalised across families. Each driver maps its own state
 * codes onto these; `stateText` keeps the family's own words for the UI.
 */
export const PrinterState = z.enum([
  'unknown',
  'idle',
  'busy',
  'checking',
  'heating',
  'printing',
  'pausing',
  'paused',
  'resuming',
  'cancelling',
  'finishing',
  'done',
  'error',
  'offline',
]);
export type PrinterState = z.infer<typeof PrinterState>;

export const Temperature = z.object({
  /** Sensor id as the family names it: `tool0`, `bed`, `nozzle`, `chamber`. */
  sensor: z.string().min(1).max(32),
  actual: z.number().finite().nullable(),
  target: z.number().finite().nullable(),
});
export type Temperature = z.infer<typeof Temperature>;

export const JobProgress = z.object({
  name: z.string().max(512).nullable(),
  /** 0..1, or null when the printer does not know. */
  progress: z.number().min(0).max(1).nullable(),
  elapsedSec: z.number().nonnegative().nullable(),
  remainingSec: z.number().nonnegative().nullable(),
  taskId: z.string().max(128).nullable(),
});
export type JobProgress = z.infer<typeof JobProgress>;

export const DeviceProblem = z.object({
  code: z.string().max(64),
  message: z.string().max(1000),
});
export type DeviceProblem = z.infer<typeof DeviceProblem>;

export const DeviceCapabilities = z.object({
  print: z.boolean(),
  pause: z.boolean(),
  cancel: z.boolean(),
  jog: z.boolean(),
  home: z.boolean(),
  loadFilament: z.boolean(),
  unloadFilament: z.boolean(),
  calibrate: z.boolean(),
  camera: z.boolean(),
  files: z.boolean(),
  terminal: z.boolean(),
});
export type DeviceCapabilities = z.infer<typeof DeviceCapabilities>;

export const NO_CAPABILITIES: DeviceCapabilities = {
  print: false,
  pause: false,
  cancel: false,
  jog: false,
  home: false,
  loadFilament: false,
  unloadFilament: false,
  calibrate: false,
  camera: false,
  files: false,
  terminal: false,
};

export const Filament = z.object({
  remainingMm: z.number().nonnegative().nullable(),
  totalMm: z.number().nonnegative().nullable(),
  material: z.string().max(64).nullable(),
});
export type Filament = z.infer<typeof Filament>;

/** A full snapshot of one device; events carry whole snapshots so coalescing can keep the latest. */
export const DeviceStatus = z.object({
  deviceId: z.string().min(1).max(128),
  connectionId: z.string().min(1).max(64),
  family: PrinterFamily,
  name: z.string().max(200),
  model: z.string().max(200).nullable(),
  serial: z.string().max(128).nullable(),
  firmware: z.string().max(128).nullable(),
  link: LinkState,
  state: PrinterState,
  stateText: z.string().max(200),
  job: JobProgress.nullable(),
  temperatures: z.array(Temperature).max(16),
  filament: Filament.nullable(),
  problem: DeviceProblem.nullable(),
  capabilities: DeviceCapabilities,
  /**
   * Set for a printer another Printdeck host shares over MQTT (a `site` connection): the site's
   * name, so the fleet can mark it. Absent for printers this host drives itself.
   */
  site: z.string().max(48).optional(),
  /** Milliseconds since the epoch, stamped by main when the snapshot was made. */
  updatedAt: z.number().int().nonnegative(),
  /**
   * When this snapshot repeats what was last heard (ms since the epoch) because its source cannot be read
   * now — the cloud does not answer, or a printer went out of reach while it was working on a job — the
   * state and `job` are stale, not live news. Absent or null for a live snapshot.
   */
  lastSeenAt: z.number().int().nonnegative().nullable().optional(),
});
export type DeviceStatus = z.infer<typeof DeviceStatus>;
