import { cloudCalls } from '../../shared/contract';
import type { DomainContext, DomainModule } from '../domain';
import type { HandlersOf } from '../rpc/registrar';

/** The Armory cloud account: sign-in, cloud printers, history, messages, updates. */
export function createCloudModule(_ctx: DomainContext): DomainModule<HandlersOf<typeof cloudCalls>> {
  return { handlers: {} };
}
