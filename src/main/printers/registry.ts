import type { ConnectionKind } from '../../shared/contract';
import type { ProviderFactory } from './fleet';
import { marlinProvider } from './marlin/provider';
import { octoprintProvider } from './octoprint/provider';
import { xyzProvider } from './xyz/provider';

/**
 * Device providers for the printer families. Cloud accounts register theirs from the cloud
 * domain (Fleet.registerProvider); kinds without an entry (chat, image servers) have no devices.
 */
export function deviceProviders(): Partial<Record<ConnectionKind, ProviderFactory>> {
  const providers: Partial<Record<ConnectionKind, ProviderFactory>> = {};
  if (xyzProvider) providers.xyz = xyzProvider;
  if (octoprintProvider) providers.octoprint = octoprintProvider;
  providers.marlin = marlinProvider;
  return providers;
}
