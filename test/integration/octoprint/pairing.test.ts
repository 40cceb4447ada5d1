import { afterEach, describe, expect, it } from 'vitest';
import { KEY, octoRig, type OctoRig } from './helpers';

/** Application Keys pairing and the paste-a-key fallback against the simulator. */
describe('OctoPrint pairing', () => {
  let rig: OctoRig | null = null;
  afterEach(async () => {
    await rig?.close();
    rig = null;
  });

  it('a connection without a key says so and pairs through Application Keys (approved)', async () => {
    rig = await octoRig({ secret: null, autoApproveMs: 300 });
    const r = rig;
    await r.waitFor('not paired problem', () => r.status().problem?.code === 'octoprint.notPaired');
    const started = await r.call('octoprint.pairStart', { connectionId: r.connectionId, user: 'admin' });
    expect(started.phase).toBe('awaitingDecision');
    expect(started.authDialogUrl).toMatch(new RegExp(`^${r.sim.sim.baseUrl}/plugin/appkeys/auth/[0-9A-F]+\\?user=admin$`));
    await r.waitFor('paired event', () => r.events('octoprint.pairing').find((u) => u.phase === 'paired'), 8000);
    const issued = r.t.hub.connections.secretOf(r.connectionId);
    expect(issued).toMatch(/^[0-9A-F]{32}$/);
    // The key never travels in an event or a listing.
    expect(JSON.stringify(r.events('octoprint.pairing'))).not.toContain(issued);
    expect(JSON.stringify(r.t.hub.connections.list())).not.toContain(issued);
    expect(r.t.hub.connections.list().find((c) => c.id === r.connectionId)?.hasSecret).toBe(true);
    // The new key reattaches the driver, which comes online with it.
    await r.waitFor('online after pairing', () => r.status().link === 'online' && r.status().state === 'idle', 10_000);
    expect(r.t.hub.connections.secretOf(r.connectionId)).not.toBe(KEY);
  });

  it('a denied request ends in "denied" and stores nothing', async () => {
    rig = await octoRig({ secret: null, autoApproveMs: null });
    const r = rig;
    const started = await r.call('octoprint.pairStart', { connectionId: r.connectionId });
    expect(started.phase).toBe('awaitingDecision');
    // The user clicks "Deny" on the page the app opened.
    const page = await fetch(started.authDialogUrl ?? '');
    expect(await page.text()).toContain('Deny');
    const token = /auth\/([0-9A-F]+)/.exec(started.authDialogUrl ?? '')?.[1] ?? '';
    await fetch(`${r.sim.sim.baseUrl}/plugin/appkeys/auth/${token}`, { method: 'POST', body: 'decision=deny', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    const denied = await r.waitFor('denied', () => r.events('octoprint.pairing').find((u) => u.phase === 'denied'), 8000);
    expect(denied.message).toMatch(/denied/);
    expect(r.t.hub.connections.secretOf(r.connectionId)).toBeNull();
  });

  it('pairing can be cancelled while waiting', async () => {
    rig = await octoRig({ secret: null, autoApproveMs: null });
    const r = rig;
    await r.call('octoprint.pairStart', { connectionId: r.connectionId });
    await r.call('octoprint.pairCancel', { connectionId: r.connectionId });
    await r.waitFor('cancelled', () => r.events('octoprint.pairing').find((u) => u.phase === 'cancelled'));
    expect(r.t.hub.connections.secretOf(r.connectionId)).toBeNull();
  });

  it('without the plugin, pairing falls back to pasting a key, which is checked before it is saved', async () => {
    rig = await octoRig({ secret: null, appKeys: false });
    const r = rig;
    const started = await r.call('octoprint.pairStart', { connectionId: r.connectionId });
    expect(started.phase).toBe('manualKey');
    await expect(r.call('octoprint.pairPasteKey', { connectionId: r.connectionId, apiKey: 'WRONG-KEY-123456' })).rejects.toThrow(/does not accept this key/);
    expect(r.t.hub.connections.secretOf(r.connectionId)).toBeNull();
    const pasted = await r.call('octoprint.pairPasteKey', { connectionId: r.connectionId, apiKey: `  ${KEY}\n` });
    expect(pasted.phase).toBe('paired');
    expect(r.t.hub.connections.secretOf(r.connectionId)).toBe(KEY);
    await r.waitFor('online with the pasted key', () => r.status().link === 'online', 10_000);
  });
});
