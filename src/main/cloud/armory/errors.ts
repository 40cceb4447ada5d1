import { status, type ServiceError } from '@grpc/grpc-js';
import { AppError } from '../../../shared/rpc/result';

/** What went wrong on an Armory call, in the terms the account logic branches on. */
export type ArmoryFailure =
  | 'unauthenticated'
  | 'bad-credentials'
  | 'code-expired'
  | 'code-wrong'
  | 'unavailable'
  | 'timeout'
  | 'not-found'
  | 'refused'
  | 'other';

/** An AppError that remembers the Armory failure kind (also in `detail`, for clients). */
export class ArmoryError extends AppError {
  constructor(
    readonly failure: ArmoryFailure,
    code: ConstructorParameters<typeof AppError>[0],
    message: string,
  ) {
    super(code, message, failure);
    this.name = 'ArmoryError';
  }
}

export function isServiceError(err: unknown): err is ServiceError {
  return err instanceof Error && typeof (err as Partial<ServiceError>).code === 'number';
}

/**
 * Maps a gRPC failure to a clear error. Login is special: UNAUTHENTICATED there means the
 * account or password is wrong, and a refused code says whether it expired (Bambu's code 1,
 * carried as `armory-error-code` or in the text) or is wrong (code 2).
 */
export function toArmoryError(err: unknown, rpc: string, opts: { codeLogin?: boolean; passwordLogin?: boolean } = {}): ArmoryError {
  if (err instanceof ArmoryError) return err;
  if (!isServiceError(err)) {
    const text = err instanceof Error ? err.message : String(err);
    return new ArmoryError('other', 'INTERNAL', `Armory ${rpc} failed: ${text}`);
  }
  const details = (err.details || err.message || '').slice(0, 300);
  const armoryCode = err.metadata?.get('armory-error-code')[0];
  switch (err.code) {
    case status.UNAUTHENTICATED:
      if (opts.passwordLogin) return new ArmoryError('bad-credentials', 'AUTH_REQUIRED', 'The account or password is wrong.');
      if (opts.codeLogin) return codeError(armoryCode, details);
      return new ArmoryError('unauthenticated', 'AUTH_REQUIRED', 'The cloud no longer accepts this sign-in; sign in again.');
    case status.INVALID_ARGUMENT:
    case status.FAILED_PRECONDITION:
      if (opts.codeLogin) return codeError(armoryCode, details);
      if (opts.passwordLogin) return new ArmoryError('bad-credentials', 'AUTH_REQUIRED', `The cloud refused the sign-in: ${details}`);
      return new ArmoryError('refused', 'BAD_REQUEST', `Armory refused ${rpc}: ${details}`);
    case status.PERMISSION_DENIED:
      return new ArmoryError('refused', 'FORBIDDEN', `Armory refused ${rpc}: ${details}`);
    case status.UNAVAILABLE:
      return new ArmoryError('unavailable', 'UNAVAILABLE', `The Armory cloud cannot be reached right now (${details}).`);
    case status.DEADLINE_EXCEEDED:
      return new ArmoryError('timeout', 'TIMEOUT', `The Armory cloud did not answer ${rpc} in time.`);
    case status.NOT_FOUND:
      return new ArmoryError('not-found', 'NOT_FOUND', `Armory: ${details}`);
    case status.RESOURCE_EXHAUSTED:
      return new ArmoryError('unavailable', 'UNAVAILABLE', 'The Armory cloud is rate-limiting this account; try again in a minute.');
    default:
      return new ArmoryError('other', 'UNAVAILABLE', `Armory ${rpc} failed (${status[err.code] ?? err.code}): ${details}`);
  }
}

function codeError(armoryCode: unknown, details: string): ArmoryError {
  const expired = armoryCode === '1' || /expired/i.test(details);
  return expired
    ? new ArmoryError('code-expired', 'AUTH_REQUIRED', 'The verification code has expired. Sign in again to get a new one.')
    : new ArmoryError('code-wrong', 'AUTH_REQUIRED', 'The verification code is not right. Check the email and try again.');
}
