// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { obtainSession, sessionProtocols } from '../../../src/renderer/transport/browser-session';

const TOKEN = 'master-token-0123456789';

function env(hash: string, answer: { status: number; body?: unknown } = { status: 200, body: { session: 'nonce.mac' } }) {
  const loc = { hash, pathname: '/', search: '' };
  const history = { replaceState: vi.fn((_s: unknown, _t: string, url: string) => Object.assign(loc, { hash: new URL(url, 'http://h').hash })) };
  const fetch = vi.fn(async () => new Response(JSON.stringify(answer.body ?? {}), { status: answer.status }));
  const store = new Map<string, string>();
  const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v), removeItem: (k: string) => void store.delete(k) };
  return { loc, history, fetch, store, storage, session: () => obtainSession({ location: loc, history, fetch: fetch as unknown as typeof globalThis.fetch, storage }) };
}

describe('what a browser holds', () => {
  it('takes the token out of the address bar, trades it once for a session, and keeps only the session', async () => {
    const e = env(`#token=${TOKEN}`);
    expect(await e.session()).toBe('nonce.mac');
    expect(e.history.replaceState).toHaveBeenCalledWith(null, '', '/');
    expect(e.loc.hash).toBe('');
    expect(e.fetch).toHaveBeenCalledWith('/session', expect.objectContaining({ method: 'POST', headers: { Authorization: `Bearer ${TOKEN}` } }));
    expect([...e.store.values()]).toEqual(['nonce.mac']);
    expect(JSON.stringify([...e.store.entries()])).not.toContain(TOKEN);
    expect(document.cookie).toBe('');
    // A reload of the same tab finds its session, without the token.
    expect(await e.session()).toBe('nonce.mac');
    expect(e.fetch).toHaveBeenCalledTimes(1);
  });

  it('holds nothing when opened without a token or with a wrong one', async () => {
    expect(await env('').session()).toBeNull();
    const wrong = env('#token=nope', { status: 401 });
    expect(await wrong.session()).toBeNull();
    expect(wrong.store.size).toBe(0);
  });

  it('offers the session as a subprotocol next to the protocol name', () => {
    expect(sessionProtocols('n.m')).toEqual(['printdeck.v1', 'printdeck.session.n.m']);
  });
});
