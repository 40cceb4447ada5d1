import type { DeviceCapabilities, DeviceProblem, DeviceStatus, LinkState } from '../../../shared/domain/device';
import { isJobActive } from '../../../shared/domain/device-state';
import type { StoredConnection } from '../../connections/connection-repo';
import { toDeviceFields, type CurrentPayload } from './protocol';

export const OCTOPRINT_CAPABILITIES: DeviceCapabilities = {
  print: true,
  pause: true,
  cancel: true,
  jog: true,
  home: true,
  loadFilament: false,
  unloadFilament: false,
  calibrate: false,
  // Until OctoPrint's webcam settings say there is one (1.11's defaults have none).
  camera: false,
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
  return {
    deviceId: deviceIdOf(connection.id),
    connectionId: connection.id,
    family: 'octoprint',
    name: connection.name.slice(0, 200),
    model: 'OctoPrint',
    serial: null,
    firmware: null,
    link: 'connecting',
    state: 'unknown',
    stateText: 'Connecting to OctoPrint',
    job: null,
    temperatures: [],
    filament: null,
    problem: null,
    capabilities: OCTOPRINT_CAPABILITIES,
    updatedAt: Date.now(),
  };
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

/** The status while there is no live socket: keeps the last job, drops live readings. */
export function statusOffline(previous: DeviceStatus, link: LinkState, stateText: string, problem: DeviceProblem | null): DeviceStatus {
  return {
    ...previous,
    link,
    state: link === 'connecting' && previous.link === 'online' ? previous.state : link === 'connecting' ? 'unknown' : 'offline',
    stateText: stateText.slice(0, 200),
    temperatures: link === 'connecting' ? previous.temperatures : [],
    problem,
    updatedAt: Date.now(),
  };
}
