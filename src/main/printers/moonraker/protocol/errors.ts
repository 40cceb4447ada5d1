import type { ErrorCode } from '../../../../shared/rpc/result';
import type { RpcErrorBody } from './jsonrpc';

export type FailureKind = 'klippyUnavailable' | 'unauthorized' | 'klipper' | 'conflict' | 'notFound' | 'server';

export interface Failure {
  kind: FailureKind;
  code: ErrorCode;
  /** A sentence for the user. */
  message: string;
}

/**
 * Moonraker's JSON-RPC error codes in words. Moonraker remaps HTTP-style statuses: every 401
 * (`Unauthorized`, `Invalid API Key`, `JWT Expired`) arrives as -32602, every 404 as -32601 —
 * which is also what Klippy-provided methods (`printer.objects.*`, `printer.gcode.script`, …)
 * return before Klippy has connected once since Moonraker started; after a later disconnect
 * they return 503. Both mean "Klippy is not available right now", not a bug. Code 400 carries
 * Klipper's own text (`Must home axis first: …`, `SD busy`), which is what the user needs.
 */
export function describeRpcError(method: string, error: RpcErrorBody): Failure {
  const text = error.message.trim().slice(0, 500);
  if (error.code === -32602 && /unauthorized|api key|jwt/i.test(text)) {
    return { kind: 'unauthorized', code: 'AUTH_REQUIRED', message: `Moonraker refused the API key (${text}). Check the key in Settings → Connections.` };
  }
  if (error.code === 503 || (error.code === -32601 && method.startsWith('printer.'))) {
    return { kind: 'klippyUnavailable', code: 'UNAVAILABLE', message: 'Klipper is not connected to Moonraker right now; try again once the printer is ready.' };
  }
  if (error.code === 400) return { kind: 'klipper', code: 'DEVICE_ERROR', message: `Klipper said: ${text}` };
  if (error.code === 403) return { kind: 'conflict', code: 'CONFLICT', message: `Moonraker refused: ${text}` };
  if (error.code === -32601 || error.code === 404) return { kind: 'notFound', code: 'NOT_FOUND', message: `Moonraker has no ${method} here (${text}).` };
  return { kind: 'server', code: 'DEVICE_ERROR', message: `Moonraker could not do ${method}: ${text} (code ${error.code}).` };
}
