import { Listeners } from '../../shared/async';
import type { CloudAccountState } from '../../shared/contract';
import type { Logger } from '../log';
import type { SecretStore } from '../store/secrets';
import type { ArmoryApi } from './armory/armory-api';
import { ArmoryError } from './armory/errors';
import { parseStoredTokens, refreshDelayMs, refreshRetryDelayMs, timerDelay, tokensFrom, type StoredTokens } from './tokens';

export const tokensSecretId = (connectionId: string): string => `connection:${connectionId}:tokens`;

export interface SessionDeps {
  connectionId: string;
  api: ArmoryApi;
  secrets: SecretStore;
  log: Logger;
  now?: () => number;
}

type Listener = () => void;

/**
 * One account's sign-in: password, then (when the cloud asks) the emailed code; tokens kept as
 * a secret; a refresh scheduled before expiry; and, when the cloud refuses to renew (the real
 * one answers 401), the `expired` state that asks the user to sign in again. Calls made through
 * `authed` refresh once on UNAUTHENTICATED and retry.
 */
export class CloudSession {
  private tokens: StoredTokens | null = null;
  private pendingAccount: string | null = null;
  private stateValue: CloudAccountState = 'signed-out';
  private messageValue: string | null = null;
  private timer: NodeJS.Timeout | null = null;
  private refreshing: Promise<void> | null = null;
  private refreshAttempts = 0;
  private disposed = false;
  private readonly listeners: Listeners<[]>;
  private readonly now: () => number;

  constructor(private readonly deps: SessionDeps) {
    this.now = deps.now ?? Date.now;
    this.listeners = new Listeners((err) => deps.log.error('cloud session listener failed', err));
  }

  get state(): CloudAccountState {
    return this.stateValue;
  }
  get message(): string | null {
    return this.messageValue;
  }
  get expiresAt(): number | null {
    return this.stateValue === 'signed-in' ? (this.tokens?.expiresAt ?? null) : null;
  }
  get account(): string | null {
    return this.tokens?.account ?? this.pendingAccount;
  }

  onChange(listener: Listener): () => void {
    return this.listeners.add(listener);
  }

  /** Restores the stored sign-in, if any. A token already past its expiry gets one refresh attempt. */
  load(): void {
    const stored = parseStoredTokens(this.deps.secrets.get(tokensSecretId(this.deps.connectionId)));
    if (!stored) return;
    this.tokens = stored;
    this.set('signed-in', null);
    this.schedule();
  }

  async signIn(account: string, password: string): Promise<void> {
    const res = await this.deps.api.login(account, { password });
    if (res.accessToken) {
      this.accept(res, account);
      return;
    }
    if (res.loginType === 'verifyCode') {
      this.pendingAccount = account;
      this.set('code-required', `We sent a verification code to ${account}. Enter it to finish signing in.`);
      return;
    }
    if (res.loginType === 'tfa') {
      throw new ArmoryError('refused', 'UNSUPPORTED', 'This account uses two-factor (authenticator app) sign-in, which Armory cannot relay. Use email code sign-in for it.');
    }
    throw new ArmoryError('other', 'UNAVAILABLE', `The cloud answered the sign-in without a token (login type "${res.loginType.slice(0, 40)}").`);
  }

  async submitCode(code: string): Promise<void> {
    const account = this.pendingAccount;
    if (this.stateValue !== 'code-required' || !account) {
      throw new ArmoryError('refused', 'CONFLICT', 'No sign-in is waiting for a code; sign in with the password first.');
    }
    try {
      const res = await this.deps.api.login(account, { code });
      if (!res.accessToken) throw new ArmoryError('other', 'UNAVAILABLE', 'The cloud accepted the code but sent no token.');
      this.accept(res, account);
    } catch (err) {
      if (err instanceof ArmoryError && err.failure === 'code-expired') {
        this.pendingAccount = null;
        this.set('signed-out', err.message);
      }
      throw err;
    }
  }

  signOut(message: string | null = null): void {
    this.clearTimer();
    this.tokens = null;
    this.pendingAccount = null;
    this.deps.secrets.delete(tokensSecretId(this.deps.connectionId));
    this.set('signed-out', message);
  }

