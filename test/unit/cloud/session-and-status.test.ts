import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ArmoryApi } from '../../../src/main/cloud/armory/armory-api';
import { ArmoryError } from '../../../src/main/cloud/armory/errors';
import { DEFAULT_INTERVALS, nextPollDelay } from '../../../src/main/cloud/cloud-printers';
import { CloudSession, tokensSecretId } from '../../../src/main/cloud/cloud-session';
import { cloudPrinterStatus, statusChanged } from '../../../src/main/cloud/printer-status';
import { createLogger } from '../../../src/main/log';
import type { SecretStore } from '../../../src/main/store/secrets';

const DAY = 86_400_000;

function memorySecrets(): SecretStore & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    get: (id: string) => map.get(id) ?? null,
    set: (id: string, v: string) => void map.set(id, v),
    has: (id: string) => map.has(id),
    delete: (id: string) => void map.delete(id),
    deletePrefix: (p: string) => [...map.keys()].filter((k) => k.startsWith(p)).forEach((k) => map.delete(k)),
  } as unknown as SecretStore & { map: Map<string, string> };
}

function fakeApi(overrides: Partial<Record<'login' | 'refreshToken', (...a: unknown[]) => Promise<unknown>>> = {}) {
  const api = {
    login: vi.fn(async (_account: string, secret: { password?: string; code?: string }) =>
      secret.password ? { accessToken: '', refreshToken: '', loginType: 'verifyCode', expiresIn: '0' } : { accessToken: 'A1', refreshToken: 'R1', loginType: '', expiresIn: String(90 * 86400) },
    ),
    refreshToken: vi.fn(async () => ({ accessToken: 'A2', refreshToken: 'R2', expiresIn: String(90 * 86400), refreshExpiresIn: '0' })),
    ...overrides,
  };
  return api;
}

const log = createLogger('test', () => {});

describe('CloudSession token scheduling', () => {
  beforeEach(() => vi.useFakeTimers({ now: 0 }));
  afterEach(() => vi.useRealTimers());

  it('password, then code; tokens stored as a secret; refresh a day before a 90-day expiry (across setTimeout’s limit)', async () => {
    const secrets = memorySecrets();
    const api = fakeApi();
    const session = new CloudSession({ connectionId: 'c1', api: api as unknown as ArmoryApi, secrets, log });
    await session.signIn('me@x', 'pw');
    expect(session.state).toBe('code-required');
    await session.submitCode('123456');
    expect(session.state).toBe('signed-in');
    expect(JSON.parse(secrets.map.get(tokensSecretId('c1'))!)).toMatchObject({ accessToken: 'A1', account: 'me@x' });

    await vi.advanceTimersByTimeAsync(30 * DAY);
    expect(api.refreshToken).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(58 * DAY);
    expect(api.refreshToken).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1 * DAY + 1000);
    expect(api.refreshToken).toHaveBeenCalledTimes(1);
    expect(JSON.parse(secrets.map.get(tokensSecretId('c1'))!)).toMatchObject({ accessToken: 'A2' });
    session.dispose();
  });

  it('a refused refresh (401) asks to sign in again and forgets the tokens; an outage retries', async () => {
    const secrets = memorySecrets();
    let refuse = false;
    const api = fakeApi({
      refreshToken: vi.fn(async () => {
        throw refuse ? new ArmoryError('unauthenticated', 'AUTH_REQUIRED', '401') : new ArmoryError('unavailable', 'UNAVAILABLE', 'down');
      }),
    });
    const session = new CloudSession({ connectionId: 'c2', api: api as unknown as ArmoryApi, secrets, log });
    secrets.set(tokensSecretId('c2'), JSON.stringify({ accessToken: 'A', refreshToken: 'R', issuedAt: 0, expiresAt: 300_000, account: 'me' }));
    session.load();
    expect(session.state).toBe('signed-in');
    await vi.advanceTimersByTimeAsync(270_000);
    expect(api.refreshToken).toHaveBeenCalledTimes(1);
    expect(session.state).toBe('signed-in'); // outage: keep the token while it lasts
    refuse = true;
    await vi.advanceTimersByTimeAsync(6_000);
    expect(api.refreshToken).toHaveBeenCalledTimes(2);
    expect(session.state).toBe('expired');
    expect(session.message).toMatch(/Sign in again/);
    expect(secrets.map.has(tokensSecretId('c2'))).toBe(false);
    await expect(session.authed(async () => 'x')).rejects.toMatchObject({ code: 'AUTH_REQUIRED' });
    session.dispose();
  });

  it('authed() renews once on UNAUTHENTICATED and retries the call', async () => {
    const secrets = memorySecrets();
    const api = fakeApi();
    const session = new CloudSession({ connectionId: 'c3', api: api as unknown as ArmoryApi, secrets, log });
    secrets.set(tokensSecretId('c3'), JSON.stringify({ accessToken: 'OLD', refreshToken: 'R', issuedAt: 0, expiresAt: DAY, account: 'me' }));
    session.load();
    const seen: string[] = [];
    const result = await session.authed(async (token) => {
      seen.push(token);
      if (token === 'OLD') throw new ArmoryError('unauthenticated', 'AUTH_REQUIRED', 'expired');
      return 'ok';
    });
    expect(result).toBe('ok');
    expect(seen).toEqual(['OLD', 'A2']);
    session.dispose();
  });
});

