import { randomBytes, timingSafeEqual } from 'node:crypto';
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

export function cookieName(port: number): string {
  // Cookies are shared across ports of one host, so each host instance names its own.
  return `printdeck_token_${port}`;
}

const LOOPBACK = new Set(['localhost', '[::1]', '::1']);

/** Loopback by name or address; `127.attacker.example` is a DNS name, not loopback. */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.has(host) || (net.isIPv4(host) && host.startsWith('127.'));
}

export interface AccessPolicy {
  token: string;
  port: number;
  /** True when the host listens only on loopback; then the Host header must name loopback too (DNS rebinding). */
  loopbackOnly: boolean;
}

export type AccessDecision =
  | { allowed: true; via: 'query' | 'cookie' | 'bearer' }
  | { allowed: false; status: 400 | 401 | 403; reason: string };

/** The request target as a URL, or null when a client sent something unparseable (never throws). */
export function parseRequestUrl(raw: string | undefined): URL | null {
  try {
    return new URL(raw ?? '/', 'http://placeholder');
  } catch {
    return null;
  }
}

/** Decides whether a request (page, asset or WebSocket upgrade) may proceed. */
export function checkAccess(req: IncomingMessage, policy: AccessPolicy): AccessDecision {
  const hostHeader = req.headers.host ?? '';
  const hostname = hostnameOf(hostHeader);
  if (!hostname) return { allowed: false, status: 403, reason: 'missing Host header' };
  if (policy.loopbackOnly && !isLoopbackHost(hostname)) {
    return { allowed: false, status: 403, reason: `Host "${hostHeader}" is not loopback` };
  }
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://${hostHeader}` && origin !== `https://${hostHeader}`) {
    return { allowed: false, status: 403, reason: `Origin "${origin}" does not match host "${hostHeader}"` };
  }
  const url = parseRequestUrl(req.url);
  if (!url) return { allowed: false, status: 400, reason: 'malformed request target' };
  const fromQuery = url.searchParams.get('token');
  if (fromQuery !== null && tokensEqual(fromQuery, policy.token)) return { allowed: true, via: 'query' };
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ') && tokensEqual(auth.slice(7).trim(), policy.token)) return { allowed: true, via: 'bearer' };
  const cookie = readCookie(req.headers.cookie, cookieName(policy.port));
  if (cookie !== null && tokensEqual(cookie, policy.token)) return { allowed: true, via: 'cookie' };
  return { allowed: false, status: 401, reason: fromQuery !== null || auth || cookie ? 'wrong token' : 'no token' };
}

function hostnameOf(hostHeader: string): string | null {
  try {
    return new URL(`http://${hostHeader}`).hostname;
  } catch {
    return null;
  }
}

export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      return null; // a malformed cookie is no token, not a crash
    }
  }
  return null;
}
