import { z } from 'zod';
import type { Logger } from '../../log';
import { mergeObjects, ObjectsReply, PrinterInfo, seedObjects, ServerInfo, subscribeParams, websocketUrlOf, type KlippyState, type PrinterObjects } from './protocol';
import { RpcCallError, RpcSocket, SocketError } from './rpc-socket';

export interface SessionView {
  klippy: KlippyState;
  klippyMessage: string;
  objects: PrinterObjects;
  moonrakerVersion: string | null;
  klipperVersion: string | null;
}

export interface SessionEvents {
  /** A connection attempt begins (attempt 0 = the first after being online or started). */
  connecting(attempt: number): void;
  /** Online: Klippy's state or the objects changed. */
  view(view: SessionView): void;
  /** No socket; the next attempt is in `retryInMs`. */
  offline(reason: string, retryInMs: number): void;
  /** Moonraker refused the credentials; the session waits `retryInMs` before asking again. */
  authRefused(message: string, retryInMs: number): void;
  /** Other notifications (history, file list) for whoever wants them. */
  notification(method: string, params: unknown[]): void;
}

export interface SessionOptions {
  baseUrl: string;
  apiKey: string | null;
  log: Logger;
  backoffInitialMs?: number;
  backoffMaxMs?: number;
  /** Klippy not ready: ask `server.info` again this often (Moonraker's documented startup loop uses 2 s). */
  klippyPollMs?: number;
  /** After a refused key, ask again this much later. */
  authRecheckMs?: number;
  pingIntervalMs?: number;
}

const CALL_TIMEOUT_MS = 15_000;
const Identified = z.object({ connection_id: z.number() });

/**
 * The life of one Moonraker connection, as Moonraker's docs describe the client loop and with
 * what real clients get wrong handled:
 * 1. open `/websocket` (back-off while it fails), identify (with the API key when there is one:
 *    a socket whose upgrade failed authentication stays open but silent, so a wrong key is only
 *    seen through `server.connection.identify` → "Invalid API Key");
 * 2. `server.info`; until Klippy is `ready`, ask again every 2 s. `error` and `shutdown` come with
 *    no notification after a restart, so only polling finds them; `printer.info` has the words;
 * 3. when ready, one `printer.objects.subscribe` for every object (each call replaces the last),
 *    the reply seeds the cache, `notify_status_update` diffs are merged into it;
 * 4. Moonraker drops every subscription whenever Klippy disconnects while the socket stays open,
 *    so `notify_klippy_ready` always means "subscribe again"; `notify_klippy_disconnected`
 *    means the cache is stale and polling resumes;
 * 5. a closed socket (Moonraker restarted) goes back to 1.
 */
export class KlippySession {
  private socket: RpcSocket | null = null;
  private stopped = true;
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private pollTimer: NodeJS.Timeout | null = null;
  private view: SessionView = { klippy: 'disconnected', klippyMessage: '', objects: {}, moonrakerVersion: null, klipperVersion: null };
  private invalidFrames = 0;
  private readonly backoffInitialMs: number;
  private readonly backoffMaxMs: number;
  private readonly klippyPollMs: number;
  private readonly authRecheckMs: number;

  constructor(
    private readonly options: SessionOptions,
    private readonly events: SessionEvents,
  ) {
    this.backoffInitialMs = options.backoffInitialMs ?? 1_000;
    this.backoffMaxMs = options.backoffMaxMs ?? 30_000;
    this.klippyPollMs = options.klippyPollMs ?? 2_000;
    this.authRecheckMs = options.authRecheckMs ?? 5 * 60_000;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.clearTimers();
    this.socket?.close();
    this.socket = null;
  }

  current(): SessionView {
    return this.view;
  }

  /** A call on the live socket; rejects in words when there is none. */
  call<S extends z.ZodType>(method: string, params: Record<string, unknown> | undefined, schema: S, timeoutMs: number | null = CALL_TIMEOUT_MS): Promise<z.infer<S>> {
    if (this.socket === null) return Promise.reject(new SocketError('Printdeck is not connected to Moonraker right now.'));
    return this.socket.call(method, params, schema, timeoutMs);
  }

  private connect(): void {
    if (this.stopped) return;
    this.events.connecting(this.attempt);
    // Set once open; notifications cannot arrive before that.
    let socket: RpcSocket | null = null;
    RpcSocket.open(
      { url: websocketUrlOf(this.options.baseUrl), apiKey: this.options.apiKey, ...(this.options.pingIntervalMs ? { pingIntervalMs: this.options.pingIntervalMs } : {}) },
      (method, params) => this.onNotification(socket, method, params),
      (reason) => this.onInvalid(reason),
    ).then(
      (opened) => {
        socket = opened;
        if (this.stopped) return opened.close();
        this.socket = opened;
        opened.onClose((reason) => this.lost(opened, reason));
        void this.handshake(opened);
      },
      (err: Error) => this.retry(err.message),
    );
  }

