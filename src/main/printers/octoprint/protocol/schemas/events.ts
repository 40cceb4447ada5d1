import { z } from 'zod';
import { NullableNumber } from './common';

/**
 * Payloads of the events a control center reacts to. Any other event name is still delivered
 * (as untyped) by `readEvent`; plugins add their own names and clients must ignore them.
 */

const FileOfJob = z.object({
  name: z.string(),
  path: z.string(),
  origin: z.string(),
  size: NullableNumber.optional(),
  owner: z.string().nullish(),
  user: z.string().nullish(),
});

const Position = z.object({
  x: NullableNumber.optional(),
  y: NullableNumber.optional(),
  z: NullableNumber.optional(),
  e: NullableNumber.optional(),
  t: NullableNumber.optional(),
  f: NullableNumber.optional(),
});

const StoppedJob = FileOfJob.extend({
  position: Position.optional(),
  fileposition: NullableNumber.optional(),
  progress: NullableNumber.optional(),
  time: NullableNumber.optional(),
});

/** Event name -> payload schema. Events with a null payload use `z.null()`. */
export const KnownEventPayloads = {
  PrinterStateChanged: z.object({ state_id: z.string(), state_string: z.string().optional() }),
  Connecting: z.null(),
  Connected: z.object({ port: z.string().nullable(), baudrate: NullableNumber }),
  Disconnecting: z.null(),
  Disconnected: z.null(),
  FirmwareData: z.object({
    name: z.string().nullable(),
    data: z.record(z.string(), z.unknown()).nullish(),
  }),
  Error: z.object({
    error: z.string(),
    /** "firmware" | "resend" | "resend_loop" | "timeout" | "connection" | "start_print" | "autodetect" */
    reason: z.string().optional(),
    /** "emergency" | "disconnect" | "cancel" | absent */
    consequence: z.string().nullish(),
    /** e.g. "firmware-maxtemp" */
    faq: z.string().nullish(),
    logs: z.array(z.string()).optional(),
  }),
  PrintStarted: FileOfJob,
  PrintDone: FileOfJob.extend({ time: NullableNumber.optional() }),
  PrintFailed: StoppedJob.extend({ reason: z.string().optional() }),
  PrintCancelling: FileOfJob.extend({ firmwareError: z.string().nullish() }),
  PrintCancelled: StoppedJob,
  PrintPaused: StoppedJob,
  PrintResumed: FileOfJob,
  FileSelected: FileOfJob,
  FileDeselected: z.null(),
  UpdatedFiles: z.object({ type: z.string() }),
  FileAdded: z.object({
    storage: z.string(),
    path: z.string(),
    name: z.string(),
    type: z.array(z.string()).optional(),
    operation: z.string().optional(),
  }),
  FileRemoved: z.object({
    storage: z.string(),
    path: z.string(),
    name: z.string(),
    type: z.array(z.string()).optional(),
    operation: z.string().optional(),
  }),
  Upload: z.object({
    name: z.string(),
    path: z.string(),
    target: z.string(),
    select: z.boolean().optional(),
    print: z.boolean().optional(),
    effective_select: z.boolean().optional(),
    effective_print: z.boolean().optional(),
  }),
  ZChange: z.object({ new: NullableNumber, old: NullableNumber }),
  /** Docs list `time`; the captured 1.11.8 payload has only `type` and `label`. */
  ChartMarked: z.object({
    type: z.string(),
    label: z.string().nullish(),
    time: z.number().optional(),
  }),
} as const;

export type KnownEventName = keyof typeof KnownEventPayloads;
