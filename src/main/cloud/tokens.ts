import { z } from 'zod';
import { backoffDelay } from '../../shared/async';

/** The longest delay setTimeout honours; longer ones fire at once, so timers are chained. */
export const MAX_TIMER_MS = 2 ** 31 - 1;
/** Real tokens last ~90 days; used when the cloud sends no lifetime. */
export const DEFAULT_LIFETIME_SEC = 7_776_000;

export const StoredTokens = z.object({
  accessToken: z.string().min(1).max(8192),
  refreshToken: z.string().max(8192),
  issuedAt: z.number().int().nonnegative(),
  expiresAt: z.number().int().nonnegative(),
  account: z.string().max(254),
});
export type StoredTokens = z.infer<typeof StoredTokens>;

/** int64 seconds arrive as decimal strings; anything unusable means "the default lifetime". */
export function lifetimeSec(expiresIn: string): number {
  const n = Number(expiresIn);
  return Number.isFinite(n) && n > 0 ? Math.min(n, 10 * 365 * 86_400) : DEFAULT_LIFETIME_SEC;
}

export function tokensFrom(
  res: { accessToken: string; refreshToken: string; expiresIn: string },
  account: string,
  now: number,
): StoredTokens {
  return {
    accessToken: res.accessToken,
    // On the real cloud the refresh token equals the access token.
    refreshToken: res.refreshToken || res.accessToken,
    issuedAt: now,
    expiresAt: now + lifetimeSec(res.expiresIn) * 1000,
    account,
  };
}

export function parseStoredTokens(json: string | null): StoredTokens | null {
  if (!json) return null;
  try {
    const parsed = StoredTokens.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * When to refresh: a tenth of the lifetime before expiry, at least 30 s and at most a day
 * ahead (so a 90-day token is refreshed a day early, a 5-minute one 30 s early). 0 = now.
 */
export function refreshDelayMs(tokens: Pick<StoredTokens, 'issuedAt' | 'expiresAt'>, now: number): number {
  const lifetime = Math.max(0, tokens.expiresAt - tokens.issuedAt);
  const margin = Math.min(86_400_000, Math.max(30_000, lifetime / 10));
  return Math.max(0, Math.round(tokens.expiresAt - margin - now));
}

/** A timer length that setTimeout can keep; the caller re-checks when it fires. */
export function timerDelay(ms: number): number {
  return Math.min(Math.max(0, ms), MAX_TIMER_MS);
}

/** After a refresh that failed for a reason other than a refusal (the cloud is down), when to try again. */
export function refreshRetryDelayMs(tokens: Pick<StoredTokens, 'expiresAt'>, now: number, attempt: number): number {
  // No jitter: one account refreshes one token, there is no crowd to spread out.
  const backoff = backoffDelay(attempt - 1, { baseMs: 5_000, maxMs: 300_000, jitter: 'none' });
  const left = tokens.expiresAt - now;
  return left > 10_000 ? Math.max(5_000, Math.min(left / 2, backoff)) : backoff;
}
