import { z } from 'zod';
import { AppError } from '../../../shared/rpc/result';
import type { CameraFrame } from '../../devices/driver';
import { HttpClient, TransportError, type HttpResult } from '../links/http-client';
import type { FormField } from '../links/multipart';
import { HttpErrorBody, UploadReply } from './protocol';

const SNAPSHOT_MAX_BYTES = 8 * 1024 * 1024;
/**
 * Moonraker replies to an upload only after it has extracted the file's metadata, which takes
 * tens of seconds for big files: the deadline counts from the last activity and is generous.
 */
const UPLOAD_IDLE_TIMEOUT_MS = 5 * 60_000;
/**
 * The upload's one plain form field: `print` with the exact lowercase string "true" starts the job.
 * Moonraker's others (`root`, default gcodes; `path`; `checksum`) are not needed: the file goes to
 * gcodes under its own name.
 */
const START_PRINT: readonly FormField[] = [['print', 'true']];

/**
 * Moonraker's HTTP side: the multipart upload (`POST /server/files/upload`, file part `file`,
 * `print` = the exact string "true" to start it) and webcam snapshots. Uses the printers' shared
 * streaming HTTP client (deadlines, size caps, progress, cancellation).
 */
export class MoonrakerHttp {
  private readonly http: HttpClient;

  constructor(
    private readonly baseUrl: string,
    apiKey: string | null,
  ) {
    this.http = new HttpClient(baseUrl, apiKey, 'Moonraker');
  }

  async upload(filePath: string, fileName: string, fileSize: number, onProgress: (sent: number) => void, signal: AbortSignal): Promise<z.infer<typeof UploadReply>['result']> {
    let reply: HttpResult;
    try {
      reply = await this.http.upload({ path: '/server/files/upload', fileName, fields: START_PRINT, filePath, fileSize, onProgress, signal, idleTimeoutMs: UPLOAD_IDLE_TIMEOUT_MS });
    } catch (err) {
      throw transportError(err);
    }
    if (reply.status !== 201 && reply.status !== 200) throw httpError(reply, 'upload');
    const parsed = UploadReply.safeParse(parseJson(reply.body));
    if (!parsed.success) throw new AppError('DEVICE_ERROR', 'Moonraker accepted the upload but its reply is not what Printdeck expects.');
    return parsed.data.result;
  }

  /** Fetches a snapshot; the API key goes only to Moonraker's own origin, never to a camera elsewhere. */
  async snapshot(url: string): Promise<CameraFrame> {
    const sameOrigin = new URL(url).origin === new URL(this.baseUrl).origin;
    let reply: HttpResult;
    try {
      reply = await this.http.request({ method: 'GET', path: url, withKey: sameOrigin, timeoutMs: 10_000, maxBytes: SNAPSHOT_MAX_BYTES });
    } catch (err) {
      throw transportError(err);
    }
    if (reply.status !== 200) throw new AppError('UNAVAILABLE', `The webcam answered HTTP ${reply.status} at ${url}.`);
    const bytes = reply.bytes;
    const mime = bytes[0] === 0xff && bytes[1] === 0xd8 ? 'image/jpeg' : bytes[0] === 0x89 && bytes[1] === 0x50 ? 'image/png' : null;
    if (mime === null) throw new AppError('DEVICE_ERROR', 'The webcam sent something that is not a JPEG or PNG image.');
    return { mime, data: new Uint8Array(bytes), at: Date.now() };
  }
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return null;
  }
}

function transportError(err: unknown): AppError {
  if (err instanceof TransportError) return new AppError(err.reason === 'aborted' ? 'CANCELLED' : err.reason === 'timeout' ? 'TIMEOUT' : 'UNAVAILABLE', err.message);
  return new AppError('UNAVAILABLE', (err as Error).message);
}

/** HTTP statuses of an upload in words; nginx in front of Moonraker adds 413/502/504 of its own. */
function httpError(reply: HttpResult, what: string): AppError {
  const message = HttpErrorBody.safeParse(parseJson(reply.body)).data?.error.message.slice(0, 300) ?? '';
  switch (reply.status) {
    case 401:
      return new AppError('AUTH_REQUIRED', `Moonraker refused the API key for the ${what}. Check the key in Settings → Connections.`);
    case 403:
      return new AppError('CONFLICT', `Moonraker refused the ${what}: ${message || 'forbidden'} (a file that is printing cannot be replaced).`);
    case 413:
      return new AppError('DEVICE_ERROR', 'The file is too large for the server (a web server in front of Moonraker may limit uploads; connect to port 7125 directly).');
    case 422:
      return new AppError('DEVICE_ERROR', `Moonraker rejected the file: ${message}`);
    case 502:
    case 504:
      return new AppError('UNAVAILABLE', `The web server in front of Moonraker gave up (HTTP ${reply.status}); the file may still have arrived. Connect to port 7125 directly for large files.`);
    default:
      return new AppError('DEVICE_ERROR', `Moonraker answered HTTP ${reply.status} to the ${what}${message ? `: ${message}` : ''}.`);
  }
}
