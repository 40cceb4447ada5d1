import WebSocket from 'ws';
import type { z } from 'zod';
import { decodeFrame, describeRpcError, encodeRequest, MAX_FRAME_CHARS, type Failure, type Incoming } from './protocol';

/** A JSON-RPC call that Moonraker answered with an error, in words. */
export class RpcCallError extends Error {
  constructor(readonly failure: Failure) {
    super(failure.message);
    this.name = 'RpcCallError';
  }
}

/** The socket closed, timed out or sent something unreadable. */
export class SocketError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SocketError';
  }
}

export interface RpcSocketOptions {
  url: string;
  apiKey: string | null;
  connectTimeoutMs?: number;
  /** Ping this often; a socket without a pong by the next ping is dead (black holes, sleeping hosts). */
  pingIntervalMs?: number;
}

interface Pending {
  method: string;
  resolve(value: unknown): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout | null;
}

/**
 * One WebSocket to Moonraker's `/websocket`: calls with ids and deadlines, notifications to a
 * listener. The API key goes in the upgrade request's `X-Api-Key` header (Node can set headers;
 * only browsers need the oneshot-token flow).
 */
export class RpcSocket {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private pingTimer: NodeJS.Timeout | null = null;
  private alive = true;
  private closed = false;
  private closeListener: ((reason: string) => void) | null = null;

  private constructor(
    private readonly ws: WebSocket,
    private readonly onNotification: (method: string, params: unknown[]) => void,
    private readonly onInvalid: (reason: string) => void,
    pingIntervalMs: number,
  ) {
    ws.on('message', (data, isBinary) => {
      if (isBinary) return this.onInvalid('a binary frame');
      this.handle(decodeFrame(data.toString()));
    });
    ws.on('pong', () => (this.alive = true));
    ws.on('close', (code, reason) => this.finish(`Moonraker closed the connection (${code}${reason.length ? `: ${reason.toString().slice(0, 200)}` : ''}).`));
    ws.on('error', (err) => this.finish(`The connection to Moonraker failed: ${err.message}`));
    this.pingTimer = setInterval(() => {
      if (!this.alive) {
        this.finish('Moonraker stopped answering.');
        return;
      }
      this.alive = false;
      ws.ping();
    }, pingIntervalMs);
  }

  static open(
    options: RpcSocketOptions,
    onNotification: (method: string, params: unknown[]) => void,
    onInvalid: (reason: string) => void = () => undefined,
  ): Promise<RpcSocket> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string> = { 'User-Agent': 'Printdeck' };
      if (options.apiKey !== null) headers['X-Api-Key'] = options.apiKey;
      const ws = new WebSocket(options.url, { headers, handshakeTimeout: options.connectTimeoutMs ?? 10_000, maxPayload: MAX_FRAME_CHARS * 4, perMessageDeflate: false });
      const fail = (message: string): void => {
        ws.removeAllListeners();
        ws.on('error', () => undefined);
        ws.terminate();
        reject(new SocketError(message));
      };
      ws.once('open', () => {
        ws.removeAllListeners();
        resolve(new RpcSocket(ws, onNotification, onInvalid, options.pingIntervalMs ?? 15_000));
      });
      ws.once('unexpected-response', (_req, res) =>
        fail(res.statusCode === 401 || res.statusCode === 403 ? 'Moonraker refused the connection: the API key is missing or wrong.' : `Moonraker answered HTTP ${res.statusCode} instead of opening its WebSocket; is this a Moonraker address?`),
      );
      ws.once('error', (err: Error & { code?: string }) => fail(describeNetworkError(err)));
    });
  }

  onClose(listener: (reason: string) => void): void {
    this.closeListener = listener;
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  call<S extends z.ZodType>(method: string, params: Record<string, unknown> | undefined, schema: S, timeoutMs: number | null): Promise<z.infer<S>> {
    if (this.closed) return Promise.reject(new SocketError('Not connected to Moonraker.'));
    const id = this.nextId++;
    return new Promise<unknown>((resolve, reject) => {
      const timer =
        timeoutMs === null
          ? null
          : setTimeout(() => {
              this.pending.delete(id);
              reject(new SocketError(`Moonraker did not answer ${method} within ${Math.round(timeoutMs / 1000)} s.`));
            }, timeoutMs);
      this.pending.set(id, { method, resolve, reject, timer });
      this.ws.send(encodeRequest(id, method, params));
    }).then((result) => {
      const parsed = schema.safeParse(result);
      if (!parsed.success) throw new SocketError(`Moonraker's reply to ${method} is not what Printdeck expects.`);
      return parsed.data as z.infer<S>;
    });
  }

  close(): void {
    this.finish('closed');
    this.ws.removeAllListeners();
    this.ws.on('error', () => undefined);
    this.ws.terminate();
  }

  private handle(message: Incoming): void {
    switch (message.type) {
      case 'notification':
        this.onNotification(message.method, message.params);
        return;
      case 'result':
      case 'error': {
        const entry = message.id === null ? undefined : this.pending.get(message.id);
        if (entry === undefined || message.id === null) {
          if (message.type === 'error') this.onInvalid(`an error for no pending call: ${message.error.message.slice(0, 200)}`);
          return;
        }
        this.pending.delete(message.id);
        if (entry.timer) clearTimeout(entry.timer);
        if (message.type === 'result') entry.resolve(message.result);
        else entry.reject(new RpcCallError(describeRpcError(entry.method, message.error)));
        return;
      }
      case 'invalid':
        this.onInvalid(message.reason);
        return;
    }
  }

  private finish(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    if (this.pingTimer) clearInterval(this.pingTimer);
    for (const entry of this.pending.values()) {
      if (entry.timer) clearTimeout(entry.timer);
      entry.reject(new SocketError(`The connection to Moonraker closed before it answered ${entry.method}.`));
    }
    this.pending.clear();
    if (reason !== 'closed') {
      this.ws.terminate();
      this.closeListener?.(reason);
    }
  }
}

export function describeNetworkError(err: Error & { code?: string }): string {
  switch (err.code) {
    case 'ECONNREFUSED':
      return 'Moonraker refused the connection (is it running, and is the port right? It is usually 7125).';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'The Moonraker host name could not be resolved.';
    case 'ECONNRESET':
    case 'EPIPE':
      return 'The connection to Moonraker was reset.';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'Moonraker cannot be reached on the network.';
    default:
      return err.message ? `Cannot connect to Moonraker: ${err.message}` : 'The connection to Moonraker failed.';
  }
}
