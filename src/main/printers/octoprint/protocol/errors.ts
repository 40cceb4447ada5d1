import type { ErrorCode, RpcErrorShape } from '../../../../shared/rpc/result';
import type { HttpReply } from '../../links/http-reply';
import { ErrorBody } from './schemas/common';

/** What went wrong talking to OctoPrint, in the terms the connector acts on. */
export type OctoPrintErrorKind =
  /** The key is invalid or revoked: re-pair. 403 on GET, 400 "CSRF validation failed" on POST. */
  | 'keyInvalid'
  /** The key is valid but lacks a permission (403 on a non-GET request). */
  | 'forbidden'
  /** 409 "Printer is not operational": connect first. */
  | 'notOperational'
  /** 409 on pause/resume/cancel with no job: "Printer is neither printing nor paused, …" [verified]. */
  | 'noActiveJob'
  /** Any other 409: a job/file precondition (job active, file in use). */
  | 'conflict'
  | 'notFound'
  | 'badRequest'
  | 'unsupportedFileType'
  | 'rateLimited'
  /** 5xx, or OctoPrint still starting / stopped behind a proxy. */
  | 'serverError'
  /** The body was not the JSON it should have been. */
  | 'malformedResponse'
  /** Valid JSON, but not the shape the connector relies on. */
  | 'unexpectedShape'
  | 'unexpectedStatus';

export interface OctoPrintError {
  kind: OctoPrintErrorKind;
  /** HTTP status, or null when the error is not tied to one. */
  status: number | null;
  /** A sentence for people. */
  message: string;
  /** OctoPrint's own `error` text, when it sent one. */
  serverMessage: string | null;
}

const CSRF_FAILURE = /csrf validation failed/i;
const NOT_OPERATIONAL = /not operational/i;
/** 1.11.8: "Printer is neither printing nor paused, 'pause' command cannot be performed". */
const NO_ACTIVE_JOB = /neither printing nor paused(?:.*'(\w+)' command)?/i;
/** Long HTML error pages are not worth showing to people. */
const MAX_SERVER_MESSAGE = 300;

/** OctoPrint's `{"error": "..."}` text, or a short plain-text body, or null. */
export function serverMessageOf(body: string): string | null {
  const trimmed = body.trim();
  if (trimmed === '') return null;
  try {
    const parsed = ErrorBody.safeParse(JSON.parse(trimmed));
    if (parsed.success) return parsed.data.error.slice(0, MAX_SERVER_MESSAGE);
    return null;
  } catch {
    if (trimmed.startsWith('<')) return null;
    return trimmed.slice(0, MAX_SERVER_MESSAGE);
  }
}

function withServerText(base: string, serverMessage: string | null): string {
  return serverMessage === null ? base : `${base} (OctoPrint: ${serverMessage})`;
}

/** Maps a non-success reply to a typed error. Call it only for statuses outside 2xx. */
export function classifyErrorReply(reply: HttpReply): OctoPrintError {
  const { status, method } = reply;
  const serverMessage = serverMessageOf(reply.body);
  const make = (kind: OctoPrintErrorKind, message: string): OctoPrintError => ({
    kind,
    status,
    message,
    serverMessage,
  });

  if (status === 400 && serverMessage !== null && CSRF_FAILURE.test(serverMessage)) {
    // An unknown key makes the request anonymous; anonymous non-GET requests are treated as
    // browser requests and fail the CSRF check before any permission check [verified].
    return make('keyInvalid', 'OctoPrint no longer accepts this API key. Pair the printer again.');
  }
  if (status === 401 || (status === 403 && (method === 'GET' || method === 'HEAD'))) {
    return make(
      'keyInvalid',
      'OctoPrint refused the API key: it is invalid, revoked, or lacks the permission to read this.',
    );
  }
  if (status === 403) {
    // Non-GET requests with an invalid key never get here (they fail CSRF with 400), so the
    // key is known to the server and simply lacks the permission.
    return make(
      'forbidden',
      withServerText('The API key lacks the permission for this action', serverMessage),
    );
  }
  if (status === 409) {
    if (serverMessage === null || NOT_OPERATIONAL.test(serverMessage)) {
      return make('notOperational', 'The printer is not connected to OctoPrint (not operational).');
    }
    const idle = NO_ACTIVE_JOB.exec(serverMessage);
    if (idle !== null) {
      const verb = idle[1]?.toLowerCase();
      return make('noActiveJob', verb === 'pause' || verb === 'resume' || verb === 'cancel' ? `Nothing is printing, so there is nothing to ${verb}.` : 'Nothing is printing.');
    }
    return make(
      'conflict',
      withServerText('The printer is busy with something that prevents this', serverMessage),
    );
  }
  if (status === 404)
    return make('notFound', withServerText('Not found on the OctoPrint server', serverMessage));
  if (status === 400)
    return make('badRequest', withServerText('OctoPrint rejected the request', serverMessage));
  if (status === 415) {
    return make(
      'unsupportedFileType',
      withServerText('OctoPrint does not accept this file type', serverMessage),
    );
  }
  if (status === 429)
    return make('rateLimited', 'Too many attempts; OctoPrint asks to wait a minute.');
  if (status === 503)
    return make('serverError', 'OctoPrint is not running (the proxy answered 503).');
  if (status === 501) return make('serverError', 'OctoPrint is still starting up.');
  if (status >= 500 && status <= 599) {
    return make(
      'serverError',
      withServerText(`OctoPrint failed with HTTP ${status}`, serverMessage),
    );
  }
  return make(
    'unexpectedStatus',
    withServerText(`Unexpected HTTP ${status} from OctoPrint`, serverMessage),
  );
}

const RPC_CODE_BY_KIND: Record<OctoPrintErrorKind, ErrorCode> = {
  keyInvalid: 'AUTH_REQUIRED',
  forbidden: 'FORBIDDEN',
  notOperational: 'CONFLICT',
  noActiveJob: 'CONFLICT',
  conflict: 'CONFLICT',
  notFound: 'NOT_FOUND',
  badRequest: 'DEVICE_ERROR',
  unsupportedFileType: 'UNSUPPORTED',
  rateLimited: 'UNAVAILABLE',
  serverError: 'UNAVAILABLE',
  malformedResponse: 'DEVICE_ERROR',
  unexpectedShape: 'DEVICE_ERROR',
  unexpectedStatus: 'DEVICE_ERROR',
};

/** The contract's error shape; `detail` carries the kind so the UI can offer "pair again". */
export function toRpcError(error: OctoPrintError): RpcErrorShape {
  return {
    code: RPC_CODE_BY_KIND[error.kind],
    message: error.message.slice(0, 4000),
    detail: `octoprint.${error.kind}`,
  };
}
