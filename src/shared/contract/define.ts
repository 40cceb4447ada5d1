import type { z } from 'zod';

/** A request/response call, declared once; main validates `request`, the client validates `response`. */
export interface CallSpec<Req extends z.ZodType = z.ZodType, Res extends z.ZodType = z.ZodType> {
  readonly request: Req;
  readonly response: Res;
  /** How long main lets the handler run before answering TIMEOUT. */
  readonly timeoutMs: number;
}

/**
 * A main → renderer event. `coalesceKey` marks high-rate streams: only the latest payload per key
 * is sent each tick, or, with `merge`, one payload combining every one emitted since (deltas).
 */
export interface EventSpec<P extends z.ZodType = z.ZodType> {
  readonly payload: P;
  readonly coalesceKey?: (payload: z.infer<P>) => string;
  readonly merge?: (older: z.infer<P>, newer: z.infer<P>) => z.infer<P>;
  /**
   * The device a detail stream is about (a terminal): clients that said which devices they watch
   * (`devices.watch`) get it only for those; what they missed they re-read when they open it.
   */
  readonly deviceOf?: (payload: z.infer<P>) => string;
}

export const DEFAULT_CALL_TIMEOUT_MS = 30_000;

export function call<Req extends z.ZodType, Res extends z.ZodType>(
  request: Req,
  response: Res,
  options: { timeoutMs?: number } = {},
): CallSpec<Req, Res> {
  return { request, response, timeoutMs: options.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS };
}

export function event<P extends z.ZodType>(
  payload: P,
  options: {
    coalesceKey?: (payload: z.infer<P>) => string;
    merge?: (older: z.infer<P>, newer: z.infer<P>) => z.infer<P>;
    deviceOf?: (payload: z.infer<P>) => string;
  } = {},
): EventSpec<P> {
  return {
    payload,
    ...(options.deviceOf ? { deviceOf: options.deviceOf } : {}),
    ...(options.coalesceKey ? { coalesceKey: options.coalesceKey } : {}),
    ...(options.coalesceKey && options.merge ? { merge: options.merge } : {}),
  };
}
