import type { DeviceProblem, DeviceStatus, JobProgress, PrinterState, Temperature } from '../../../../shared/domain/device';
import type { KlippyState, PrinterObjects } from './schemas';

export type DeviceFields = Pick<DeviceStatus, 'state' | 'stateText' | 'job' | 'temperatures' | 'problem'>;

/** What the driver knows of Klipper: its lifecycle state (Moonraker's view), the state message and the objects. */
export interface KlipperView {
  klippy: KlippyState;
  /** `printer.info.state_message` for error/shutdown (multi-line, with Klipper's own hint). */
  klippyMessage: string;
  objects: PrinterObjects;
}

/** Temperatures within this of the target count as reached (Klipper's own M109 tolerance is similar). */
const HEATING_TOLERANCE_C = 2;

function firstLines(text: string, max = 3): string {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0)
    .slice(0, max)
    .join(' ')
    .slice(0, 900);
}

function temperatures(objects: PrinterObjects): Temperature[] {
  const out: Temperature[] = [];
  const add = (sensor: string, h: PrinterObjects['extruder']): void => {
    if (h === undefined) return;
    out.push({ sensor, actual: h.temperature ?? null, target: h.target ?? null });
  };
  add('tool0', objects.extruder);
  add('bed', objects.heater_bed);
  return out;
}

/** Heating before the first extrusion: Klipper's `print_duration` only starts counting then. */
function isHeating(objects: PrinterObjects): boolean {
  if ((objects.print_stats?.print_duration ?? 0) > 0) return false;
  return [objects.extruder, objects.heater_bed].some(
    (h) => h?.target !== undefined && h.target > 0 && h.temperature !== undefined && h.temperature < h.target - HEATING_TOLERANCE_C,
  );
}

function job(objects: PrinterObjects, jobState: string): JobProgress | null {
  const stats = objects.print_stats;
  const name = stats?.filename ?? '';
  if (name === '' || !['printing', 'paused', 'complete', 'cancelled', 'error'].includes(jobState)) return null;
  // display_status.progress is the slicer's M73 value where there is one and falls back to
  // virtual_sdcard.progress (file position / file size) otherwise.
  const raw = jobState === 'complete' ? 1 : (objects.display_status?.progress ?? objects.virtual_sdcard?.progress ?? null);
  const progress = raw === null ? null : Math.min(1, Math.max(0, raw));
  // print_duration excludes pauses and warm-up, so it is the clock to extrapolate from.
  const printing = stats?.print_duration ?? 0;
  const remaining = progress !== null && progress > 0 && progress < 1 && printing > 0 ? printing / progress - printing : progress === 1 ? 0 : null;
  return {
    name: name.slice(0, 512),
    progress,
    elapsedSec: stats?.total_duration !== undefined ? Math.max(0, stats.total_duration) : null,
    remainingSec: remaining === null ? null : Math.max(0, remaining),
    taskId: null,
  };
}

const JOB_STATES: Record<string, { state: PrinterState; text: string }> = {
  printing: { state: 'printing', text: 'Printing' },
  paused: { state: 'paused', text: 'Paused' },
  complete: { state: 'done', text: 'Print complete' },
  // A cancelled job stays in print_stats until the next one; the printer itself is free.
  cancelled: { state: 'idle', text: 'Ready (last print cancelled)' },
  error: { state: 'error', text: 'Print failed' },
  standby: { state: 'idle', text: 'Ready' },
};

/**
 * Klipper's lifecycle and objects -> the shared status fields. Klippy's state comes first: when
 * it is not `ready` the objects are stale (Moonraker dropped the subscription) and only the
 * state message means anything. When ready, `print_stats.state` says what the printer does;
 * `idle_timeout.state == "Printing"` only means "busy executing G-code" (homing, heating by
 * hand), never a print job.
 */
export function toDeviceFields(view: KlipperView): DeviceFields {
  const message = firstLines(view.klippyMessage);
  switch (view.klippy) {
    case 'disconnected':
      return {
        state: 'offline',
        stateText: 'Klipper is not running',
        job: null,
        temperatures: [],
        problem: { code: 'moonraker.klippyDisconnected', message: 'Moonraker is up but not connected to Klipper (Klipper is restarting, stopped or crashed). Waiting for it.' },
      };
    case 'startup':
      return { state: 'checking', stateText: 'Klipper is starting', job: null, temperatures: [], problem: null };
    case 'error':
      return {
        state: 'error',
        stateText: 'Klipper error',
        job: null,
        temperatures: [],
        problem: { code: 'moonraker.klippyError', message: `Klipper could not start: ${message || 'no reason given'}` },
      };
    case 'shutdown':
      return {
        state: 'error',
        stateText: 'Klipper shut down',
        job: null,
        temperatures: temperatures(view.objects),
        problem: {
          code: 'moonraker.klippyShutdown',
          message: `Klipper stopped the printer: ${message || 'shutdown'}. Fix the cause, then restart the firmware (FIRMWARE_RESTART).`.slice(0, 1000),
        },
      };
    case 'ready':
      break;
  }
  const objects = view.objects;
  const jobState = objects.print_stats?.state ?? 'standby';
  const mapped = JOB_STATES[jobState] ?? { state: 'unknown' as const, text: `Klipper: ${jobState}`.slice(0, 200) };
  let state = mapped.state;
  let stateText = mapped.text;
  let problem: DeviceProblem | null = null;
  if (state === 'printing' && isHeating(objects)) {
    state = 'heating';
    stateText = 'Heating';
  } else if (state === 'idle' && objects.idle_timeout?.state === 'Printing') {
    state = 'busy';
    stateText = 'Busy';
  } else if (state === 'error') {
    problem = { code: 'moonraker.printError', message: `The print failed: ${firstLines(objects.print_stats?.message ?? '') || 'no reason given'}` };
  }
  return { state, stateText, job: job(objects, jobState), temperatures: temperatures(objects), problem };
}