describe('cloud printer status and polling cadence', () => {
  const device = { devId: 'SN1', name: 'X1', online: true, modelName: 'BL-P001', productName: 'X1 Carbon' };
  const base = { connectionId: 'c', device, job: null, outcome: null, stale: null, now: 5 };

  it('maps idle, printing, finished, failed, offline and sign-in problems', () => {
    expect(cloudPrinterStatus(base)).toMatchObject({ deviceId: 'armory:c:SN1', family: 'cloud', model: 'X1 Carbon', state: 'idle', link: 'online' });
    const printing = cloudPrinterStatus({ ...base, job: { progress: 42, taskId: '77', title: 'Benchy' } });
    expect(printing).toMatchObject({ state: 'printing', lastSeenAt: null, job: { progress: 0.42, taskId: '77', name: 'Benchy' } });
    // The cloud's task id is no name for people.
    expect(cloudPrinterStatus({ ...base, job: { progress: 1, taskId: '77', title: null } }).job!.name).toBe('Cloud print');
    expect(printing.capabilities).toMatchObject({ print: false, pause: false, cancel: false, camera: false });
    expect(cloudPrinterStatus({ ...base, outcome: { taskId: '77', title: 'Benchy', status: 2 } })).toMatchObject({ state: 'done', job: { progress: 1 } });
    expect(cloudPrinterStatus({ ...base, outcome: { taskId: '77', title: null, status: 3 } })).toMatchObject({ state: 'error', problem: { code: 'cloud-task-failed' } });
    expect(cloudPrinterStatus({ ...base, outcome: { taskId: '77', title: null, status: 9 } }).state).toBe('idle');
    expect(cloudPrinterStatus({ ...base, device: { ...device, online: false } })).toMatchObject({ state: 'offline', link: 'offline' });
    expect(cloudPrinterStatus({ ...base, stale: null })).not.toHaveProperty('problem.code', 'cloud-sign-in');
    expect(cloudPrinterStatus({ ...base, job: { progress: 250, taskId: '1', title: null } }).job!.progress).toBe(1);
  });

  it('a refused token or an unreachable cloud keeps the last state, marked stale — never offline', () => {
    const job = { progress: 42, taskId: '77', title: 'Benchy' };
    const signIn = cloudPrinterStatus({ ...base, job, stale: { reason: 'sign-in', message: 'Sign in again.', lastSeenAt: 3 } });
    expect(signIn).toMatchObject({ link: 'online', state: 'printing', stateText: 'Printing', lastSeenAt: 3, problem: { code: 'cloud-sign-in' } });
    const away = cloudPrinterStatus({ ...base, stale: { reason: 'unreachable', message: 'No answer.', lastSeenAt: 4 } });
    expect(away).toMatchObject({ link: 'online', state: 'idle', lastSeenAt: 4, problem: { code: 'cloud-unreachable' } });
    // An offline printer stays offline; what changes is that the fact may be old.
    expect(cloudPrinterStatus({ ...base, device: { ...device, online: false }, stale: { reason: 'unreachable', message: 'x', lastSeenAt: 4 } })).toMatchObject({
      link: 'offline',
      lastSeenAt: 4,
    });
  });

  it('only a real change counts, not the timestamp', () => {
    const a = cloudPrinterStatus(base);
    expect(statusChanged(a, { ...a, updatedAt: 999 })).toBe(false);
    expect(statusChanged(a, cloudPrinterStatus({ ...base, job: { progress: 1, taskId: '1', title: null } }))).toBe(true);
  });

  it('polls fast while printing, slowly when idle, and backs off after failures', () => {
    expect(nextPollDelay(true, 0, DEFAULT_INTERVALS)).toBe(DEFAULT_INTERVALS.printingMs);
    expect(nextPollDelay(false, 0, DEFAULT_INTERVALS)).toBe(DEFAULT_INTERVALS.idleMs);
    const backoff = [1, 2, 3, 4, 5, 6, 7, 8].map((f) => nextPollDelay(true, f, DEFAULT_INTERVALS, () => 1));
    expect(backoff).toEqual([...backoff].sort((x, y) => x - y));
    expect(backoff.at(-1)).toBe(DEFAULT_INTERVALS.maxBackoffMs);
    expect(nextPollDelay(false, 1, DEFAULT_INTERVALS, () => 0)).toBe(DEFAULT_INTERVALS.idleMs);
  });
});
