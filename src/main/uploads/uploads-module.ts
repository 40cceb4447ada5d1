import { uploadCalls } from '../../shared/contract';
import type { DomainContext, DomainModule } from '../domain';
import type { HandlersOf } from '../rpc/registrar';

/** Image sessions and the durable upload job queue (IMSS). */
export function createUploadsModule(_ctx: DomainContext): DomainModule<HandlersOf<typeof uploadCalls>> {
  return { handlers: {} };
}
