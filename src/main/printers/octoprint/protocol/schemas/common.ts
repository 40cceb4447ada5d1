import { z } from 'zod';

/**
 * Building blocks shared by the REST and push models. Objects use zod's default (strip) mode:
 * unknown fields the server adds are accepted and dropped, as OctoPrint tells clients to do.
 */

/** OctoPrint sends `null` for "not known" numbers (no file, no print, no heater). */
export const NullableNumber = z.number().nullable();

/** One heater reading. `offset` only appears in `/api/printer*`, not in the socket's `temps`. */
export const TemperatureReading = z.object({
  actual: NullableNumber,
  target: NullableNumber,
  offset: NullableNumber.optional(),
});
export type TemperatureReading = z.infer<typeof TemperatureReading>;

/**
 * One data point of a temperature series: `time` plus one key per sensor (`tool0`, `bed`,
 * `chamber`, ...). Every sensor key is optional and a point may hold only `time` [verified].
 * The sensor values stay `unknown` here so one odd key cannot reject the whole point;
 * `readingsOfPoint` picks the well-formed ones. `time` is optional because the REST
 * `/api/printer/bed` history was captured without it.
 */
export const TemperatureDataPoint = z.object({ time: z.number().optional() }).catchall(z.unknown());
export type TemperatureDataPoint = z.infer<typeof TemperatureDataPoint>;

/**
 * The state flags. The connector relies on the five core flags, so they are required; the
 * others default to false so a server that omits one still yields a usable state.
 */
export const StateFlags = z.object({
  operational: z.boolean(),
  printing: z.boolean(),
  paused: z.boolean(),
  closedOrError: z.boolean(),
  error: z.boolean(),
  cancelling: z.boolean().default(false),
  pausing: z.boolean().default(false),
  resuming: z.boolean().default(false),
  finishing: z.boolean().default(false),
  ready: z.boolean().default(false),
  sdReady: z.boolean().default(false),
});
export type StateFlags = z.infer<typeof StateFlags>;

/** `state` of `/api/printer` and of the socket's `current`/`history`. */
export const PrinterStateInfo = z.object({
  text: z.string(),
  flags: StateFlags,
  /** Error text; "" when there is none. After a firmware error it holds the message. */
  error: z.string().nullish(),
});
export type PrinterStateInfo = z.infer<typeof PrinterStateInfo>;

/** Amount of filament for one tool. */
export const FilamentAmount = z.object({
  length: NullableNumber.optional(),
  volume: NullableNumber.optional(),
});

/**
 * Docs: `{"tool0": {length, volume}} | null`. Reality with no file selected [captured]:
 * a flat `{"length": null, "volume": null}`. Both shapes are accepted.
 */
export const JobFilament = z
  .union([
    z.object({ length: z.null(), volume: z.null() }),
    z.record(z.string(), FilamentAmount.nullable()),
  ])
  .nullable();
export type JobFilament = z.infer<typeof JobFilament>;

/** The selected file of a job. All fields are null when no file is selected [verified]. */
export const JobFile = z.object({
  name: z.string().nullable(),
  path: z.string().nullish(),
  display: z.string().nullish(),
  /** "local" | "sdcard" in 1.x (2.0 with a version header would say "printer"). */
  origin: z.string().nullish(),
  size: NullableNumber.optional(),
  date: NullableNumber.optional(),
});
export type JobFile = z.infer<typeof JobFile>;

export const JobInfo = z.object({
  file: JobFile,
  estimatedPrintTime: NullableNumber.optional(),
  averagePrintTime: NullableNumber.optional(),
  lastPrintTime: NullableNumber.optional(),
  filament: JobFilament.optional().catch(null),
  user: z.string().nullish(),
});
export type JobInfo = z.infer<typeof JobInfo>;

export const ProgressInfo = z.object({
  /** Percent 0..100, not a fraction. */
  completion: NullableNumber,
  filepos: NullableNumber.optional(),
  printTime: NullableNumber.optional(),
  printTimeLeft: NullableNumber.optional(),
  /** "linear" | "analysis" | "estimate" | "average" | "mixed-analysis" | "mixed-average" | null */
  printTimeLeftOrigin: z.string().nullish(),
});
export type ProgressInfo = z.infer<typeof ProgressInfo>;

/** `{"error": "..."}` — the body of every 4xx the API produces itself. */
export const ErrorBody = z.object({ error: z.string() });
