import type { DeviceCapabilities, DeviceProblem, DeviceStatus, LinkState } from '../../../shared/domain/device';
import type { StoredConnection } from '../../connections/connection-repo';
import { toDeviceFields } from './protocol';
import type { SessionView } from './klippy-session';

export const MOONRAKER_CAPABILITIES: DeviceCapabilities = {
  print: true,
  pause: true,
  cancel: true,
  jog: true,
  home: true,
  loadFilament: false,
  unloadFilament: false,
  calibrate: false,
  camera: true,
  files: false,
  terminal: false,
};

export function deviceIdOf(connectionId: string): string {
  return `moonraker:${connectionId}`;
}

export function initialStatus(connection: StoredConnection): DeviceStatus {
  return {
    deviceId: deviceIdOf(connection.id),
    connectionId: connection.id,
    family: 'moonraker',
    name: connection.name.slice(0, 200),
    model: 'Klipper',
    serial: null,
    firmware: null,
    link: 'connecting',
    state: 'unknown',
    stateText: 'Connecting to Moonraker',
    job: null,
    temperatures: [],
    filament: null,
    problem: null,
    capabilities: MOONRAKER_CAPABILITIES,
    updatedAt: Date.now(),
  };
}

/** The status while the socket is up: Moonraker answers, Klippy may or may not be ready. */
export function statusFromView(previous: DeviceStatus, view: SessionView): DeviceStatus {
  const firmware = [view.klipperVersion && `Klipper ${view.klipperVersion}`, view.moonrakerVersion && `Moonraker ${view.moonrakerVersion}`].filter(Boolean).join(' · ');
  return {
    ...previous,
    ...toDeviceFields(view),
    link: 'online',
    firmware: firmware === '' ? previous.firmware : firmware.slice(0, 128),
    updatedAt: Date.now(),
  };
}

/** The status without a socket: keeps the last job, drops live readings. */
export function statusOffline(previous: DeviceStatus, link: LinkState, stateText: string, problem: DeviceProblem | null): DeviceStatus {
  return {
    ...previous,
    link,
    state: link === 'connecting' ? (previous.link === 'online' ? previous.state : 'unknown') : 'offline',
    stateText: stateText.slice(0, 200),
    temperatures: link === 'connecting' ? previous.temperatures : [],
    problem,
    updatedAt: Date.now(),
  };
}
