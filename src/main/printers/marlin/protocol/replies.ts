import { parseCapability, parseFirmwareInfo } from './firmware-info';
import { isTemperatureLine, parseTemperatures, type TemperatureReading } from './temperatures';

/**
 * Every line Marlin sends, typed. `ok` is the flow-control token (one per accepted line, sent once
 * the command has been processed); everything else is unsolicited and never acknowledges a line,
 * even when it carries temperatures.
 */
export type MarlinReply =
  /**
   * `ok`, `ok T:…` (M105 answers with its temperatures on the ok line) or, with ADVANCED_OK,
   * `ok N<line> P<free planner blocks> B<free command slots>` — N only for numbered lines.
   */
  | { type: 'ok'; line: number | null; plannerFree: number | null; queueFree: number | null; temperatures: TemperatureReading[] | null }
  /** `Resend: N` / `rs N`: the firmware dropped its input and wants every line from N again. */
  | { type: 'resend'; line: number }
  /** `busy: processing` (or `paused for user` …): alive, still working on a long command. */
  | { type: 'busy'; text: string }
  /** `wait`: idle with an empty queue (NO_TIMEOUTS builds). */
  | { type: 'wait' }
  | { type: 'error'; text: string; severity: ErrorSeverity }
  | { type: 'temperature'; readings: TemperatureReading[] }
  | { type: 'firmware'; info: Record<string, string> }
  | { type: 'capability'; name: string; enabled: boolean }
  /** `//action:<name> <args>`: the printer asks the host to do something (pause, cancel …). */
  | { type: 'action'; name: string; args: string }
  /** `start`: the board just (re)booted. */
  | { type: 'start' }
  | { type: 'echo'; text: string }
  | { type: 'other'; text: string };

/**
 * - `resend`: a framing error; a `Resend:` follows.
 * - `fatal`: kill() — thermal runaway, MIN/MAXTEMP, M112 …; the firmware is silent until reset.
 * - `stopped`: stop() — heaters off, moves refused until `M999`; a print cannot go on either.
 * - `command`: one command failed; the firmware keeps running and acknowledges it.
 */
export type ErrorSeverity = 'resend' | 'fatal' | 'stopped' | 'command';

const FATAL = /kill\(\) called|printer halted|thermal runaway|thermal malfunction|heating failed|maxtemp|mintemp|watchdog barked|kill caused|temperature difference between temp sensors|invalid extruder number/i;
const RESEND_RELATED = /line ?number|checksum|format error|expected line/i;

export function classifyError(text: string): ErrorSeverity {
  if (FATAL.test(text)) return 'fatal';
  if (/printer stopped due to errors/i.test(text)) return 'stopped';
  if (RESEND_RELATED.test(text)) return 'resend';
  return 'command';
}

function numberAfter(re: RegExp, text: string): number | null {
  const m = re.exec(text);
  return m ? Number(m[1]) : null;
}

export function parseReply(raw: string): MarlinReply {
  const line = raw.replace(/\s+$/, '');
  const trimmed = line.trim();
  const lower = trimmed.toLowerCase();
  if (lower.startsWith('ok')) {
    const rest = trimmed.slice(2);
    const temperatures = isTemperatureLine(rest) ? parseTemperatures(rest) : null;
    // The M105 ok carries temperatures and never N/P/B (its `B:` is the bed).
    return {
      type: 'ok',
      line: temperatures ? null : numberAfter(/(?:^|\s)N(\d+)\b/, rest),
      plannerFree: temperatures ? null : numberAfter(/(?:^|\s)P(\d+)\b/, rest),
      queueFree: temperatures ? null : numberAfter(/(?:^|\s)B(\d+)\b/, rest),
      temperatures,
    };
  }
  if (lower.startsWith('resend') || lower.startsWith('rs')) {
    const n = numberAfter(/(?:N:?)?(\d+)/i, trimmed.replace(/^(resend|rs)\b:?/i, ''));
    if (n !== null) return { type: 'resend', line: n };
  }
  if (/^(echo:\s*)?busy:/i.test(trimmed)) return { type: 'busy', text: trimmed.replace(/^(echo:\s*)?busy:\s*/i, '') };
  if (lower === 'wait') return { type: 'wait' };
  if (lower === 'start') return { type: 'start' };
  if (/^error:/i.test(trimmed)) {
    const text = trimmed.replace(/^error:\s*/i, '');
    return { type: 'error', text, severity: classifyError(text) };
  }
  if (trimmed.startsWith('!!')) return { type: 'error', text: trimmed.replace(/^!!\s*/, ''), severity: 'fatal' };
  const action = /^\/\/\s*action:(\S+)\s*(.*)$/i.exec(trimmed);
  if (action) return { type: 'action', name: action[1]!.toLowerCase(), args: action[2]!.trim() };
  const info = parseFirmwareInfo(trimmed);
  if (info) return { type: 'firmware', info };
  const cap = parseCapability(trimmed);
  if (cap) return { type: 'capability', ...cap };
  if (isTemperatureLine(line)) {
    const readings = parseTemperatures(line);
    if (readings.length > 0) return { type: 'temperature', readings };
  }
  if (/^echo:/i.test(trimmed)) return { type: 'echo', text: trimmed.replace(/^echo:\s*/i, '') };
  return { type: 'other', text: trimmed };
}

/** What a halted printer said, in words a person can act on. */
export function describeFatal(texts: readonly string[]): string {
  const all = texts.join(' ');
  const heater = /Heater_ID:\s*(\S+)/i.exec(all)?.[1];
  const where = heater === undefined ? 'a heater' : /^bed$/i.test(heater) ? 'the bed' : /^chamber$/i.test(heater) ? 'the chamber' : `hotend ${heater.replace(/^E/i, 'E')}`;
  let why: string;
  if (/thermal runaway/i.test(all)) why = `Thermal runaway on ${where}: its temperature ran away from the target (a loose thermistor or a failing heater).`;
  else if (/heating failed/i.test(all)) why = `Heating failed on ${where}: it did not reach its temperature in time.`;
  else if (/maxtemp/i.test(all)) why = `${where[0]!.toUpperCase()}${where.slice(1)} went over its maximum temperature.`;
  else if (/mintemp/i.test(all)) why = `${where[0]!.toUpperCase()}${where.slice(1)} read below its minimum temperature (thermistor unplugged or broken?).`;
  else if (/thermal malfunction/i.test(all)) why = `Thermal malfunction on ${where}.`;
  else if (/M112|emergency/i.test(all)) why = 'Emergency stop (M112).';
  else if (/kill caused by (.*)/i.test(all)) why = `Killed by ${/kill caused by (.*)/i.exec(all)![1]!.trim()}.`;
  else if (/printer stopped due to errors/i.test(all)) return 'The printer stopped because of an error and refuses moves until it is restarted (M999 or a reset). Its heaters are off.';
  else why = `The firmware reported: ${texts.at(-1) ?? 'a fatal error'}.`;
  return `${why} The printer switched its heaters off and halted; switch it off and on (or reconnect) once it is safe.`;
}
