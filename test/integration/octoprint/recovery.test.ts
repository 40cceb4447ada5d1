import { afterEach, describe, expect, it } from 'vitest';
import { KEY, octoRig, type OctoRig } from './helpers';

const online = (r: OctoRig) => r.status().link === 'online' && r.status().state === 'idle';

/** Faults a real OctoPrint shows: restarts, stale sessions, dropped sockets, garbage, slow REST, revoked keys. */
describe('OctoPrint recovery', () => {
  let rig: OctoRig | null = null;
  afterEach(async () => {
    await rig?.close();
    rig = null;
  });

  it('recovers from a server restart, a stale session, a dropped socket and garbage frames', async () => {
    rig = await octoRig();
    const r = rig;
    await r.waitFor('online', () => online(r));
    const logins = () => r.sim.sim.requestCount.get('/api/login') ?? 0;

    await r.sim.inject({ type: 'restart', downMs: 300 });
    await r.waitFor('offline after restart', () => r.status().link !== 'online');
    await r.waitFor('online after restart', () => online(r), 10_000);
    const afterRestart = logins();
    expect(afterRestart).toBeGreaterThanOrEqual(2);

    // Sessions expire: the socket gets reauthRequired and the driver logs in again.
    r.sim.sim.expireSessions();
    await r.waitFor('fresh passive login', () => logins() > afterRestart);
    await r.waitFor('online after re-auth', () => online(r) && r.sim.sim.pushClients === 1, 10_000);

    await r.sim.inject({ type: 'drop' });
    await r.waitFor('online after a dropped socket', () => online(r) && r.sim.sim.pushClients === 1, 10_000);

    await r.sim.inject({ type: 'garbage', bytes: 64 });
    await new Promise((res) => setTimeout(res, 700));
    expect(online(r)).toBe(true);
    expect(r.t.logLines.some((l) => l.includes('ignored a malformed push frame'))).toBe(true);
  });

  it('slow REST still answers within the call timeout', async () => {
    rig = await octoRig();
    const r = rig;
    await r.waitFor('online', () => online(r));
    await r.sim.inject({ type: 'delay', ms: 1500 });
    const started = Date.now();
    await r.call('octoprint.home', { deviceId: r.deviceId, axes: ['z'] });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
    await r.sim.inject({ type: 'clear' });
  });

  it('a revoked key shows "pair again" and the connector stops calling the server', async () => {
    rig = await octoRig();
    const r = rig;
    await r.waitFor('online', () => online(r));
    r.sim.sim.accounts.revokeKey(KEY);
    // A control call finds out first (400 CSRF on POST) ...
    await expect(r.call('octoprint.jog', { deviceId: r.deviceId, x: 1 })).rejects.toThrow(/no longer accepts this API key/);
    await r.waitFor('key problem', () => r.status().problem?.message === 'API key no longer valid — pair again' && r.status().link === 'error');
    await r.sim.inject({ type: 'drop' });
    await new Promise((res) => setTimeout(res, 1500));
    const count = () => [...r.sim.sim.requestCount.entries()].filter(([p]) => p.startsWith('/api/')).reduce((n, [, c]) => n + c, 0);
    const before = count();
    await new Promise((res) => setTimeout(res, 3000));
    expect(count()).toBe(before);
    expect(r.status().problem?.code).toBe('octoprint.keyInvalid');
    await expect(r.call('printers.pause', { deviceId: r.deviceId })).rejects.toThrow(/pair again/);
  });

  it('a key refused at start (403 on GET) shows the same problem', async () => {
    rig = await octoRig({ secret: 'NOT-A-VALID-KEY-999' });
    const r = rig;
    await r.waitFor('key problem', () => r.status().problem?.code === 'octoprint.keyInvalid');
    expect(r.status().problem?.message).toBe('API key no longer valid — pair again');
    expect(r.sim.sim.requestCount.get('/api/login') ?? 0).toBe(0);
  });
});
