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

let nextClient = 1;

/** Serves the contract to one WebSocket client: calls in, results and event batches out. */
export function serveWebSocketClient(ws: WebSocket, registrar: Registrar, events: EventHub, log: Logger, remote: string): void {
  const clientId = `ws-${nextClient++}`;
  let inFlight = 0;
  let protocolErrors = 0;
  let alive = true;

  const send = (frame: ServerFrame): void => {
    if (ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      log.warn(`${clientId} (${remote}) does not read its replies; closing it`);
      ws.close(4008, 'too slow');
      return;
    }
    ws.send(JSON.stringify(frame));
  };

  const removeSink = events.addSink({
    deliver(batch) {
      if (ws.readyState !== ws.OPEN) return;
      if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
        log.warn(`${clientId} (${remote}) is too slow to read events; closing it`);
        ws.close(4008, 'too slow');
        return;
      }
      send({ t: 'events', events: [...batch] });
    },
  });

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
      ws.close(1008, 'too many malformed frames');
    }
  };

  ws.on('pong', () => {
    alive = true;
  });

  ws.on('message', (data, isBinary) => {
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
      .dispatch(method, payload, { transport: 'websocket', clientId })
      .then((result) => send({ t: 'result', id, result }))
      .finally(() => {
        inFlight -= 1;
      });
  });

  ws.on('close', () => {
    clearInterval(heartbeat);
    removeSink();
  });
  ws.on('error', (err) => log.debug(`${clientId} socket error`, err.message));

  send({ t: 'hello', protocol: 1, server: 'printdeck' });
}
