/** Must match the host (src/main/host/access.ts); the renderer imports nothing from main. */
export const WS_PROTOCOL = 'printdeck.v1';
const SESSION_PROTOCOL_PREFIX = 'printdeck.session.';
const STORAGE_KEY = 'printdeck.session';

export interface BrowserSessionEnv {
  location: { readonly hash: string; readonly pathname: string; readonly search: string };
  history: { replaceState(data: unknown, unused: string, url: string): void };
  fetch: (url: string, init: { method: 'POST'; headers: Record<string, string>; cache: 'no-store' }) => Promise<{ ok: boolean; json(): Promise<unknown> }>;
  /** Per tab and per origin (the port included), never sent anywhere by the browser; lets a reload keep its session. */
  storage: { getItem(key: string): string | null; setItem(key: string, value: string): void; removeItem(key: string): void } | null;
}

/**
 * What the page holds instead of the master token. The printed URL carries the token in its
 * fragment, which browsers never send; the page takes it out of the address bar at once, trades
 * it once for a per-browser session (POST /session), and forgets it. The session works only as a
 * WebSocket subprotocol from this origin: never as a cookie, never as a bearer token.
 * Returns null when the page was opened without a token and holds no session.
 */
export async function obtainSession(env: BrowserSessionEnv): Promise<string | null> {
  const fragment = new URLSearchParams(env.location.hash.replace(/^#/, ''));
  const token = fragment.get('token');
  if (token !== null) {
    env.history.replaceState(null, '', `${env.location.pathname}${env.location.search}`);
    const res = await env.fetch('/session', { method: 'POST', headers: { Authorization: `Bearer ${token}` }, cache: 'no-store' });
    if (!res.ok) {
      env.storage?.removeItem(STORAGE_KEY);
      return null;
    }
    const body = (await res.json()) as { session?: unknown };
    if (typeof body.session !== 'string') return null;
    env.storage?.setItem(STORAGE_KEY, body.session);
    return body.session;
  }
  return env.storage?.getItem(STORAGE_KEY) ?? null;
}

/** The subprotocols a browser offers on the WebSocket: ours, then its session. */
export function sessionProtocols(session: string): string[] {
  return [WS_PROTOCOL, SESSION_PROTOCOL_PREFIX + session];
}
