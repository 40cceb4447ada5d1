import type { WebSocket } from 'ws';
import { CallFrame, type ServerFrame } from '../../shared/rpc/wire';
import type { EventHub } from '../events/event-hub';
import type { Logger } from '../log';
import type { Registrar } from '../rpc/registrar';

const MAX_IN_FLIGHT = 64;
const MAX_PROTOCOL_ERRORS = 20;
/** A client this far behind on events is closed; it reconnects and re-reads state instead of lagging forever. */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;
const HEARTBEAT_MS = 30_000;
/** How long a client being closed for not reading gets to take its close frame before the socket is cut. */
const CLOSE_GRACE_MS = 2_000;

let nextClient = 1;

/** Serves the contract to one WebSocket client: calls in, results and event batches out. */
export function serveWebSocketClient(ws: WebSocket, registrar: Registrar, events: EventHub, log: Logger, remote: string): void {
  const clientId = `ws-${nextClient++}`;
  let inFlight = 0;
  let protocolErrors = 0;
  let alive = true;
  let closing = false;
  // Aborted once this client is being closed or is gone: its in-flight calls stop, what it staged is freed.
  const gone = new AbortController();
  let removeSink = (): void => undefined;

  /**
   * Stops all work for this client at once: no more frames read, no replies queued, calls
   * aborted, events no longer delivered; a client that does not take its close frame is cut off.
   */
  const shutDown = (code: number, reason: string): void => {
    if (closing) return;
    closing = true;
    gone.abort();
    removeSink();
    ws.pause();
    ws.close(code, reason);
    setTimeout(() => ws.terminate(), CLOSE_GRACE_MS).unref();
  };

  const send = (frame: ServerFrame): void => {
    if (closing || ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      log.warn(`${clientId} (${remote}) does not read what it is sent; closing it`);
      shutDown(4008, 'too slow');
      return;
    }
    ws.send(JSON.stringify(frame));
  };

  removeSink = events.addSink({
    deliver(batch) {
      send({ t: 'events', events: [...batch] });
    },
  }, clientId);

  const heartbeat = setInterval(() => {
    if (!alive) {
      ws.terminate();
      return;
    }
    alive = false;
    ws.ping();
  }, HEARTBEAT_MS);
  heartbeat.unref();

  const protocolError = (message: string): void => {
    protocolErrors += 1;
    send({ t: 'error', error: { code: 'BAD_REQUEST', message } });
    if (protocolErrors >= MAX_PROTOCOL_ERRORS) {
      log.warn(`${clientId} (${remote}) sent ${protocolErrors} malformed frames; closing it`);
      shutDown(1008, 'too many malformed frames');
    }
  };

  ws.on('pong', () => {
    alive = true;
  });

  ws.on('message', (data, isBinary) => {
    if (closing) return;
    if (isBinary) {
      protocolError('Frames must be JSON text.');
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(data.toString());
    } catch {
      protocolError('Frame is not valid JSON.');
      return;
    }
    const frame = CallFrame.safeParse(json);
    if (!frame.success) {
      protocolError('Frame is not a call: expected {"t":"call","id":<number>,"method":<string>,"payload":{…}}.');
      return;
    }
    const { id, method, payload } = frame.data;
    if (inFlight >= MAX_IN_FLIGHT) {
      send({ t: 'result', id, result: { ok: false, error: { code: 'UNAVAILABLE', message: `More than ${MAX_IN_FLIGHT} calls in flight; wait for some to finish.` } } });
      return;
    }
    inFlight += 1;
    void registrar
      .dispatch(method, payload, { transport: 'websocket', clientId, signal: gone.signal })
      .then((result) => send({ t: 'result', id, result }))
      .finally(() => {
        inFlight -= 1;
      });
  });

  ws.on('close', () => {
    clearInterval(heartbeat);
    closing = true;
    gone.abort();
    removeSink();
  });
  ws.on('error', (err) => log.debug(`${clientId} socket error`, err.message));

  send({ t: 'hello', protocol: 1, server: 'printdeck' });
}
