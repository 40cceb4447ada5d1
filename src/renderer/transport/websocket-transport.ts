import { Listeners, stepDelay } from '../../shared/async';
import type { ClientTransport, LinkStatus } from '../../shared/rpc/client';
import { ServerFrame, type EventItem } from '../../shared/rpc/wire';

export interface WebSocketTransportOptions {
  url: string;
  /** Subprotocols to offer: a browser's session travels here, never in a cookie or the URL. */
  protocols?: string[];
  /** How long a call may wait for its answer before it fails locally. */
  callTimeoutMs?: number;
  WebSocketImpl?: typeof WebSocket;
}

const BACKOFF_MS = [250, 500, 1000, 2000, 5000];

/**
 * The contract over the headless host's WebSocket, for the browser. Reconnects with back-off
 * for as long as the page is open; calls made while disconnected fail at once with a clear error.
 */
export function createWebSocketTransport(options: WebSocketTransportOptions): ClientTransport & { close(): void } {
  const Impl = options.WebSocketImpl ?? WebSocket;
  const callTimeoutMs = options.callTimeoutMs ?? 65_000;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: ReturnType<typeof setTimeout> }>();
  const reportListenerError = (err: unknown): void => console.error('a Printdeck listener failed:', err);
  const eventListeners = new Listeners<[readonly EventItem[]]>(reportListenerError);
  const statusListeners = new Listeners<[LinkStatus]>(reportListenerError);
  let status: LinkStatus = 'connecting';
  let socket: WebSocket | null = null;
  let nextId = 1;
  let attempt = 0;
  let closed = false;
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null;

  const setStatus = (s: LinkStatus): void => {
    if (s === status) return;
    status = s;
    statusListeners.emit(s);
  };

  const failPending = (message: string): void => {
    for (const [id, p] of pending) {
      clearTimeout(p.timer);
      p.reject(new Error(message));
      pending.delete(id);
    }
  };

  const connect = (): void => {
    if (closed) return;
    setStatus('connecting');
    const ws = options.protocols ? new Impl(options.url, options.protocols) : new Impl(options.url);
    socket = ws;
    ws.onmessage = (msg) => {
      let frame;
      try {
        frame = ServerFrame.safeParse(JSON.parse(String(msg.data)));
      } catch {
        return;
      }
      if (!frame.success) return;
      const f = frame.data;
      if (f.t === 'hello') {
        attempt = 0;
        setStatus('open');
      } else if (f.t === 'result') {
        const p = pending.get(f.id);
        if (!p) return;
        pending.delete(f.id);
        clearTimeout(p.timer);
        p.resolve(f.result);
      } else if (f.t === 'events') {
        eventListeners.emit(f.events);
      } else if (f.t === 'error') {
        console.warn('printdeck host refused a frame:', f.error.message);
      }
    };
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = null;
      failPending('The connection to the Printdeck host was lost.');
      setStatus('closed');
      if (closed) return;
      const delay = stepDelay(BACKOFF_MS, attempt, 5000);
      attempt += 1;
      reconnectTimer = setTimeout(connect, delay);
    };
  };

  connect();

  return {
    request(method, payload) {
      if (!socket || status !== 'open') {
        return Promise.reject(new Error('Not connected to the Printdeck host; reconnecting…'));
      }
      const id = nextId++;
      const ws = socket;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`${method} got no answer in ${Math.round(callTimeoutMs / 1000)} s.`));
        }, callTimeoutMs);
        pending.set(id, { resolve, reject, timer });
        ws.send(JSON.stringify({ t: 'call', id, method, payload }));
      });
    },
    onEvents(listener) {
      return eventListeners.add(listener);
    },
    onStatus(listener) {
      return statusListeners.add(listener);
    },
    status: () => status,
    close() {
      closed = true;
      if (reconnectTimer) clearTimeout(reconnectTimer);
      socket?.close();
      failPending('Closed.');
    },
  };
}
