import { NO_CAPABILITIES, type DeviceCapabilities, type DeviceStatus } from '../../../shared/domain/device';
import type { StoredConnection } from '../../connections/connection-repo';
import { connectingStatus, linkLostStatus } from '../../devices/status-basics';
import { toDeviceFields } from './protocol';
import type { SessionView } from './klippy-session';

export const MOONRAKER_CAPABILITIES: DeviceCapabilities = {
  ...NO_CAPABILITIES,
  print: true,
  pause: true,
  cancel: true,
  jog: true,
  home: true,
  camera: true,
};

export function deviceIdOf(connectionId: string): string {
  return `moonraker:${connectionId}`;
}

export function initialStatus(connection: StoredConnection): DeviceStatus {
  return connectingStatus(connection, 'moonraker', { model: 'Klipper', stateText: 'Connecting to Moonraker', capabilities: MOONRAKER_CAPABILITIES });
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

/** The status without a live link (see linkLostStatus). */
export const statusOffline = linkLostStatus;
