import { setTimeout as delay } from 'node:timers/promises';
import { stepDelay } from '../../../../shared/async';
import { AppError } from '../../../../shared/rpc/result';
import { isXyzProtocolError } from '../protocol';
import { XyzTransportError } from '../transport';
import { XyzCancelledError, XyzNoAnswerError, XyzRejectedError } from './backend';

/** Turns whatever a backend threw into the AppError a caller sees, with the printer's name in it. */
export function toAppError(name: string, err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof XyzCancelledError) return new AppError('CANCELLED', 'Cancelled.');
  if (err instanceof XyzRejectedError) {
    return new AppError('DEVICE_ERROR', err.busy ? `${name} is busy: ${err.message} Try again later.` : `${name}: ${err.message}`, err.code);
  }
  if (err instanceof XyzNoAnswerError) return new AppError(err.kind === 'timeout' ? 'TIMEOUT' : 'DEVICE_ERROR', `${name}: ${err.message}`);
  if (err instanceof XyzTransportError) return new AppError('UNAVAILABLE', `${name}: ${err.message}`, err.code);
  if (isXyzProtocolError(err)) return new AppError('BAD_REQUEST', `${name}: ${err.message}`);
  return new AppError('INTERNAL', `${name}: ${err instanceof Error ? err.message : String(err)}`);
}

/** Waits `ms`; an abort ends the wait with XyzCancelledError, the driver's word for "stopped". */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await delay(ms, undefined, signal ? { signal } : {});
  } catch {
    throw new XyzCancelledError();
  }
}

/** The wait before busy retry number `attempt` (from 1), from the timings' table. */
export function busyWait(backoffMs: readonly number[], attempt: number): number {
  return stepDelay(backoffMs, attempt - 1, 1_000);
}

/** Retries `fn` while the printer says it is busy, waiting longer each time. */
export async function withBusyRetry<T>(
  fn: () => Promise<T>,
  backoffMs: readonly number[],
  maxTries: number,
  signal?: AbortSignal,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!(err instanceof XyzRejectedError && err.busy) || attempt >= maxTries) throw err;
      await sleep(busyWait(backoffMs, attempt), signal);
    }
  }
}
