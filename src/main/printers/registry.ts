import type { ConnectionKind } from '../../shared/contract';
import type { DriverFactory } from './fleet';

/** Driver factories for every printer family Printdeck ships; each family registers itself here. */
export function driverFactories(): Partial<Record<ConnectionKind, DriverFactory>> {
  return {};
}
