import { z } from 'zod';
import { Ack } from './app';
import { call, event } from './define';
import { FileSource } from './printers';

/**
 * OctoPrint-specific calls (pairing, terminal, files on the server, jog/targets), `octoprint.verb`.
 * What every printer can do lives in ./printers.ts.
 */

const DeviceId = z.string().min(1).max(128);
const ConnectionId = z.string().min(1).max(64);
/** A file path on the OctoPrint server ("folder/part.gcode"). */
const ServerPath = z.string().min(1).max(1024);
const ToolName = z.string().regex(/^tool\d{1,2}$/, 'tool names look like "tool0"');
const Celsius = z.number().min(0).max(500);
const OffsetCelsius = z.number().min(-50).max(50);
/** One G-code line for the terminal; line breaks would smuggle in more commands. */
const GcodeLine = z
  .string()
  .trim()
  .min(1)
  .max(500)
  .regex(/^[^\r\n]+$/, 'one command per line');

export const PairingPhase = z.enum([
  'awaitingDecision',
  'paired',
  'denied',
  'timedOut',
  'manualKey',
  'failed',
  'cancelled',
]);
export type PairingPhase = z.infer<typeof PairingPhase>;

/** Where a pairing stands; `message` says it in words for the dialog. */
export const PairingUpdate = z.object({
  connectionId: ConnectionId,
  phase: PairingPhase,
  /** The page where the user approves (open it in the system browser); null when there is none. */
  authDialogUrl: z.string().max(4096).nullable(),
  message: z.string().max(1000).nullable(),
});
export type PairingUpdate = z.infer<typeof PairingUpdate>;

export const OctoprintFile = z.object({
  path: z.string().max(1024),
  name: z.string().max(512),
  display: z.string().max(512),
  /** "machinecode" | "model" | "folder" */
  type: z.string().max(32),
  size: z.number().nonnegative().nullable(),
  /** Unix seconds. */
  date: z.number().nullable(),
  estimatedPrintSec: z.number().nonnegative().nullable(),
  /** Being printed or analysed right now: cannot be deleted or replaced. */
  busy: z.boolean(),
});
export type OctoprintFile = z.infer<typeof OctoprintFile>;

export const OctoprintFileList = z.object({
  files: z.array(OctoprintFile).max(5000),
  freeBytes: z.number().nullable(),
  totalBytes: z.number().nullable(),
});
export type OctoprintFileList = z.infer<typeof OctoprintFileList>;

export const OctoprintDetails = z.object({
  serverVersion: z.string().max(64).nullable(),
  /** OctoPrint's connection state words: "Closed", "Operational", "Printing", … */
  connectionState: z.string().max(200),
  port: z.string().max(256).nullable(),
  baudrate: z.number().int().nullable(),
  ports: z.array(z.string().max(256)).max(64),
  baudrates: z.array(z.number().int()).max(64),
  /** Temperature offsets by sensor ("tool0", "bed"). */
  offsets: z.record(z.string().max(32), z.number()),
  operational: z.boolean(),
  printing: z.boolean(),
});
export type OctoprintDetails = z.infer<typeof OctoprintDetails>;

export const OctoprintUploadPhase = z.enum(['uploading', 'done', 'failed', 'cancelled']);

export const OctoprintUploadProgress = z.object({
  deviceId: DeviceId,
  uploadId: z.string().max(64),
  fileName: z.string().max(512),
  phase: OctoprintUploadPhase,
  sentBytes: z.number().int().nonnegative(),
  totalBytes: z.number().int().nonnegative(),
  message: z.string().max(1000).nullable(),
});
export type OctoprintUploadProgress = z.infer<typeof OctoprintUploadProgress>;

export const OctoprintLogBatch = z.object({
  deviceId: DeviceId,
  /** Increases by one per batch, so a client can tell when it missed one. */
  seq: z.number().int().nonnegative(),
  lines: z.array(z.string().max(1000)).max(500),
  /** Lines left out of this batch because too many arrived at once. */
  dropped: z.number().int().nonnegative(),
});
export type OctoprintLogBatch = z.infer<typeof OctoprintLogBatch>;

const device = <T extends z.ZodRawShape>(shape: T) => z.object({ deviceId: DeviceId, ...shape }).strict();

