import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { HttpMethod, HttpReply } from './http-reply';
import { frameUpload, type FormField } from './multipart';
import { answersPlainHttp, isNotTlsError, noTlsHint, plainHttpHint, TLS_HANDSHAKE_MS } from './tls-check';

/**
 * HTTP to one printer server (OctoPrint, Moonraker) over node:http/https: every request has a
 * deadline, every body a size limit, and uploads stream the file from disk with progress and
 * cancellation. It knows no server's API; errors name the server it was made for.
 */

export interface HttpRequest {
  method: HttpMethod;
  /** A path on the base URL ("/api/version") or an absolute http(s) URL. */
  path: string;
  json?: unknown;
  /** Send the API key (default true); OctoPrint's appkeys poll and a webcam elsewhere need none. */
  withKey?: boolean;
  timeoutMs?: number;
  maxBytes?: number;
}

export interface HttpResult extends HttpReply {
  headers: http.IncomingHttpHeaders;
  bytes: Buffer;
}

/** The request did not complete: DNS, refused, reset, TLS, deadline, or a too-large body. */
export class TransportError extends Error {
  constructor(
    message: string,
    readonly reason: 'network' | 'timeout' | 'tooLarge' | 'aborted',
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

export interface UploadRequest {
  path: string;
  /** Name of the file part; "/" in it makes sub-folders on both servers. */
  fileName: string;
  /** The server's plain form fields, written before the file. */
  fields: readonly FormField[];
  filePath: string;
  fileSize: number;
  onProgress(sentBytes: number): void;
  signal: AbortSignal;
  /** Deadline without any progress; the whole upload may take as long as it needs. */
  idleTimeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 15_000;
const DEFAULT_MAX_BYTES = 4 * 1024 * 1024;
const USER_AGENT = 'Printdeck';

export class HttpClient {
  private readonly base: URL;

  constructor(
    baseUrl: string,
    /** Sent as `X-Api-Key`, the header both OctoPrint and Moonraker read. */
    private readonly apiKey: string | null,
    /** Who is answering, for error messages ("OctoPrint did not answer within 15 s."). */
    private readonly server: string,
  ) {
    this.base = new URL(baseUrl.replace(/\/+$/, '') + '/');
  }

  get baseUrl(): string {
    return this.base.href.replace(/\/+$/, '');
  }

  url(path: string): URL {
    // Relative paths keep the base's own path prefix (a server behind a reverse proxy at /octoprint/).
    return new URL(path.replace(/^\//, ''), this.base);
  }

  request(req: HttpRequest): Promise<HttpResult> {
    const url = /^https?:\/\//i.test(req.path) ? new URL(req.path) : this.url(req.path);
    const body = req.json === undefined ? null : Buffer.from(JSON.stringify(req.json));
    const headers: http.OutgoingHttpHeaders = { 'User-Agent': USER_AGENT, Accept: 'application/json' };
    if (req.withKey !== false && this.apiKey !== null) headers['X-Api-Key'] = this.apiKey;
    if (body !== null) {
      headers['Content-Type'] = 'application/json';
      headers['Content-Length'] = body.length;
    }
    return this.exchange(url, req.method, headers, req.timeoutMs ?? DEFAULT_TIMEOUT_MS, req.maxBytes ?? DEFAULT_MAX_BYTES, false, (r) =>
      r.end(body ?? undefined),
    );
  }

  /** Streams head + file + tail as multipart/form-data; progress counts the file's bytes. */
  async upload(req: UploadRequest): Promise<HttpResult> {
    const boundary = `----printdeck${randomBytes(16).toString('hex')}`;
    const framing = frameUpload(req.fileName, req.fields, boundary);
    const headers: http.OutgoingHttpHeaders = {
      'User-Agent': USER_AGENT,
      Accept: 'application/json',
      'Content-Type': framing.contentType,
      'Content-Length': framing.contentLength(req.fileSize),
    };
    if (this.apiKey !== null) headers['X-Api-Key'] = this.apiKey;
    return this.exchange(this.url(req.path), 'POST', headers, req.idleTimeoutMs ?? 60_000, DEFAULT_MAX_BYTES, true, (r, fail) => {
      r.write(framing.head);
      const file = createReadStream(req.filePath, { highWaterMark: 64 * 1024 });
      let sent = 0;
      let lastReport = 0;
      const abort = (): void => {
        file.destroy();
        fail(new TransportError('The upload was cancelled.', 'aborted'));
      };
      if (req.signal.aborted) return abort();
      req.signal.addEventListener('abort', abort, { once: true });
      file.on('data', (chunk) => {
        sent += chunk.length;
        if (sent > req.fileSize) {
          file.destroy();
          fail(new TransportError('The file grew while it was being sent.', 'network'));
          return;
        }
        const now = Date.now();
        // Progress at most 10 times a second; the event hub coalesces the rest anyway.
        if (now - lastReport >= 100 || sent === req.fileSize) {
          lastReport = now;
          req.onProgress(sent);
        }
        if (!r.write(chunk)) {
          file.pause();
          r.once('drain', () => file.resume());
        }
      });
      file.on('error', (err) => fail(new TransportError(`Could not read ${req.filePath}: ${err.message}`, 'network')));
      file.on('end', () => {
        req.signal.removeEventListener('abort', abort);
        if (sent !== req.fileSize) {
          fail(new TransportError('The file changed size while it was being sent.', 'network'));
          return;
        }
        r.end(framing.tail);
      });
    });
  }

  private exchange(
    url: URL,
    method: HttpMethod,
    headers: http.OutgoingHttpHeaders,
    timeoutMs: number,
    maxBytes: number,
    /** Uploads: the deadline counts from the last activity, not from the start. */
    idle: boolean,
    send: (req: http.ClientRequest, fail: (err: Error) => void) => void,
  ): Promise<HttpResult> {
    const server = this.server;
    return new Promise<HttpResult>((resolve, reject) => {
      const lib = url.protocol === 'https:' ? https : http;
      let settled = false;
      const finish = (err: Error | null, result?: HttpResult): void => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        if (err) {
          req.destroy();
          reject(err);
        } else if (result) resolve(result);
      };
      const req = lib.request(url, { method, headers, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) {
            finish(new TransportError(`${server}'s reply is larger than ${maxBytes} bytes.`, 'tooLarge'));
            res.destroy();
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () => {
          const bytes = Buffer.concat(chunks);
          finish(null, { method, status: res.statusCode ?? 0, body: bytes.toString('utf8'), headers: res.headers, bytes });
        });
        res.on('error', (err) => finish(new TransportError(err.message, 'network')));
      });
      let deadline = setTimeout(onTimeout, timeoutMs);
      function onTimeout(): void {
        finish(new TransportError(`${server} did not answer within ${Math.round(timeoutMs / 1000)} s.`, 'timeout'));
      }
      const rearm = (): void => {
        clearTimeout(deadline);
        deadline = setTimeout(onTimeout, timeoutMs);
      };
      // An upload that keeps moving is not cut off however long it takes.
      if (idle) req.on('socket', (socket) => socket.on('data', rearm).on('drain', rearm));
      if (url.protocol === 'https:') {
        // A handshake that hangs is most likely https:// on a plain-HTTP port: find out and say so.
        req.on('socket', (socket) => {
          const handshake = setTimeout(() => {
            if (settled) return;
            void answersPlainHttp(url).then((plain) => finish(new TransportError(plain ? plainHttpHint(server) : noTlsHint(server), 'network')));
          }, TLS_HANDSHAKE_MS);
          handshake.unref();
          const done = (): void => clearTimeout(handshake);
          socket.once('secureConnect', done).once('close', done).once('error', done);
        });
      }
      req.on('error', (err) => finish(new TransportError(isNotTlsError(err) ? plainHttpHint(server) : describeNetworkError(err, server), 'network')));
      send(req, (err) => finish(err));
    });
  }
}

function describeNetworkError(err: Error & { code?: string }, server: string): string {
  switch (err.code) {
    case 'ECONNREFUSED':
      return `${server} refused the connection (is it running?).`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `The ${server} host name could not be resolved.`;
    case 'ECONNRESET':
    case 'EPIPE':
      return `The connection to ${server} was reset.`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `${server} cannot be reached on the network.`;
    default:
      return err.message || `The connection to ${server} failed.`;
  }
}
