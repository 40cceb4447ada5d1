import type {
  DeviceProblem,
  DeviceStatus,
  JobProgress,
  PrinterState,
  Temperature,
} from '../../../../shared/domain/device';
import type {
  JobInfo,
  PrinterStateInfo,
  ProgressInfo,
  StateFlags,
  TemperatureDataPoint,
} from './schemas/common';
import { latestReadings } from './temperature-points';

export type DeviceFields = Pick<
  DeviceStatus,
  'state' | 'stateText' | 'job' | 'temperatures' | 'problem'
>;

/** The parts of a `current`/`history` payload (or of REST replies) the mapping reads. */
export interface OctoPrintSnapshot {
  state: PrinterStateInfo;
  job?: JobInfo | undefined;
  progress?: ProgressInfo | undefined;
  temps?: readonly TemperatureDataPoint[] | undefined;
}

/**
 * OctoPrint's state words (1.11.8 `getStateString`) -> the shared state. The text is the
 * primary source: after a firmware error the flags say `error: false` while the text says
 * "Offline after error" [verified].
 */
const STATE_BY_TEXT: ReadonlyMap<string, PrinterState> = new Map<string, PrinterState>([
  ['offline', 'offline'],
  ['closed', 'offline'], // `/api/connection` says "Closed" where the socket says "Offline"
  ['offline after error', 'error'],
  ['closed with error', 'error'],
  ['error', 'error'],
  // Connecting to the firmware: the printer is being checked, not yet usable.
  ['opening serial connection', 'checking'],
  ['detecting serial connection', 'checking'],
  ['detecting baudrate', 'checking'],
  ['connecting', 'checking'],
  ['operational', 'idle'],
  // "Starting" is part of a print (flags.printing is already true).
  ['starting', 'printing'],
  ['starting print from sd', 'printing'],
  ['printing', 'printing'],
  ['printing from sd', 'printing'],
  ['pausing', 'pausing'],
  ['paused', 'paused'],
  ['resuming', 'resuming'],
  ['cancelling', 'cancelling'],
  ['finishing', 'finishing'],
  // Streaming a file to the printer's SD card keeps the printer busy but is not a print.
  ['transferring file to sd', 'busy'],
  ['sending file to sd', 'busy'],
  ['starting to send file to sd', 'busy'],
]);

/** For state words this table does not know (plugins, future versions): read the flags. */
function stateFromFlags(flags: StateFlags): PrinterState {
  if (flags.closedOrError) return flags.error ? 'error' : 'offline';
  if (flags.error) return 'error';
  if (flags.cancelling) return 'cancelling';
  if (flags.pausing) return 'pausing';
  if (flags.resuming) return 'resuming';
  if (flags.finishing) return 'finishing';
  if (flags.paused) return 'paused';
  if (flags.printing) return 'printing';
  if (flags.operational) return flags.ready ? 'idle' : 'busy';
  return 'unknown';
}

export function toPrinterState(state: PrinterStateInfo): PrinterState {
  const text = state.text.trim().toLowerCase();
  const known = STATE_BY_TEXT.get(text);
  if (known !== undefined) return known;
  // Older servers appended the message: "Error: <text>", "Offline (Error: <text>)".
  if (text.startsWith('error')) return 'error';
  if (text.startsWith('offline') && text.includes('error')) return 'error';
  return stateFromFlags(state.flags);
}

const nonNegativeOrNull = (value: number | null | undefined): number | null =>
  value === null || value === undefined || !Number.isFinite(value) || value < 0 ? null : value;

function toJob(job: JobInfo | undefined, progress: ProgressInfo | undefined): JobProgress | null {
  const name = job?.file.display ?? job?.file.name ?? null;
  // No selected file means no job; OctoPrint then sends every job field as null [verified].
  if (name === null || name === '') return null;
  const completion = progress?.completion;
  const fraction =
    completion === null || completion === undefined || !Number.isFinite(completion)
      ? null
      : Math.min(1, Math.max(0, completion / 100));
  return {
    name: name.slice(0, 512),
    progress: fraction,
    elapsedSec: nonNegativeOrNull(progress?.printTime),
    // Early in a print `printTimeLeft` is null [verified]: unknown, not zero.
    remainingSec: nonNegativeOrNull(progress?.printTimeLeft),
    taskId: null,
  };
}

function toProblem(state: PrinterStateInfo, mapped: PrinterState): DeviceProblem | null {
  if (mapped !== 'error') return null;
  const text = state.error?.trim() ?? '';
  const offline = state.text.trim().toLowerCase().startsWith('offline');
  return {
    code: offline ? 'octoprint.offlineAfterError' : 'octoprint.error',
    message: (text === '' ? state.text : text).slice(0, 1000),
  };
}

/**
 * Shared device fields from one OctoPrint snapshot. `current.temps` is often empty (points
 * arrive about every 2 s), so the last known temperatures are kept when it brings none,
 * unless the printer is offline.
 */
export function toDeviceFields(
  snapshot: OctoPrintSnapshot,
  lastKnownTemperatures: readonly Temperature[] = [],
): DeviceFields {
  const state = toPrinterState(snapshot.state);
  const fresh = latestReadings(snapshot.temps ?? []);
  // Without a link the old readings are stale; show none rather than frozen numbers.
  const linked = state !== 'offline' && state !== 'error';
  return {
    state,
    stateText: snapshot.state.text.slice(0, 200),
    job: toJob(snapshot.job, snapshot.progress),
    temperatures: fresh.length > 0 ? fresh : linked ? [...lastKnownTemperatures] : [],
    problem: toProblem(snapshot.state, state),
  };
}
