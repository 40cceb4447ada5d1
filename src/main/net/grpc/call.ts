import { setTimeout as sleep } from 'node:timers/promises';
import { Metadata, type CallOptions, type ClientUnaryCall, type ServiceError } from '@grpc/grpc-js';
import { backoffDelay, type BackoffPolicy } from '../../../shared/async';

/** A generated grpc-js unary method, as it sits on its client. */
export type UnaryMethod<Req, Res> = (
  request: Req,
  metadata: Metadata,
  options: Partial<CallOptions>,
  callback: (error: ServiceError | null, response: Res) => void,
) => ClientUnaryCall;

/** `authorization: Bearer <token>` (or the server's own header and scheme); empty without a token. */
export function authMetadata(token: string | null, auth: { header?: string; scheme?: string } = {}): Metadata {
  const metadata = new Metadata();
  if (token) metadata.set(auth.header ?? 'authorization', `${auth.scheme ?? 'Bearer '}${token}`);
  return metadata;
}

export interface UnaryCallOptions {
  metadata: Metadata;
  /** The deadline, from now. */
  deadlineMs: number;
  /** Cancels the call (it then fails with CANCELLED). */
  signal?: AbortSignal;
}

/**
 * One unary call with a deadline. It rejects with grpc-js's ServiceError as it came; each domain
 * maps that to its own error (see `status.ts`).
 */
export function callUnary<Req, Res>(client: object, method: UnaryMethod<Req, Res>, request: Req, options: UnaryCallOptions): Promise<Res> {
  const { signal } = options;
  return new Promise<Res>((resolve, reject) => {
    const call = method.call(client, request, options.metadata, { deadline: Date.now() + options.deadlineMs }, (err, res) => {
      signal?.removeEventListener('abort', onAbort);
      if (err) reject(err);
      else resolve(res);
    });
    const onAbort = (): void => call.cancel();
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export interface RetryPolicy {
  /** Extra attempts after the first. */
  retries: number;
  /** Whether a failure may be retried (e.g. UNAVAILABLE only: the server did not process the request). */
  retryOn: (error: unknown) => boolean;
  backoff: BackoffPolicy;
  random?: () => number;
  /** Ends the retries (the client was closed): the last failure is thrown. */
  signal?: AbortSignal;
}

/** Runs `attempt` until it succeeds, a failure may not be retried, or the retries are used up. */
export async function withRetries<T>(attempt: () => Promise<T>, policy: RetryPolicy): Promise<T> {
  for (let n = 0; ; n++) {
    try {
      return await attempt();
    } catch (err) {
      if (!policy.retryOn(err) || n >= policy.retries || policy.signal?.aborted) throw err;
      await sleep(backoffDelay(n, policy.backoff, policy.random), undefined, { signal: policy.signal }).catch(() => undefined);
    }
  }
}
