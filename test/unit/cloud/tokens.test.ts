import { describe, expect, it } from 'vitest';
import { MAX_TIMER_MS, lifetimeSec, parseStoredTokens, refreshDelayMs, refreshRetryDelayMs, timerDelay, tokensFrom } from '../../../src/main/cloud/tokens';

const DAY = 86_400_000;

describe('token scheduling', () => {
  it('refreshes a 90-day token a day early, a 5-minute token 30 s early', () => {
    const now = 1_000_000;
    const long = tokensFrom({ accessToken: 'a', refreshToken: '', expiresIn: '7776000' }, 'me', now);
    expect(long.expiresAt).toBe(now + 90 * DAY);
    expect(long.refreshToken).toBe('a'); // the real cloud's refresh token is the access token
    expect(refreshDelayMs(long, now)).toBe(89 * DAY);
    const short = tokensFrom({ accessToken: 'a', refreshToken: 'r', expiresIn: '300' }, 'me', now);
    expect(refreshDelayMs(short, now)).toBe(270_000);
    expect(refreshDelayMs(short, now + 400_000)).toBe(0);
  });

  it('uses the ~90-day default when the lifetime is missing or nonsense', () => {
    expect(lifetimeSec('0')).toBe(7_776_000);
    expect(lifetimeSec('abc')).toBe(7_776_000);
    expect(lifetimeSec('-5')).toBe(7_776_000);
    expect(lifetimeSec('3600')).toBe(3600);
  });

  it('never asks setTimeout for more than it can keep', () => {
    expect(timerDelay(89 * DAY)).toBe(MAX_TIMER_MS);
    expect(timerDelay(-5)).toBe(0);
    expect(timerDelay(1000)).toBe(1000);
  });

  it('retries a failed refresh with growing waits, never in a tight loop', () => {
    const now = 0;
    const t = { expiresAt: now + DAY };
    const waits = [1, 2, 3, 4].map((a) => refreshRetryDelayMs(t, now, a));
    expect(waits).toEqual([5_000, 10_000, 20_000, 40_000]);
    expect(refreshRetryDelayMs({ expiresAt: now - 1 }, now, 1)).toBeGreaterThanOrEqual(5_000);
    expect(refreshRetryDelayMs({ expiresAt: now + 12_000 }, now, 9)).toBe(6_000);
  });

  it('reads stored tokens defensively', () => {
    expect(parseStoredTokens(null)).toBeNull();
    expect(parseStoredTokens('not json')).toBeNull();
    expect(parseStoredTokens(JSON.stringify({ accessToken: 'a' }))).toBeNull();
    const ok = { accessToken: 'a', refreshToken: 'r', issuedAt: 1, expiresAt: 2, account: 'me' };
    expect(parseStoredTokens(JSON.stringify(ok))).toEqual(ok);
  });
});