  private retry(reason: string, delayMs?: number): void {
    if (this.stopped) return;
    const backoff = Math.min(this.backoffMaxMs, this.backoffInitialMs * 2 ** Math.min(this.attempt, 16));
    // Jitter, so a room of printers does not reconnect to a restarted host in lock-step.
    const delay = delayMs ?? Math.round(backoff * (0.8 + Math.random() * 0.4));
    this.attempt++;
    this.events.offline(reason, delay);
    this.clearTimers();
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connect();
    }, delay);
  }

  private lost(socket: RpcSocket, reason: string): void {
    if (socket !== this.socket) return;
    this.socket = null;
    this.options.log.info(`Moonraker connection lost: ${reason}`);
    this.view = { ...this.view, klippy: 'disconnected', objects: {} };
    this.retry(reason);
  }

  private async handshake(socket: RpcSocket): Promise<void> {
    try {
      await socket.call(
        'server.connection.identify',
        { client_name: 'Printdeck', version: '0.1.0', type: 'desktop', url: 'https://printdeck.invalid', ...(this.options.apiKey === null ? {} : { api_key: this.options.apiKey }) },
        Identified,
        CALL_TIMEOUT_MS,
      );
    } catch (err) {
      if (this.refusedAuth(socket, err)) return;
      // Anything else (an old Moonraker without identify) is not fatal; a lost socket is handled by onClose.
      if (!(err instanceof RpcCallError)) return;
    }
    this.attempt = 0;
    await this.sync(socket);
  }

  /** Asks Moonraker where Klippy is, and subscribes when it is ready. */
  private async sync(socket: RpcSocket): Promise<void> {
    if (socket !== this.socket) return;
    try {
      const info = await socket.call('server.info', undefined, ServerInfo, CALL_TIMEOUT_MS);
      this.view = { ...this.view, moonrakerVersion: info.moonraker_version ?? null };
      if (info.klippy_state === 'ready') {
        await this.subscribe(socket);
        return;
      }
      let message = '';
      if (info.klippy_connected && (info.klippy_state === 'error' || info.klippy_state === 'shutdown')) {
        message = (await socket.call('printer.info', undefined, PrinterInfo, CALL_TIMEOUT_MS).catch(() => null))?.state_message ?? '';
      }
      this.setView(socket, { klippy: info.klippy_state, klippyMessage: message, objects: info.klippy_state === 'shutdown' ? this.view.objects : {} });
      this.pollSoon(socket);
    } catch (err) {
      if (this.refusedAuth(socket, err)) return;
      if (err instanceof RpcCallError) {
        this.options.log.warn(`server.info failed: ${err.message}`);
        this.pollSoon(socket);
      }
    }
  }

  private async subscribe(socket: RpcSocket): Promise<void> {
    try {
      const reply = await socket.call('printer.objects.subscribe', subscribeParams(), ObjectsReply, CALL_TIMEOUT_MS);
      // Seed before anything else is awaited: diffs that follow the reply build on it.
      this.clearPoll();
      this.setView(socket, { klippy: 'ready', klippyMessage: '', objects: seedObjects(reply.status) });
      const info = await socket.call('printer.info', undefined, PrinterInfo, CALL_TIMEOUT_MS).catch(() => null);
      if (info?.software_version && info.software_version !== this.view.klipperVersion) this.setView(socket, { klipperVersion: info.software_version });
    } catch (err) {
      if (this.refusedAuth(socket, err)) return;
      // Klippy went away between server.info and subscribe (-32601/503): poll again.
      if (err instanceof RpcCallError) this.pollSoon(socket);
    }
  }

  private onNotification(socket: RpcSocket | null, method: string, params: unknown[]): void {
    if (socket === null || socket !== this.socket) return;
    switch (method) {
      case 'notify_status_update':
        if (this.view.klippy !== 'ready' && this.view.klippy !== 'shutdown') return;
        this.setView(socket, { objects: mergeObjects(this.view.objects, params[0]) });
        return;
      case 'notify_klippy_ready':
        this.clearPoll();
        void this.subscribe(socket);
        return;
      case 'notify_klippy_shutdown':
        this.setView(socket, { klippy: 'shutdown', klippyMessage: '' });
        void socket
          .call('printer.info', undefined, PrinterInfo, CALL_TIMEOUT_MS)
          .then((info) => this.setView(socket, { klippyMessage: info.state_message }))
          .catch(() => undefined);
        return;
      case 'notify_klippy_disconnected':
        // Moonraker has already thrown this socket's subscription away.
        this.setView(socket, { klippy: 'disconnected', klippyMessage: '', objects: {} });
        this.pollSoon(socket);
        return;
      default:
        this.events.notification(method, params);
    }
  }

  private onInvalid(reason: string): void {
    this.invalidFrames++;
    if (this.invalidFrames <= 5 || this.invalidFrames % 100 === 0) this.options.log.warn(`ignored a malformed Moonraker frame (${this.invalidFrames} so far): ${reason}`);
  }

  private setView(socket: RpcSocket, patch: Partial<SessionView>): void {
    if (socket !== this.socket) return;
    this.view = { ...this.view, ...patch };
    this.events.view(this.view);
  }

  private pollSoon(socket: RpcSocket): void {
    if (this.pollTimer !== null || socket !== this.socket) return;
    this.pollTimer = setTimeout(() => {
      this.pollTimer = null;
      void this.sync(socket);
    }, this.klippyPollMs);
  }

  private refusedAuth(socket: RpcSocket, err: unknown): boolean {
    if (!(err instanceof RpcCallError) || err.failure.kind !== 'unauthorized') return false;
    const message =
      this.options.apiKey === null
        ? 'Moonraker requires an API key: paste it in Settings → Connections (Mainsail/Fluidd show it under machine settings), or add this computer to trusted_clients.'
        : err.failure.message;
    this.socket = null;
    socket.close();
    this.clearTimers();
    this.view = { ...this.view, klippy: 'disconnected', objects: {} };
    this.events.authRefused(message, this.authRecheckMs);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connect();
    }, this.authRecheckMs);
    return true;
  }

  private clearPoll(): void {
    if (this.pollTimer) clearTimeout(this.pollTimer);
    this.pollTimer = null;
  }

  private clearTimers(): void {
    this.clearPoll();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }
}
