import { singleDevice, type ProviderFactory } from '../../devices/fleet';
import { MarlinDriver } from './marlin-driver';

/** Marlin printers on USB serial ports: one driver per connection. */
export const marlinProvider: ProviderFactory = singleDevice((ctx) => new MarlinDriver(ctx));
