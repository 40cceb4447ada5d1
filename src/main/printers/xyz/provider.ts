import { singleDevice, type ProviderFactory } from '../../devices/fleet';
import { XyzDriver } from './driver';

/** da Vinci printers over USB, serial and Wi-Fi: one driver per connection. */
export const xyzProvider: ProviderFactory | null = singleDevice((ctx) => new XyzDriver(ctx));
