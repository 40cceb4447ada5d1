import http from 'node:http';
import type net from 'node:net';
import { WebSocketServer } from 'ws';
import { MAX_FRAME_BYTES } from '../../shared/rpc/wire';
import type { Hub } from '../hub';
import type { Logger } from '../log';
import { checkApiAccess, checkOrigin, isLoopbackHost, mintSession, newToken, parseRequestUrl, redactTarget, tokenRedirect, tokensEqual, WS_PROTOCOL } from './access';
import { securityHeaders, serveStatic } from './static-files';
import { serveWebSocketClient } from './ws-transport';

export interface HostOptions {
  hub: Hub;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  host?: string;
  port?: number;
  /** A fixed token (tests, scripted setups); a random one per run otherwise. */
  token?: string;
  log: Logger;
}

export interface RunningHost {
  url: string;
  /** The URL with the token in its fragment (never sent over the network): the one to print and open. */
  openUrl: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

export const DEFAULT_PORT = 7420;
export const WEBSOCKET_PATH = '/ws';
/** Where the page trades the master token (from its URL fragment) for a browser session. */
export const SESSION_PATH = '/session';

/**
 * The headless host: the built renderer over HTTP and the contract over WebSocket, behind a
 * per-run token. It listens on loopback unless told otherwise.
 */
export async function startHost(options: HostOptions): Promise<RunningHost> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? newToken();
  const log = options.log;
  const loopbackOnly = isLoopbackHost(host);
  let port = options.port ?? DEFAULT_PORT;

  const refuse = (req: http.IncomingMessage, status: number, reason: string): string => {
    log.warn(`refused ${req.method} ${redactTarget(req.url)} from ${req.socket.remoteAddress}: ${reason}`);
    return status === 401
      ? 'Printdeck: this page needs the access token. Open the URL the Printdeck host printed when it started.'
      : 'Printdeck: forbidden.';
  };

  const server = http.createServer((req, res) => {
    try {
      handleRequest(req, res);
    } catch (err) {
      log.error('request failed', err);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    }
  });

  const handleRequest = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    securityHeaders(res);
    const policy = { token, loopbackOnly };
    const url = parseRequestUrl(req.url);
    const decision = url?.pathname === SESSION_PATH ? checkApiAccess(req, policy) : checkOrigin(req, policy);
    if (!decision.allowed || !url) {
      const status = decision.allowed ? 400 : decision.status;
      res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(refuse(req, status, decision.allowed ? 'malformed request target' : decision.reason));
      return;
    }
    if (url.pathname === SESSION_PATH) {
      // Only the page itself trades the token: a browser always sends Origin on a POST, and the
      // answer is readable by this origin alone. Nothing is set that a browser would keep or resend.
      if (req.method !== 'POST' || req.headers.origin === undefined || decision.via !== 'bearer') {
        res.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end(refuse(req, 403, 'a session is only given to the page, by POST with a bearer token'));
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
      res.end(JSON.stringify({ session: mintSession(token) }));
      return;
    }
    const fromQuery = url.searchParams.get('token');
    if (fromQuery !== null) {
      if (!tokensEqual(fromQuery, token)) {
        res.writeHead(401, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end(refuse(req, 401, 'wrong token'));
        return;
      }
      // An old-style URL: move the token into the fragment, where the page picks it up and no server sees it again.
      res.writeHead(303, { Location: tokenRedirect(url, token) });
      res.end();
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    // The UI files are public: they hold no secret, and the page asks for the token itself.
    void serveStatic(options.rendererDir, url.pathname, res).catch((err: unknown) => {
      log.error('static file failed', err);
      if (!res.headersSent) res.writeHead(500).end();
    });
  };

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_FRAME_BYTES,
    // Never echo the session back; a browser that offered subprotocols needs one chosen.
    handleProtocols: (offered) => (offered.has(WS_PROTOCOL) ? WS_PROTOCOL : false),
  });
  server.on('upgrade', (req, socket: net.Socket, head) => {
    const url = parseRequestUrl(req.url);
    const decision = url?.pathname === WEBSOCKET_PATH ? checkApiAccess(req, { token, loopbackOnly }) : null;
    if (!decision || !decision.allowed) {
      const status = decision ? decision.status : 404;
      refuse(req, status, decision && !decision.allowed ? decision.reason : 'unknown path');
      socket.end(`HTTP/1.1 ${status} ${status === 401 ? 'Unauthorized' : status === 403 ? 'Forbidden' : 'Not Found'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      serveWebSocketClient(ws, options.hub.registrar, options.hub.events, log.child('ws'), req.socket.remoteAddress ?? '?');
    });
  });
  server.on('clientError', (_err, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as net.AddressInfo).port;
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const url = `http://${shownHost}:${port}/`;

  return {
    url,
    openUrl: `${url}#token=${encodeURIComponent(token)}`,
    port,
    token,
    async close() {
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
