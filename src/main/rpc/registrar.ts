import { z } from 'zod';
import { calls, isMethodName, type MethodName, type ParsedRequestOf, type ResponseOf } from '../../shared/contract';
import { AppError, fail, type Result } from '../../shared/rpc/result';
import type { Logger } from '../log';

/** Who is calling; transports fill it in so handlers and logs can tell clients apart. */
export interface CallContext {
  transport: 'ipc' | 'websocket' | 'memory';
  clientId: string;
  /** Aborted when the caller is gone (its socket closed or is being closed): stop its work, free what it held. */
  signal?: AbortSignal;
}

export type Handler<M extends MethodName> = (
  request: ParsedRequestOf<M>,
  ctx: CallContext,
) => Promise<ResponseOf<M>> | ResponseOf<M>;

/** One implementation per call; a missing one is a compile error. */
export type Handlers = { [M in MethodName]: Handler<M> };

/** The handlers of one domain's slice of the contract, e.g. `HandlersOf<typeof printerCalls>`. */
export type HandlersOf<C> = { [M in keyof C & MethodName]: Handler<M> };

export interface Registrar {
  dispatch(method: unknown, payload: unknown, ctx: CallContext): Promise<Result<unknown>>;
}

/**
 * Validates and routes every inbound call. Nothing a client sends reaches a service
 * unless its method is declared and its payload parses; every failure becomes a typed result.
 */
export function createRegistrar(handlers: Handlers, log: Logger): Registrar {
  return {
    async dispatch(method, payload, ctx) {
      if (!isMethodName(method)) {
        log.warn(`refused unknown method from ${ctx.transport}:${ctx.clientId}`, String(method).slice(0, 128));
        return fail('UNKNOWN_METHOD', `Unknown method "${String(method).slice(0, 128)}".`);
      }
      const spec = calls[method];
      const parsed = spec.request.safeParse(payload ?? {});
      if (!parsed.success) return fail('BAD_REQUEST', describeIssues(method, parsed.error), issuePath(parsed.error));
      const handler = handlers[method] as Handler<MethodName>;
      if (ctx.signal?.aborted) return fail('CANCELLED', 'The caller went away.');
      let timer: NodeJS.Timeout | undefined;
      let onAbort: (() => void) | undefined;
      try {
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new AppError('TIMEOUT', `${method} did not finish within ${spec.timeoutMs / 1000} s.`)),
            spec.timeoutMs,
          );
          onAbort = () => reject(new AppError('CANCELLED', 'The caller went away.'));
          ctx.signal?.addEventListener('abort', onAbort, { once: true });
        });
        const value = await Promise.race([Promise.resolve().then(() => handler(parsed.data as never, ctx)), timeout]);
        return { ok: true, value };
      } catch (err) {
        if (err instanceof AppError) return { ok: false, error: err.toShape() };
        log.error(`${method} failed`, err);
        return fail('INTERNAL', `${method} failed unexpectedly; the details are in the Printdeck log.`);
      } finally {
        clearTimeout(timer);
        if (onAbort) ctx.signal?.removeEventListener('abort', onAbort);
      }
    },
  };
}

function describeIssues(method: string, error: z.ZodError): string {
  const first = error.issues[0];
  if (!first) return `Invalid request for ${method}.`;
  // Custom issues carry a sentence written for people (e.g. what an address should look like).
  if (first.code === 'custom') return first.message;
  const where = first.path.length ? ` ${first.path.join('.')}` : '';
  return `Invalid${where} in ${method}: ${first.message}`;
}

function issuePath(error: z.ZodError): string | undefined {
  const first = error.issues[0];
  return first && first.path.length ? first.path.join('.') : undefined;
}
