import type { DeviceCapabilities, DeviceProblem, DeviceStatus, LinkState, PrinterFamily } from '../../shared/domain/device';
import type { StoredConnection } from '../connections/connection-repo';

/**
 * What every family's one-printer-per-connection status starts as and falls back to; the family adds
 * what it knows (its model name, its capabilities, how it says "connecting").
 */
export function connectingStatus(
  connection: StoredConnection,
  family: PrinterFamily,
  known: { model: string | null; stateText: string; capabilities: DeviceCapabilities },
): DeviceStatus {
  return {
    deviceId: `${family}:${connection.id}`,
    connectionId: connection.id,
    family,
    name: connection.name.slice(0, 200),
    model: known.model,
    serial: null,
    firmware: null,
    link: 'connecting',
    state: 'unknown',
    stateText: known.stateText,
    job: null,
    temperatures: [],
    filament: null,
    problem: null,
    capabilities: known.capabilities,
    updatedAt: Date.now(),
  };
}

/**
 * The status while there is no live link: the last job stays (the fleet marks it stale), live readings
 * go. While reconnecting right after being online, the last state stands until the printer says otherwise.
 */
export function linkLostStatus(previous: DeviceStatus, link: LinkState, stateText: string, problem: DeviceProblem | null): DeviceStatus {
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
