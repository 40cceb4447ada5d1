import { chatCalls } from '../../shared/contract';
import type { DomainContext, DomainModule } from '../domain';
import type { HandlersOf } from '../rpc/registrar';

/** End-to-end encrypted team chat over Skiserver. */
export function createChatModule(_ctx: DomainContext): DomainModule<HandlersOf<typeof chatCalls>> {
  return { handlers: {} };
}
