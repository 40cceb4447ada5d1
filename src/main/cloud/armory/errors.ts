import { status } from '@grpc/grpc-js';
import { AppError } from '../../../shared/rpc/result';
import { byStatus, grpcFailure, isServiceError, type StatusTable } from '../../net/grpc';

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

type Mapper = (rpc: string, details: string, name: string) => ArmoryError;

/** Every call but sign-in: status → the Armory failure and its words. */
const BY_STATUS: StatusTable<Mapper> = {
  [status.UNAUTHENTICATED]: () => new ArmoryError('unauthenticated', 'AUTH_REQUIRED', 'The cloud no longer accepts this sign-in; sign in again.'),
  [status.INVALID_ARGUMENT]: (rpc, details) => new ArmoryError('refused', 'BAD_REQUEST', `Armory refused ${rpc}: ${details}`),
  [status.FAILED_PRECONDITION]: (rpc, details) => new ArmoryError('refused', 'BAD_REQUEST', `Armory refused ${rpc}: ${details}`),
  [status.PERMISSION_DENIED]: (rpc, details) => new ArmoryError('refused', 'FORBIDDEN', `Armory refused ${rpc}: ${details}`),
  [status.UNAVAILABLE]: (_rpc, details) => new ArmoryError('unavailable', 'UNAVAILABLE', `The Armory cloud cannot be reached right now (${details}).`),
  [status.DEADLINE_EXCEEDED]: (rpc) => new ArmoryError('timeout', 'TIMEOUT', `The Armory cloud did not answer ${rpc} in time.`),
  [status.NOT_FOUND]: (_rpc, details) => new ArmoryError('not-found', 'NOT_FOUND', `Armory: ${details}`),
  [status.RESOURCE_EXHAUSTED]: () => new ArmoryError('unavailable', 'UNAVAILABLE', 'The Armory cloud is rate-limiting this account; try again in a minute.'),
};
const OTHERWISE: Mapper = (rpc, details, name) => new ArmoryError('other', 'UNAVAILABLE', `Armory ${rpc} failed (${name}): ${details}`);

/**
 * Maps a gRPC failure to a clear error. Login is special: UNAUTHENTICATED or PERMISSION_DENIED
 * there means the account or password is wrong, and a refused code says whether it expired (Bambu's code 1,
 * carried as `armory-error-code` or in the text) or is wrong (code 2).
 */
export function toArmoryError(err: unknown, rpc: string, opts: { codeLogin?: boolean; passwordLogin?: boolean } = {}): ArmoryError {
  if (err instanceof ArmoryError) return err;
  if (!isServiceError(err)) {
    const text = err instanceof Error ? err.message : String(err);
    return new ArmoryError('other', 'INTERNAL', `Armory ${rpc} failed: ${text}`);
  }
  const { details, name } = grpcFailure(err, 300);
  const armoryCode = err.metadata?.get('armory-error-code')[0];
  const refusedSignIn = err.code === status.INVALID_ARGUMENT || err.code === status.FAILED_PRECONDITION;
  // Servers differ in how they refuse credentials (Bambu's cloud: UNAUTHENTICATED; others:
  // PERMISSION_DENIED). Either way the person hears it in Printdeck's words, not the server's.
  const deniedSignIn = err.code === status.UNAUTHENTICATED || err.code === status.PERMISSION_DENIED;
  if (deniedSignIn || refusedSignIn) {
    if (opts.codeLogin) return codeError(armoryCode, details);
    if (opts.passwordLogin) {
      return new ArmoryError('bad-credentials', 'AUTH_REQUIRED', deniedSignIn ? 'The account or password is wrong.' : `The cloud refused the sign-in: ${details}`);
    }
  }
  return byStatus(err.code, BY_STATUS, OTHERWISE)(rpc, details, name);
}

function codeError(armoryCode: unknown, details: string): ArmoryError {
  const expired = armoryCode === '1' || /expired/i.test(details);
  return expired
    ? new ArmoryError('code-expired', 'AUTH_REQUIRED', 'The verification code has expired. Sign in again to get a new one.')
    : new ArmoryError('code-wrong', 'AUTH_REQUIRED', 'The verification code is not right. Check the email and try again.');
}
