import SockJS from 'sockjs-client';
import { encodeClientMessage, type ClientMessage } from './protocol';

/**
 * The push socket's transport: one SockJS connection to `<base>/sockjs`, in the main process
 * (Node sends no Origin header, so OctoPrint's origin check lets it in [verified]). It only moves
 * frames; the session (login, auth, reconnects) lives in `push-session.ts`.
 */

export interface PushHandlers {
  onOpen(): void;
  /** A frame: the parsed object from sockjs-client, or text. Not validated yet. */
  onMessage(raw: unknown): void;
  onClose(code: number, reason: string): void;
  /** Heartbeats and frames: the link is alive. */
  onActivity(): void;
}

export interface PushLink {
  send(message: ClientMessage): void;
  close(): void;
}

export type PushConnector = (url: string, handlers: PushHandlers) => PushLink;

/** sockjs-client has no reconnect of its own; a closed link is done and a new one is made. */
export const sockjsConnector: PushConnector = (url, handlers) => {
  let closed = false;
  const socket = new SockJS(url, undefined, { transports: ['websocket', 'xhr-streaming', 'xhr-polling'], timeout: 10_000 });
  socket.onopen = () => {
    if (!closed) handlers.onOpen();
  };
  socket.onmessage = (event: MessageEvent) => {
    if (closed) return;
    handlers.onActivity();
    handlers.onMessage(event.data as unknown);
  };
  socket.onclose = (event: CloseEvent) => {
    if (closed) return;
    closed = true;
    handlers.onClose(event.code, event.reason);
  };
  socket.addEventListener('heartbeat', () => {
    if (!closed) handlers.onActivity();
  });
  return {
    send(message) {
      if (!closed && socket.readyState === SockJS.OPEN) socket.send(encodeClientMessage(message));
    },
    close() {
      if (closed) return;
      closed = true;
      try {
        socket.close();
      } catch {
        // Closing a socket that never opened can throw in sockjs-client; it is gone either way.
      }
    },
  };
};
