import { randomBytes } from 'node:crypto';

/**
 * Who may talk to the simulated OctoPrint: API keys (user and application keys), login sessions
 * (in memory, so a restart makes them stale), and the Application Keys requests with their
 * 5-second poll timeout.
 */

export const SIM_USER = 'admin';
/** A pending request not polled for this long is dropped (the plugin's POLL_TIMEOUT). */
const POLL_TIMEOUT_MS = 5_000;

export interface AppKeyRequest {
  appToken: string;
  userToken: string;
  app: string;
  user: string | null;
  decision: boolean | null;
  lastPolledAt: number;
  createdAt: number;
}

const hex = (bytes: number): string => randomBytes(bytes).toString('hex').toUpperCase();

export class Accounts {
  private readonly keys = new Map<string, { user: string; app: string | null }>();
  private readonly sessions = new Map<string, string>();
  private readonly requests = new Map<string, AppKeyRequest>();

  constructor(
    initialKeys: readonly string[],
    /** Approve every new request after this many ms (tests, demo); null waits for a decision. */
    public autoApproveMs: number | null,
  ) {
    for (const key of initialKeys) this.keys.set(key, { user: SIM_USER, app: null });
  }

  userOfKey(key: string | null): string | null {
    if (key === null) return null;
    return this.keys.get(key)?.user ?? null;
  }

  addKey(key: string, app: string | null = null): void {
    this.keys.set(key, { user: SIM_USER, app });
  }

  revokeKey(key: string): boolean {
    return this.keys.delete(key);
  }

  revokeApp(app: string): boolean {
    let found = false;
    for (const [key, entry] of this.keys) {
      if (entry.app !== null && entry.app.toLowerCase() === app.toLowerCase()) {
        this.keys.delete(key);
        found = true;
      }
    }
    return found;
  }

  appKeys(): { app_id: string; user_id: string }[] {
    return [...this.keys.values()].filter((k) => k.app !== null).map((k) => ({ app_id: k.app ?? '', user_id: k.user }));
  }

  generateKey(app: string): string {
    for (const [key, entry] of this.keys) if (entry.app !== null && entry.app.toLowerCase() === app.toLowerCase()) return key;
    const key = hex(16);
    this.keys.set(key, { user: SIM_USER, app });
    return key;
  }

  login(user: string): string {
    const session = randomBytes(16).toString('hex');
    this.sessions.set(session, user);
    return session;
  }

  /** `name:session` from a socket `auth` message. */
  checkSocketAuth(auth: string): string | null {
    const at = auth.indexOf(':');
    if (at <= 0) return null;
    const name = auth.slice(0, at);
    const user = this.sessions.get(auth.slice(at + 1));
    return user === name ? user : null;
  }

  /** A server restart loses every session (they live in memory). */
  dropSessions(): void {
    this.sessions.clear();
  }

  request(app: string, user: string | null): AppKeyRequest {
    this.expire();
    const now = Date.now();
    const request: AppKeyRequest = { appToken: hex(16), userToken: hex(16), app, user, decision: null, lastPolledAt: now, createdAt: now };
    this.requests.set(request.appToken, request);
    if (this.autoApproveMs !== null) {
      const delay = this.autoApproveMs;
      setTimeout(() => {
        if (request.decision === null) request.decision = true;
      }, delay).unref();
    }
    return request;
  }

  /** Poll answer: 'pending', a key (handed out once), or null for denied/expired/unknown. */
  poll(appToken: string): 'pending' | { apiKey: string } | null {
    this.expire();
    const request = this.requests.get(appToken);
    if (!request) return null;
    request.lastPolledAt = Date.now();
    if (request.decision === null) return 'pending';
    this.requests.delete(appToken);
    if (!request.decision) return null;
    return { apiKey: this.generateKey(request.app) };
  }

  decide(userToken: string, decision: boolean): boolean {
    for (const request of this.requests.values()) {
      if (request.userToken === userToken) {
        request.decision = decision;
        return true;
      }
    }
    return false;
  }

  decideByAppToken(appToken: string, decision: boolean): boolean {
    const request = this.requests.get(appToken);
    if (!request) return false;
    request.decision = decision;
    return true;
  }

  /** Every undecided request (for tests and the demo's "approve all"). */
  decideAll(decision: boolean): number {
    let count = 0;
    for (const request of this.requests.values()) {
      if (request.decision === null) {
        request.decision = decision;
        count++;
      }
    }
    return count;
  }

  pending(): Record<string, { app_id: string; user_id: string | null; user_token: string; remote_address: string }> {
    this.expire();
    const out: Record<string, { app_id: string; user_id: string | null; user_token: string; remote_address: string }> = {};
    for (const r of this.requests.values()) {
      if (r.decision === null) out[r.userToken] = { app_id: r.app, user_id: r.user, user_token: r.userToken, remote_address: '127.0.0.1' };
    }
    return out;
  }

  private expire(): void {
    const now = Date.now();
    for (const [token, r] of this.requests) if (now - r.lastPolledAt > POLL_TIMEOUT_MS) this.requests.delete(token);
  }
}
