import type { ConnectionKind } from '../../shared/contract';
import type { ProviderFactory } from './fleet';

/**
 * Device providers for every connection kind that brings printers. Each family registers here;
 * a kind without an entry (chat, image servers) has no devices.
 */
export function deviceProviders(): Partial<Record<ConnectionKind, ProviderFactory>> {
  return {};
}
