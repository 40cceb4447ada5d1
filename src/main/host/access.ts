import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import net from 'node:net';

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

export function tokensEqual(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The WebSocket subprotocol the host speaks; a browser offers it next to its session. */
export const WS_PROTOCOL = 'printdeck.v1';
/** A browser presents its session as a second subprotocol, `printdeck.session.<secret>`. */
export const SESSION_PROTOCOL_PREFIX = 'printdeck.session.';

const SESSION_LABEL = 'printdeck browser session v1:';

/**
 * A per-browser session secret, minted once when the page trades the master token for it:
 * a random nonce and its HMAC under the token. It is not the token, so a leak of what a browser
 * holds does not give the master token away; it is checked without state, so it outlives a
 * host restart with the same token and dies with a new one.
 */
export function mintSession(token: string): string {
  const nonce = randomBytes(18).toString('base64url');
  return `${nonce}.${sessionMac(token, nonce)}`;
}

export function sessionValid(session: string, token: string): boolean {
  const dot = session.indexOf('.');
  if (dot <= 0) return false;
  return tokensEqual(session.slice(dot + 1), sessionMac(token, session.slice(0, dot)));
}

function sessionMac(token: string, nonce: string): string {
  return createHmac('sha256', token).update(SESSION_LABEL + nonce).digest('base64url');
}

const LOOPBACK = new Set(['localhost', '[::1]', '::1']);

/** Loopback by name or address; `127.attacker.example` is a DNS name, not loopback. */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.has(host) || (net.isIPv4(host) && host.startsWith('127.'));
}

export interface AccessPolicy {
  token: string;
  /** True when the host listens only on loopback; then the Host header must name loopback too (DNS rebinding). */
  loopbackOnly: boolean;
}

export type AccessDecision =
  | { allowed: true; via: 'query' | 'bearer' | 'session' | 'public' }
  | { allowed: false; status: 400 | 401 | 403; reason: string };

/** The request target as a URL, or null when a client sent something unparseable (never throws). */
export function parseRequestUrl(raw: string | undefined): URL | null {
  try {
    return new URL(raw ?? '/', 'http://placeholder');
  } catch {
    return null;
  }
}

/**
 * Host and Origin checks, for every request: a page of another site (Origin) or a DNS name
 * rebound to loopback (Host) gets nothing, not even the public UI files.
 */
export function checkOrigin(req: IncomingMessage, policy: AccessPolicy): AccessDecision {
  const hostHeader = req.headers.host ?? '';
  const hostname = hostnameOf(hostHeader);
  if (!hostname) return { allowed: false, status: 403, reason: 'missing Host header' };
  if (policy.loopbackOnly && !isLoopbackHost(hostname)) {
    return { allowed: false, status: 403, reason: `Host "${hostHeader}" is not loopback` };
  }
  const origin = req.headers.origin;
  if (origin !== undefined && !sameOrigin(origin, hostHeader)) {
    return { allowed: false, status: 403, reason: `Origin "${origin}" does not match host "${hostHeader}"` };
  }
  if (!parseRequestUrl(req.url)) return { allowed: false, status: 400, reason: 'malformed request target' };
  return { allowed: true, via: 'public' };
}

/**
 * Access to the API (the WebSocket, the session exchange). Two credentials open it:
 * - the master token, as `Authorization: Bearer` or `?token=` (scripts; never stored by a browser);
 * - a browser session, only as a WebSocket subprotocol on an upgrade whose Origin is this host.
 *   A session given as a bearer header or in the query is refused like any wrong token.
 */
export function checkApiAccess(req: IncomingMessage, policy: AccessPolicy): AccessDecision {
  const origin = checkOrigin(req, policy);
  if (!origin.allowed) return origin;
  const url = parseRequestUrl(req.url)!;
  const fromQuery = url.searchParams.get('token');
  if (fromQuery !== null && tokensEqual(fromQuery, policy.token)) return { allowed: true, via: 'query' };
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ') && tokensEqual(auth.slice(7).trim(), policy.token)) return { allowed: true, via: 'bearer' };
  const session = sessionOffered(req);
  if (session !== null && req.headers.origin !== undefined && sessionValid(session, policy.token)) return { allowed: true, via: 'session' };
  return { allowed: false, status: 401, reason: fromQuery !== null || auth || session !== null ? 'wrong token' : 'no token' };
}

function sessionOffered(req: IncomingMessage): string | null {
  const header = req.headers['sec-websocket-protocol'];
  if (typeof header !== 'string') return null;
  for (const p of header.split(',')) {
    const name = p.trim();
    if (name.startsWith(SESSION_PROTOCOL_PREFIX)) return name.slice(SESSION_PROTOCOL_PREFIX.length);
  }
  return null;
}

function sameOrigin(origin: string, hostHeader: string): boolean {
  return origin === `http://${hostHeader}` || origin === `https://${hostHeader}`;
}

function hostnameOf(hostHeader: string): string | null {
  try {
    return new URL(`http://${hostHeader}`).hostname;
  } catch {
    return null;
  }
}

/** A request target fit for a log line: every query value is replaced, whatever its key spells. */
export function redactTarget(raw: string | undefined): string {
  const target = (raw ?? '').slice(0, 2048);
  const q = target.indexOf('?');
  if (q < 0) return target;
  const params = target
    .slice(q + 1)
    .split(/[&;]/)
    .map((part) => {
      const eq = part.indexOf('=');
      return eq < 0 ? '…' : `${part.slice(0, Math.min(eq, 64))}=…`;
    });
  return `${target.slice(0, q)}?${params.join('&')}`;
}

/**
 * Where a page request that carried `?token=` is sent: the same path on this host, with the
 * token moved into the fragment (which browsers never send). Leading slashes and backslashes
 * collapse to one, so `//evil.example/` can never become a network-path reference.
 */
export function tokenRedirect(url: URL, token: string): string {
  const rest = new URLSearchParams(url.search);
  rest.delete('token');
  const search = rest.size ? `?${rest.toString()}` : '';
  const pathname = '/' + url.pathname.replace(/^[/\\]+/, '');
  return `${pathname}${search}#token=${encodeURIComponent(token)}`;
}
