import type { ConnectionKind } from '../../shared/contract';
import type { ProviderFactory } from '../devices/fleet';
import { marlinProvider } from './marlin/provider';
import { moonrakerProvider } from './moonraker/provider';
import { octoprintProvider } from './octoprint/provider';
import { xyzProvider } from './xyz/provider';

export type DeviceFamilies = Partial<Record<ConnectionKind, ProviderFactory>>;

/**
 * The printer families this domain ships; the printers module registers them with the fleet. Cloud
 * printers are registered by the cloud domain the same way (Fleet.registerProvider).
 */
export function printerFamilies(): DeviceFamilies {
  const providers: DeviceFamilies = {};
  if (xyzProvider) providers.xyz = xyzProvider;
  if (octoprintProvider) providers.octoprint = octoprintProvider;
  providers.moonraker = moonrakerProvider;
  providers.marlin = marlinProvider;
  return providers;
}