export const octoprintCalls = {
  /** Starts Application Keys pairing; the answer carries the approval page to open. */
  'octoprint.pairStart': call(
    z.object({ connectionId: ConnectionId, user: z.string().trim().max(120).optional() }).strict(),
    PairingUpdate,
    { timeoutMs: 30_000 },
  ),
  'octoprint.pairCancel': call(z.object({ connectionId: ConnectionId }).strict(), Ack),
  /** The fallback: a user API key pasted by hand, checked against the server, then stored as the connection's secret. */
  'octoprint.pairPasteKey': call(
    z
      .object({
        connectionId: ConnectionId,
        apiKey: z
          .string()
          .max(300)
          // A pasted key often brings spaces or a line break around it: those (ASCII only) go; anything else,
          // inside or around it, is still checked below.
          .overwrite((key) => key.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, ''))
          .min(8)
          .max(256)
          .regex(
            /^[\x21-\x7e]+$/,
            'An API key holds only visible ASCII characters (no spaces); copy it again from OctoPrint.',
          ),
      })
      .strict(),
    PairingUpdate,
    { timeoutMs: 30_000 },
  ),
  'octoprint.details': call(device({}), OctoprintDetails, { timeoutMs: 20_000 }),
  'octoprint.connect': call(
    device({
      port: z.string().min(1).max(256).optional(),
      baudrate: z.number().int().positive().max(10_000_000).optional(),
    }),
    Ack,
  ),
  'octoprint.disconnect': call(device({}), Ack),
  'octoprint.terminalSend': call(device({ lines: z.array(GcodeLine).min(1).max(50) }), Ack),
  /** The terminal lines seen so far (a bounded backlog), to fill the terminal when it opens. */
  'octoprint.terminalBacklog': call(device({}), z.object({ lines: z.array(z.string().max(1000)).max(500) })),
  'octoprint.jog': call(
    device({
      x: z.number().min(-300).max(300).optional(),
      y: z.number().min(-300).max(300).optional(),
      z: z.number().min(-300).max(300).optional(),
      speed: z.number().positive().max(30_000).optional(),
    }).refine((j) => j.x !== undefined || j.y !== undefined || j.z !== undefined, 'a jog needs an axis'),
    Ack,
  ),
  'octoprint.home': call(
    device({
      axes: z
        .array(z.enum(['x', 'y', 'z']))
        .min(1)
        .max(3),
    }),
    Ack,
  ),
  'octoprint.setTargets': call(
    device({ tools: z.record(ToolName, Celsius).optional(), bed: Celsius.optional() }).refine(
      (t) => t.bed !== undefined || Object.keys(t.tools ?? {}).length > 0,
      'nothing to set',
    ),
    Ack,
  ),
  'octoprint.setOffsets': call(
    device({ tools: z.record(ToolName, OffsetCelsius).optional(), bed: OffsetCelsius.optional() }).refine(
      (t) => t.bed !== undefined || Object.keys(t.tools ?? {}).length > 0,
      'nothing to set',
    ),
    Ack,
  ),
  'octoprint.files': call(device({}), OctoprintFileList, { timeoutMs: 20_000 }),
  /** Uploads to the server's file list; progress and the outcome arrive as `octoprint.upload` events. */
  'octoprint.upload': call(
    device({
      file: FileSource,
      name: z.string().min(1).max(255).optional(),
      select: z.boolean().optional(),
      print: z.boolean().optional(),
    }),
    z.object({ uploadId: z.string() }),
  ),
  'octoprint.cancelUpload': call(device({}), Ack),
  'octoprint.fileSelect': call(device({ path: ServerPath, print: z.boolean() }), Ack),
  'octoprint.fileDelete': call(device({ path: ServerPath }), Ack),
};

export const octoprintEvents = {
  'octoprint.pairing': event(PairingUpdate, { coalesceKey: (p) => p.connectionId }),
  /**
   * Terminal lines, batched per device at most every 250 ms (so coalescing never drops a batch);
   * only to clients watching the device (the terminal reads `octoprint.terminalBacklog` on opening).
   */
  'octoprint.logs': event(OctoprintLogBatch, { coalesceKey: (b) => b.deviceId, deviceOf: (b) => b.deviceId }),
  'octoprint.upload': event(OctoprintUploadProgress, { coalesceKey: (p) => p.deviceId }),
  /** The server's file list changed (FileAdded, FileRemoved, UpdatedFiles): reload it. */
  'octoprint.filesChanged': event(z.object({ deviceId: DeviceId }), { coalesceKey: (p) => p.deviceId }),
};
