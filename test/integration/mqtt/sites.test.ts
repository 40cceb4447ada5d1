import { describe, expect, it } from 'vitest';
import { slugify } from '../../../src/main/mqtt/topics';
import { hasMosquitto, warnNoMosquitto } from '../../support/mosquitto';
import { eventually, startHost, useBroker, Watcher, type HostUnderTest } from './mqtt-support';

warnNoMosquitto('mqtt sites');

// Skipped only where Debian's mosquitto is missing (scripts/setup and .ci/run install it); npm test names what it skipped.
describe.skipIf(!hasMosquitto())('sites: host B shows host A’s printers through a real Mosquitto', () => {
  const env = useBroker();

  const siteDevices = (b: HostUnderTest) => b.th.hub.fleet.list().filter((d) => d.site !== undefined);

  it('lists A’s printers marked with the site, follows their state, and pauses one where A allows it', async () => {
    const a = env.track(await startHost({ enabled: true, url: env.broker.url, site: 'north', commands: ['pause', 'resume'] }));
    const mk4 = a.addPrinter('mk4');
    a.addPrinter('voron');
    const b = env.track(await startHost(null));
    b.th.hub.connections.add({ kind: 'site', name: 'North lab', address: `${env.broker.url}/north`, options: {} });

    await eventually(() => expect(siteDevices(b).map((d) => d.name).sort()).toEqual(['mk4', 'voron']));
    expect(siteDevices(b).every((d) => d.site === 'north' && d.link === 'online')).toBe(true);

    mk4.setStatus({ state: 'printing', stateText: 'Printing', job: { name: 'benchy', progress: 0.4, elapsedSec: 60, remainingSec: 90, taskId: null } });
    const remote = () => siteDevices(b).find((d) => d.name === 'mk4')!;
    await eventually(() => expect(remote()).toMatchObject({ state: 'printing', job: { name: 'benchy', progress: 0.4 }, capabilities: { pause: true, cancel: false } }));

    // Through the contract, as B's UI would: the command travels to A and A's driver runs it.
    expect(await b.call('printers.pause', { deviceId: remote().deviceId })).toMatchObject({ ok: true });
    expect(mk4.status().state).toBe('paused');
    await eventually(() => expect(remote().state).toBe('paused'));
    // Cancel is not on A's list: refused with the API's code, and A's printer is untouched.
    expect(await b.call('printers.cancel', { deviceId: remote().deviceId })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(mk4.status().state).toBe('paused');

    // B's notices come from the same watcher as its own printers'.
    mk4.setStatus({ state: 'done', stateText: 'Done' });
    await eventually(() => expect(b.th.hub.notifications.list().map((n) => n.title)).toContain('mk4 finished'));

    // A going away turns its printers offline on B; removing one on A removes it on B.
    const conn = a.th.hub.connections.list().find((c) => c.name === 'voron')!;
    a.th.hub.connections.remove(conn.id);
    await eventually(() => expect(siteDevices(b).map((d) => d.name)).toEqual(['mk4']));
    await a.close();
    env.untrack(a);
    await eventually(() => expect(remote()).toMatchObject({ link: 'offline', state: 'offline' }));
  });

  it('answers every command on the reply topic with the API’s codes and never runs a retained one', async () => {
    const a = env.track(await startHost({ enabled: true, url: env.broker.url, site: 'east', commands: ['pause'] }));
    const p = a.addPrinter('mini');
    const host = `printdeck/east/${await a.hostUid()}`;
    const t = `${host}/printer/${slugify(p.deviceId)}`;
    const w = env.track(await Watcher.open(env.broker.url, ['printdeck/east/+/printer/+/ack']));
    await eventually(() => expect(a.th.logLines.join('\n')).toContain('connected to MQTT broker'));

    await w.client.publishAsync(`${t}/cmd/cancel`, JSON.stringify({ id: 'c1' }), { qos: 1 });
    await eventually(() => expect(w.lastJson(`${t}/ack`)).toMatchObject({ id: 'c1', action: 'cancel', ok: false, error: { code: 'FORBIDDEN' } }));
    await w.client.publishAsync(`${host}/printer/nope/cmd/pause`, 'PRESS', { qos: 1 });
    // The same code the API gives for a printer it does not know.
    await eventually(() => expect(w.lastJson(`${host}/printer/nope/ack`)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } }));

    // A retained command (live or replayed) is never executed: it would run again for every new subscriber.
    p.setStatus({ state: 'printing' });
    await w.client.publishAsync(`${t}/cmd/pause`, 'PRESS', { qos: 1, retain: true });
    await w.client.publishAsync(`${t}/cmd/cancel`, JSON.stringify({ id: 'marker' }), { qos: 1 });
    await eventually(() => expect(w.lastJson(`${t}/ack`)).toMatchObject({ id: 'marker' }));
    expect(p.status().state).toBe('printing');
    expect(a.th.logLines.join('\n')).toContain('ignored a retained pause command');
    await w.client.publishAsync(`${t}/cmd/pause`, '', { qos: 1, retain: true });
    await w.client.publishAsync(`${t}/cmd/pause`, JSON.stringify({ id: 'p1' }), { qos: 1 });
    await eventually(() => expect(w.lastJson(`${t}/ack`)).toMatchObject({ id: 'p1', ok: true, error: null }));
    expect(p.status().state).toBe('paused');
  });

  it('after a broker restart everyone reconnects by themselves and nothing retained is lost', async () => {
    const a = env.track(await startHost({ enabled: true, url: env.broker.url, site: 'west' }));
    const p = a.addPrinter('prusa');
    const b = env.track(await startHost(null));
    b.th.hub.connections.add({ kind: 'site', name: 'West', address: `${env.broker.url}/west`, options: {} });
    p.setStatus({ state: 'printing', job: { name: 'gear', progress: 0.2, elapsedSec: 1, remainingSec: 100, taskId: null } });
    const remote = () => b.th.hub.fleet.list().find((d) => d.site === 'west');
    await eventually(() => expect(remote()).toMatchObject({ state: 'printing', link: 'online' }));

    await env.broker.restart();
    // Retained state came back from the broker's store, for a subscriber that never saw it before.
    const fresh = env.track(await Watcher.open(env.broker.url, ['printdeck/west/#']));
    await eventually(() => expect(fresh.messages.some((m) => m.topic.endsWith('/state') && m.retain)).toBe(true));
    // Both hosts are back without being told: a change on A reaches B.
    p.setStatus({ state: 'paused', stateText: 'Paused' });
    await eventually(() => expect(remote()).toMatchObject({ state: 'paused', link: 'online' }));
  });
});
