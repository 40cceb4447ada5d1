import { NO_CAPABILITIES, type DeviceCapabilities, type DeviceProblem, type DeviceStatus } from '../../../shared/domain/device';
import { isJobActive } from '../../../shared/domain/device-state';
import type { StoredConnection } from '../../connections/connection-repo';
import { connectingStatus, linkLostStatus } from '../../devices/status-basics';
import { toDeviceFields, type CurrentPayload } from './protocol';

export const OCTOPRINT_CAPABILITIES: DeviceCapabilities = {
  ...NO_CAPABILITIES,
  print: true,
  pause: true,
  cancel: true,
  jog: true,
  home: true,
  // camera stays off until OctoPrint's webcam settings say there is one (1.11's defaults have none).
  files: true,
  terminal: true,
};

export const KEY_INVALID_PROBLEM: DeviceProblem = { code: 'octoprint.keyInvalid', message: 'API key no longer valid — pair again' };
export const NOT_PAIRED_PROBLEM: DeviceProblem = {
  code: 'octoprint.notPaired',
  message: 'Not paired yet — pair this OctoPrint in Settings or paste an API key.',
};

export function deviceIdOf(connectionId: string): string {
  return `octoprint:${connectionId}`;
}

export function initialStatus(connection: StoredConnection): DeviceStatus {
  return connectingStatus(connection, 'octoprint', { model: 'OctoPrint', stateText: 'Connecting to OctoPrint', capabilities: OCTOPRINT_CAPABILITIES });
}

/**
 * The status after a `current`/`history` message. A print that ended with PrintDone shows as
 * `done` (OctoPrint itself just says Operational) until the next job begins, so the fleet can
 * tell a finished print from an idle printer.
 *
 * OctoPrint keeps the selected file in `job` after a print ends or is cancelled, with every
 * progress field null [verified]: that is no job. Only an active job, or the one just finished,
 * is one; otherwise an idle printer would show a job of unknown progress.
 */
export function statusFromPayload(previous: DeviceStatus, payload: CurrentPayload, printDone: boolean): DeviceStatus {
  const fields = toDeviceFields(
    { state: payload.state, job: payload.job, progress: payload.progress, temps: payload.temps },
    previous.temperatures,
  );
  const state = fields.state === 'idle' && printDone ? 'done' : fields.state;
  const job = isJobActive(state) || state === 'done' ? fields.job : null;
  return { ...previous, ...fields, state, job, link: 'online', updatedAt: Date.now() };
}

/** The status without a live link (see linkLostStatus). */
export const statusOffline = linkLostStatus;
