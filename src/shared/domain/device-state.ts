import type { DeviceStatus, LinkState, PrinterState } from './device';

/**
 * What a printer's normalised state means, defined once for main and the renderer (in the manner
 * of OctoPrint's is_printing() / is_paused()). Every family maps its own codes onto PrinterState;
 * these say what the UI and the watchers may conclude from it.
 */

const JOB_ACTIVE: ReadonlySet<PrinterState> = new Set(['checking', 'heating', 'printing', 'pausing', 'paused', 'resuming', 'finishing', 'cancelling']);
const PAUSABLE: ReadonlySet<PrinterState> = new Set(['checking', 'heating', 'printing']);
const RESUMABLE: ReadonlySet<PrinterState> = new Set(['pausing', 'paused']);

/** A job holds the printer, from its checks and heating to its last moves, paused or being cancelled. */
export function isJobActive(state: PrinterState): boolean {
  return JOB_ACTIVE.has(state);
}

/** Paused in the middle of a job (not on the way there: see `canResume`). */
export function isPaused(state: PrinterState): boolean {
  return state === 'paused';
}

/** Working on a job right now: a job is active and not paused, so the axes are not free to move. */
export function isPrinting(state: PrinterState): boolean {
  return isJobActive(state) && !isPaused(state);
}

/** A job is being cancelled: when it ends, it did not finish. */
export function isCancelling(state: PrinterState): boolean {
  return state === 'cancelling';
}

/** The printer cannot take anything else: a job, or other work of its own (e.g. a file going to its SD card). */
export function isPrinterBusy(state: PrinterState): boolean {
  return isJobActive(state) || state === 'busy';
}

export function canPause(state: PrinterState): boolean {
  return PAUSABLE.has(state);
}

export function canResume(state: PrinterState): boolean {
  return RESUMABLE.has(state);
}

/** A job that is still under way and not already ending (finishing or being cancelled). */
export function canCancel(state: PrinterState): boolean {
  return isJobActive(state) && state !== 'finishing' && !isCancelling(state);
}

/** The app cannot reach the device (as opposed to reaching it and hearing of a problem). */
export function isUnreachable(link: LinkState): boolean {
  return link === 'offline' || link === 'error';
}

/** A file can be sent to the device now: its family prints from Printdeck and it is online. */
export function canPrint(device: Pick<DeviceStatus, 'capabilities' | 'link'>): boolean {
  return device.capabilities.print && device.link === 'online';
}

/**
 * The device has a job worth drawing: one that is under way, or one whose progress is known (a
 * finished print, the last job of a printer that went away). A job of unknown progress on a
 * printer that is not working on it (OctoPrint's selected file after a cancel) is no job.
 */
export function hasJobToShow(device: Pick<DeviceStatus, 'state' | 'job'>): boolean {
  return device.job !== null && (isJobActive(device.state) || device.job.progress !== null);
}
