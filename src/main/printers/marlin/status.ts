import { NO_CAPABILITIES, type DeviceCapabilities, type DeviceStatus, type Temperature } from '../../../shared/domain/device';
import type { StoredConnection } from '../../connections/connection-repo';
import { connectingStatus } from '../../devices/status-basics';
import type { TemperatureReading } from './protocol/temperatures';

export const MARLIN_CAPABILITIES: DeviceCapabilities = {
  ...NO_CAPABILITIES,
  print: true,
  pause: true,
  cancel: true,
  jog: true,
  home: true,
};

export function marlinDeviceId(connectionId: string): string {
  return `marlin:${connectionId}`;
}

export function initialMarlinStatus(connection: StoredConnection): DeviceStatus {
  return connectingStatus(connection, 'marlin', { model: null, stateText: 'Connecting', capabilities: MARLIN_CAPABILITIES });
}

/** Merges new readings into the shown ones (a report may carry only some sensors). */
export function mergeTemperatures(previous: readonly Temperature[], readings: readonly TemperatureReading[]): Temperature[] {
  const byId = new Map(previous.map((t) => [t.sensor, t]));
  for (const r of readings) byId.set(r.sensor.slice(0, 32), { sensor: r.sensor.slice(0, 32), actual: r.actual, target: r.target });
  return [...byId.values()].slice(0, 16);
}
