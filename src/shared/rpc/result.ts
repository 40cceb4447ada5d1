import { z } from 'zod';

/**
 * Error codes every call can answer with. Calls return results instead of throwing because
 * errors thrown across Electron IPC lose everything but their message.
 */
export const ErrorCode = z.enum([
  'BAD_REQUEST', // the payload failed validation
  'UNKNOWN_METHOD',
  'FORBIDDEN', // wrong sender, wrong token
  'NOT_FOUND',
  'CONFLICT',
  'UNAVAILABLE', // a device or server cannot be reached right now
  'TIMEOUT',
  'STORE_BUSY', // the database is locked by another process
  'UNSUPPORTED', // the device or build cannot do this
  'CANCELLED',
  'DEVICE_ERROR', // the device answered with an error of its own
  'AUTH_REQUIRED',
  'INTERNAL',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const RpcErrorShape = z.object({
  code: ErrorCode,
  message: z.string().max(4000),
  /** Optional machine-readable detail, e.g. the failing field path. */
  detail: z.string().max(4000).optional(),
});
export type RpcErrorShape = z.infer<typeof RpcErrorShape>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: RpcErrorShape };

/** Thrown by services in main; the registrar turns it into `{ok:false,error}`. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly detail: string | undefined;
  constructor(code: ErrorCode, message: string, detail?: string) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.detail = detail;
  }
  toShape(): RpcErrorShape {
    return this.detail === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, detail: this.detail };
  }
}

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail(code: ErrorCode, message: string, detail?: string): Result<never> {
  return { ok: false, error: detail === undefined ? { code, message } : { code, message, detail } };
}

/** Unwraps a result in places where a failure should surface as an exception (tests, CLI). */
export function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  throw new AppError(result.error.code, result.error.message, result.error.detail);
}
