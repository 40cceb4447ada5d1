import { backoffDelay, jittered } from '../../../shared/async';
import type { Logger } from '../../log';
import type { OctoPrintApi } from './octoprint-api';
import { authMessage, decodePushMessage, throttleMessage, type PushMessage } from './protocol';
import type { PushConnector, PushLink } from './push-socket';

/**
 * Keeps one authenticated push socket open: passive login -> SockJS -> `auth name:session` ->
 * `throttle`. On close, silence or `reauthRequired` it starts over with a fresh passive login
 * (sessions go stale and vanish on a server restart [verified]), after a growing back-off.
 * A key the server refuses ends the loop until `recheckAfterMs`, so a revoked key does not
 * hammer the server.
 */

export interface PushSessionOptions {
  api: OctoPrintApi;
  baseUrl: string;
  connector: PushConnector;
  log: Logger;
  backoffInitialMs?: number;
  backoffMaxMs?: number;
  /** Without a frame or heartbeat for this long the link is considered dead (SockJS beats every 25 s). */
  silenceMs?: number;
  /** Throttle factor sent after auth: `current` at most every factor × 500 ms. */
  throttle?: number;
  /** The first attempt waits a random part of this, so a fleet starting together does not storm. */
  startJitterMs?: number;
}

export interface PushSessionEvents {
  /** Trying to (re)connect; `attempt` counts failures since the last good link. */
  connecting(attempt: number): void;
  /** Authenticated: the server's version as seen on login. */
  online(serverVersion: string): void;
  message(message: PushMessage): void;
  /** The link failed; a retry follows after `retryInMs`. */
  offline(reason: string, retryInMs: number): void;
  /** The key is refused (403 on GET / 400 CSRF on POST). */
  keyRejected(): void;
}

const isKeyRejected = (err: unknown): boolean =>
  typeof err === 'object' && err !== null && 'detail' in err && (err as { detail?: unknown }).detail === 'octoprint.keyInvalid';

export class PushSession {
  private generation = 0;
  private link: PushLink | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private silenceTimer: NodeJS.Timeout | null = null;
  private failures = 0;
  private running = false;
  private readonly backoffInitialMs: number;
  private readonly backoffMaxMs: number;
  private readonly silenceMs: number;

  constructor(
    private readonly options: PushSessionOptions,
    private readonly events: PushSessionEvents,
  ) {
    this.backoffInitialMs = options.backoffInitialMs ?? 1_000;
    this.backoffMaxMs = options.backoffMaxMs ?? 30_000;
    this.silenceMs = options.silenceMs ?? 60_000;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    // Full jitter: servers added together (a restart of Printdeck) do not all connect at once.
    const wait = jittered(this.options.startJitterMs ?? 500, 'full');
    this.retryTimer = setTimeout(() => void this.connect(), wait);
  }

  stop(): void {
    this.running = false;
    this.generation++;
    this.clearTimers();
    this.link?.close();
    this.link = null;
  }

  /** Starts over at once (e.g. the key changed or a REST call found the session gone). */
  reconnectNow(): void {
    if (!this.running) return;
    this.tearDown();
    void this.connect();
  }

  /** Tries again after `ms` (used after a refused key, much later than a normal retry). */
  retryAfter(ms: number): void {
    this.tearDown();
    if (!this.running) return;
    this.retryTimer = setTimeout(() => void this.connect(), ms);
    this.retryTimer.unref?.();
  }

  private tearDown(): void {
    this.generation++;
    this.clearTimers();
    this.link?.close();
    this.link = null;
  }

  private clearTimers(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.silenceTimer) clearTimeout(this.silenceTimer);
    this.retryTimer = null;
    this.silenceTimer = null;
  }

  private async connect(): Promise<void> {
    const gen = ++this.generation;
    this.clearTimers();
    this.events.connecting(this.failures);
    let version: string;
    let credentials: { name: string; session: string };
    try {
      // The version check costs one GET and tells a refused key (403) from a dead server.
      version = (await this.options.api.version()).server;
      credentials = await this.options.api.passiveLogin();
    } catch (err) {
      if (gen !== this.generation || !this.running) return;
      if (isKeyRejected(err)) {
        this.events.keyRejected();
        return;
      }
      this.fail(gen, err instanceof Error ? err.message : String(err));
      return;
    }
    if (gen !== this.generation || !this.running) return;
    let authed = false;
    const link = this.options.connector(`${this.options.baseUrl}/sockjs`, {
      onOpen: () => {
        if (gen !== this.generation) return;
        link.send(authMessage(credentials));
        link.send(throttleMessage(this.options.throttle ?? 1));
        this.armSilence(gen);
      },
      onActivity: () => {
        if (gen === this.generation) this.armSilence(gen);
      },
      onMessage: (raw) => {
        if (gen !== this.generation) return;
        const message = decodePushMessage(raw);
        if (message.type === 'reauthRequired') {
          // Stale session (e.g. the server restarted): log in again and re-auth.
          this.options.log.info(`push socket asks to re-authenticate (${message.payload.reason.slice(0, 40)})`);
          this.fail(gen, 'OctoPrint asked to log in again', authed ? 0 : undefined);
          return;
        }
        if (!authed && (message.type === 'history' || message.type === 'current')) {
          authed = true;
          this.failures = 0;
          this.events.online(version);
        }
        this.events.message(message);
      },
      onClose: (code) => {
        if (gen !== this.generation) return;
        this.fail(gen, `The push connection closed (code ${code}).`);
      },
    });
    this.link = link;
  }

  private armSilence(gen: number): void {
    if (this.silenceTimer) clearTimeout(this.silenceTimer);
    this.silenceTimer = setTimeout(() => {
      if (gen === this.generation) this.fail(gen, 'OctoPrint went silent.');
    }, this.silenceMs);
    this.silenceTimer.unref?.();
  }

  /** Schedules the next attempt; `delayMs` overrides the back-off (0 = at once). */
  private fail(gen: number, reason: string, delayMs?: number): void {
    if (gen !== this.generation || !this.running) return;
    this.tearDown();
    this.failures++;
    // ±20 %: a server's clients that lost it together come back spread out.
    const policy = { baseMs: this.backoffInitialMs, maxMs: this.backoffMaxMs, jitter: { spread: 0.2 } } as const;
    const wait = delayMs ?? backoffDelay(Math.min(this.failures - 1, 10), policy);
    this.events.offline(reason, wait);
    this.retryTimer = setTimeout(() => void this.connect(), wait);
    this.retryTimer.unref?.();
  }
}
