import { ResponseCode } from '../gen/skissm/common';
import type { ErrorCode } from '../../shared/rpc/result';
import { ChatRequestError, ServerRefusal } from './client/engine-core';
import { PortError } from './protocol/skiserver-port';

const BY_RESPONSE: Partial<Record<number, ErrorCode>> = {
  [ResponseCode.RESPONSE_CODE_BAD_REQUEST]: 'BAD_REQUEST',
  [ResponseCode.RESPONSE_CODE_UNAUTHORIZED]: 'AUTH_REQUIRED',
  [ResponseCode.RESPONSE_CODE_FORBIDDEN]: 'FORBIDDEN',
  [ResponseCode.RESPONSE_CODE_NOT_FOUND]: 'NOT_FOUND',
  [ResponseCode.RESPONSE_CODE_REQUEST_TIMEOUT]: 'TIMEOUT',
  [ResponseCode.RESPONSE_CODE_REQUEST_CONFLICT]: 'CONFLICT',
  [ResponseCode.RESPONSE_CODE_EXPECTATION_FAILED]: 'CONFLICT',
  [ResponseCode.RESPONSE_CODE_SERVICE_UNAVAILABLE]: 'UNAVAILABLE',
};

const BY_PORT: Record<PortError['kind'], ErrorCode> = {
  unavailable: 'UNAVAILABLE',
  deadline: 'TIMEOUT',
  unauthenticated: 'AUTH_REQUIRED',
  rejected: 'DEVICE_ERROR',
  internal: 'INTERNAL',
};

const BY_REQUEST: Record<ChatRequestError['kind'], ErrorCode> = {
  invalid: 'BAD_REQUEST',
  'not-found': 'NOT_FOUND',
  conflict: 'CONFLICT',
};

/**
 * The API error code for a chat failure: the server's own refusal keeps its meaning (a member only
 * managers may add is FORBIDDEN, an unknown user NOT_FOUND), a network failure is UNAVAILABLE or
 * TIMEOUT, a request that cannot be done as asked is the caller's. Anything else is the server's
 * or our fault without a better word: UNAVAILABLE, as before.
 */
export function chatErrorCode(err: unknown): ErrorCode {
  if (err instanceof ServerRefusal) return BY_RESPONSE[err.responseCode] ?? 'DEVICE_ERROR';
  if (err instanceof PortError) return BY_PORT[err.kind];
  if (err instanceof ChatRequestError) return BY_REQUEST[err.kind];
  return 'UNAVAILABLE';
}
