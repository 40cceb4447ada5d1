import { z } from 'zod';
import { PrinterStateInfo, TemperatureDataPoint, TemperatureReading } from './common';

/**
 * Temperatures as `/api/printer` (`temperature` part), `/api/printer/tool`, `/bed` and
 * `/chamber` return them: one key per sensor plus an optional `history` list.
 */
export const TemperatureState = z
  .object({ history: z.array(TemperatureDataPoint).optional() })
  .catchall(TemperatureReading);
export type TemperatureState = z.infer<typeof TemperatureState>;

/**
 * `GET /api/printer`. Any part can be left out with `?exclude=`. 409 "Printer is not
 * operational" while disconnected [verified] — see `errors.ts`.
 */
export const PrinterResponse = z.object({
  state: PrinterStateInfo.optional(),
  temperature: TemperatureState.optional(),
  sd: z.object({ ready: z.boolean() }).optional(),
});
export type PrinterResponse = z.infer<typeof PrinterResponse>;

/** `GET /api/printer/sd`. */
export const SdStateResponse = z.object({ ready: z.boolean() });

const ToolName = z.string().regex(/^tool\d+$/, 'tool names look like "tool0"');

/** A sanity bound against typos, not a printer limit: the firmware enforces its own maximum. */
const TargetCelsius = z.number().min(0).max(500);
const OffsetCelsius = z.number().min(-100).max(100);

/** Accepts both spellings OctoPrint allows: a percentage or a factor. */
const percentOrFactor = (minPercent: number, maxPercent: number) =>
  z
    .number()
    .refine(
      (value) =>
        (value >= minPercent && value <= maxPercent) ||
        (value >= minPercent / 100 && value <= maxPercent / 100),
      `expected ${minPercent}–${maxPercent} % or ${minPercent / 100}–${maxPercent / 100}`,
    );

/** `POST /api/printer/tool` -> 204. Select/extrude are also 409 while printing. */
export const ToolCommand = z.discriminatedUnion('command', [
  z.object({
    command: z.literal('target'),
    targets: z.record(ToolName, TargetCelsius).refine((t) => Object.keys(t).length > 0, 'no tool'),
  }),
  z.object({
    command: z.literal('offset'),
    offsets: z.record(ToolName, OffsetCelsius).refine((o) => Object.keys(o).length > 0, 'no tool'),
  }),
  z.object({ command: z.literal('select'), tool: ToolName }),
  z.object({
    command: z.literal('extrude'),
    amount: z.number(),
    speed: z.number().positive().optional(),
  }),
  z.object({ command: z.literal('flowrate'), factor: percentOrFactor(75, 125) }),
]);
export type ToolCommand = z.infer<typeof ToolCommand>;

/** `POST /api/printer/bed` (and `/chamber`) -> 204; 409 too when the profile has no such heater. */
export const HeaterCommand = z.discriminatedUnion('command', [
  z.object({ command: z.literal('target'), target: TargetCelsius }),
  z.object({ command: z.literal('offset'), offset: OffsetCelsius }),
]);
export type HeaterCommand = z.infer<typeof HeaterCommand>;

/** `POST /api/printer/printhead` -> 204; jog and home are 409 while printing. */
export const PrintheadCommand = z.discriminatedUnion('command', [
  z
    .object({
      command: z.literal('jog'),
      x: z.number().optional(),
      y: z.number().optional(),
      z: z.number().optional(),
      absolute: z.boolean().optional(),
      /** mm/min */
      speed: z.number().positive().optional(),
    })
    .refine((jog) => jog.x !== undefined || jog.y !== undefined || jog.z !== undefined, {
      message: 'a jog needs at least one axis',
    }),
  z.object({
    command: z.literal('home'),
    axes: z.array(z.enum(['x', 'y', 'z'])).min(1),
  }),
  z.object({ command: z.literal('feedrate'), factor: percentOrFactor(50, 200) }),
]);
export type PrintheadCommand = z.infer<typeof PrintheadCommand>;

/**
 * One G-code line. Line breaks are refused so one entry can never smuggle in several
 * commands; send a list instead.
 */
const GcodeLine = z
  .string()
  .min(1)
  .max(1000)
  .regex(/^[^\r\n]+$/, 'one line per command');

/** `POST /api/printer/command` -> 204; works while printing (use with care). */
export const GcodeCommandBody = z.union([
  z.object({ command: GcodeLine }),
  z.object({ commands: z.array(GcodeLine).min(1) }),
]);
export type GcodeCommandBody = z.infer<typeof GcodeCommandBody>;

/** `POST /api/printer/sd`. */
export const SdCommand = z.object({ command: z.enum(['init', 'refresh', 'release']) });
