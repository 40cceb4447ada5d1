import { singleDevice, type ProviderFactory } from '../../devices/fleet';
import { OctoPrintDriver } from './octoprint-driver';

/** OctoPrint servers: one printer per connection, the API key is the connection's secret. */
export const octoprintProvider: ProviderFactory | null = singleDevice((ctx) => new OctoPrintDriver(ctx));
