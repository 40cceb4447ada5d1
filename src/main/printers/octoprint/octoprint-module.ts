import { octoprintCalls } from '../../../shared/contract';
import type { DomainContext, DomainModule } from '../../domain';
import type { HandlersOf } from '../../rpc/registrar';

/** OctoPrint-specific calls: pairing, terminal, server files, jog and targets. */
export function createOctoprintModule(_ctx: DomainContext): DomainModule<HandlersOf<typeof octoprintCalls>> {
  return { handlers: {} };
}