  /** Runs `fn` with the access token; on UNAUTHENTICATED renews the token once and runs it again. */
  async authed<T>(fn: (accessToken: string) => Promise<T>): Promise<T> {
    let tokens = this.requireTokens();
    if (tokens.expiresAt <= this.now()) {
      await this.refresh();
      tokens = this.requireTokens();
    }
    try {
      return await fn(tokens.accessToken);
    } catch (err) {
      if (!(err instanceof ArmoryError) || err.failure !== 'unauthenticated') throw err;
      await this.refresh();
      try {
        return await fn(this.requireTokens().accessToken);
      } catch (again) {
        if (again instanceof ArmoryError && again.failure === 'unauthenticated') this.expire('The cloud no longer accepts this sign-in.');
        throw again;
      }
    }
  }

  /** Renews the tokens now (one renewal at a time). A refusal moves the account to `expired`. */
  refresh(): Promise<void> {
    this.refreshing ??= this.doRefresh().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  dispose(): void {
    this.disposed = true;
    this.clearTimer();
    this.listeners.clear();
  }

  private async doRefresh(): Promise<void> {
    const tokens = this.requireTokens();
    try {
      const res = await this.deps.api.refreshToken(tokens.refreshToken);
      if (!res.accessToken) throw new ArmoryError('unauthenticated', 'AUTH_REQUIRED', 'The cloud sent no new token.');
      if (this.tokens !== tokens) return; // signed out or in again meanwhile
      this.store(tokensFrom(res, tokens.account, this.now()));
      this.refreshAttempts = 0;
      this.deps.log.info('cloud sign-in renewed');
      this.schedule();
    } catch (err) {
      const refused = err instanceof ArmoryError && ['unauthenticated', 'refused', 'bad-credentials'].includes(err.failure);
      if (refused) {
        this.expire('The cloud refused to renew the sign-in.');
        throw new ArmoryError('unauthenticated', 'AUTH_REQUIRED', 'Sign in to the cloud account again.');
      }
      // The cloud is down or slow: keep the token while it lasts and try again soon.
      this.refreshAttempts += 1;
      this.deps.log.warn('renewing the cloud sign-in failed; will retry', err instanceof Error ? err.message : err);
      this.schedule(refreshRetryDelayMs(tokens, this.now(), this.refreshAttempts));
      throw err;
    }
  }

  private expire(reason: string): void {
    this.clearTimer();
    this.tokens = null;
    this.deps.secrets.delete(tokensSecretId(this.deps.connectionId));
    if (this.stateValue !== 'expired') this.deps.log.warn(`cloud sign-in expired: ${reason}`);
    this.set('expired', `${reason} Sign in again to see your cloud printers.`);
  }

  private accept(res: { accessToken: string; refreshToken: string; expiresIn: string }, account: string): void {
    this.pendingAccount = null;
    this.store(tokensFrom(res, account, this.now()));
    this.refreshAttempts = 0;
    this.set('signed-in', null);
    this.schedule();
  }

  private store(tokens: StoredTokens): void {
    this.tokens = tokens;
    this.deps.secrets.set(tokensSecretId(this.deps.connectionId), JSON.stringify(tokens));
  }

  private requireTokens(): StoredTokens {
    if (this.stateValue !== 'signed-in' || !this.tokens) {
      throw new ArmoryError(
        'unauthenticated',
        'AUTH_REQUIRED',
        this.stateValue === 'expired' ? 'Sign in to the cloud account again.' : 'Sign in to the cloud account first.',
      );
    }
    return this.tokens;
  }

  /** Chains timers, since a 90-day delay does not fit in one setTimeout. */
  private schedule(delay?: number): void {
    this.clearTimer();
    const tokens = this.tokens;
    if (!tokens || this.disposed) return;
    const wait = delay ?? refreshDelayMs(tokens, this.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.tokens !== tokens) return;
      if (delay === undefined && refreshDelayMs(tokens, this.now()) > 0) {
        this.schedule();
        return;
      }
      this.refresh().catch(() => undefined);
    }, timerDelay(wait));
    this.timer.unref();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private set(state: CloudAccountState, message: string | null): void {
    if (this.disposed) return;
    this.stateValue = state;
    this.messageValue = message;
    this.listeners.emit();
  }
}
