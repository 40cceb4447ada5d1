import { singleDevice, type ProviderFactory } from '../../devices/fleet';
import { MoonrakerDriver } from './moonraker-driver';

/** Klipper printers behind Moonraker: one printer per connection; the optional API key is the connection's secret. */
export const moonrakerProvider: ProviderFactory = singleDevice((ctx) => new MoonrakerDriver(ctx));
