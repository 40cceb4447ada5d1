import { describe, expect, it } from 'vitest';
import { slugify } from '../../../src/main/mqtt/topics';
import { hasMosquitto, TestBroker, warnNoMosquitto } from '../../support/mosquitto';
import { eventually, startHost, useBroker, Watcher, type HostUnderTest } from './mqtt-support';

warnNoMosquitto('mqtt');

// Skipped only where Debian's mosquitto is missing (scripts/setup and .ci/run install it); npm test names what it skipped.
describe.skipIf(!hasMosquitto())('publishing a host to a real Mosquitto', () => {
  const env = useBroker();

  const publishing = (site: string, extra: object = {}) => startHost({ enabled: true, url: env.broker.url, site, ...extra });

  async function topicsOf(host: HostUnderTest, site: string, deviceId: string) {
    const root = `printdeck/${site}/${await host.hostUid()}`;
    return { root, printer: `${root}/printer/${slugify(deviceId)}` };
  }

  it('publishes host availability, info and each printer status and state, retained, and job events as their own messages', async () => {
    const a = env.track(await publishing('lab-a'));
    const p1 = a.addPrinter('mk4');
    const { root, printer } = await topicsOf(a, 'lab-a', p1.deviceId);
    await eventually(() => expect(a.th.logLines.join('\n')).toContain('connected to MQTT broker'));
    p1.setStatus({ temperatures: [{ sensor: 'nozzle', actual: 210, target: 215 }, { sensor: 'bed', actual: 60, target: 60 }] });

    // A subscriber arriving later gets the retained picture.
    const w = env.track(await Watcher.open(env.broker.url, ['printdeck/lab-a/#']));
    await eventually(() => {
      expect(w.last(`${root}/status`)).toBe('online');
      expect(w.last(`${printer}/status`)).toBe('online');
      expect(w.lastJson(`${printer}/state`)).toMatchObject({ v: 1, state: 'idle', name: 'mk4', nozzle: { actual: 210, target: 215 }, bed: { actual: 60 } });
      expect(w.lastJson(`${root}/info`)).toMatchObject({ v: 1, printers: [slugify(p1.deviceId)], commands: [] });
    });

    p1.setStatus({ state: 'printing', stateText: 'Printing', job: { name: 'benchy.gcode', progress: 0.1, elapsedSec: 5, remainingSec: 600, taskId: null } });
    await eventually(() => expect(w.lastJson(`${printer}/event`)).toMatchObject({ type: 'job.started', job: 'benchy.gcode' }));
    await eventually(() => expect(w.lastJson(`${printer}/state`)).toMatchObject({ state: 'printing', progress: 10, job: { remainingS: 600 } }));
    p1.setStatus({ state: 'error', stateText: 'Thermal runaway', problem: { code: 'E1', message: 'Thermal runaway' } });
    await eventually(() => expect(w.lastJson(`${printer}/event`)).toMatchObject({ type: 'job.failed', error: 'Thermal runaway' }));

    // Events are not retained: a new subscriber sees the state, not the event.
    const late = env.track(await Watcher.open(env.broker.url, [`${printer}/#`]));
    await eventually(() => expect(late.lastJson(`${printer}/state`)).toMatchObject({ state: 'error', error: 'Thermal runaway' }));
    expect(late.last(`${printer}/event`)).toBeNull();
    // Delivered from the broker's store (the retain flag on receipt means "replayed").
    expect(late.messages.find((m) => m.topic === `${printer}/state`)?.retain).toBe(true);
  });

  it('keeps only the newest state retained across subscriber reconnects, and clears a removed printer', async () => {
    const a = env.track(await publishing('lab-b'));
    const p1 = a.addPrinter('voron');
    const { printer } = await topicsOf(a, 'lab-b', p1.deviceId);
    const first = await Watcher.open(env.broker.url, [`${printer}/state`]);
    await eventually(() => expect(first.lastJson(`${printer}/state`)).toMatchObject({ state: 'idle' }));
    await first.close();
    for (let i = 1; i <= 20; i++) p1.setStatus({ state: 'printing', job: { name: 'x', progress: i / 20, elapsedSec: i, remainingSec: 100 - i, taskId: null } });
    const second = env.track(await Watcher.open(env.broker.url, [`${printer}/state`]));
    await eventually(() => expect(second.lastJson(`${printer}/state`)).toMatchObject({ state: 'printing', progress: 100 }));

    const conn = a.th.hub.connections.list().find((c) => c.name === 'voron')!;
    a.th.hub.connections.remove(conn.id);
    await eventually(() => expect(second.last(`${printer}/state`)).toBe(''));
    const third = env.track(await Watcher.open(env.broker.url, [`${printer}/#`]));
    await new Promise((r) => setTimeout(r, 300));
    expect(third.messages).toEqual([]);
  });

  it('says offline itself on a graceful stop, and the broker says it for a host whose connection dies (the Last Will)', async () => {
    const w = env.track(await Watcher.open(env.broker.url, ['printdeck/lab-c/+/status']));
    const a = await publishing('lab-c');
    const status = `printdeck/lab-c/${await a.hostUid()}/status`;
    await eventually(() => expect(w.last(status)).toBe('online'));
    await a.close();
    await eventually(() => expect(w.last(status)).toBe('offline'));

    const b = env.track(await publishing('lab-c'));
    const bStatus = `printdeck/lab-c/${await b.hostUid()}/status`;
    await eventually(() => expect(w.last(bStatus)).toBe('online'));
    const seen = w.all(bStatus).length;
    // Cut the connection under the client (no DISCONNECT): only the Will can say offline.
    const client = (b.th.hub as unknown as { mqtt: { publisher(): { ['client']: { stream: { destroy(): void } } } } }).mqtt.publisher()!['client'];
    client.stream.destroy();
    await eventually(() => expect(w.all(bStatus).slice(seen)).toContain('offline'));
    // …and it comes back by itself.
    await eventually(() => expect(w.last(bStatus)).toBe('online'));
  });

  it('publishes Home Assistant discovery retained, again when Home Assistant says it is back, and clears it for a removed printer', async () => {
    const a = env.track(await publishing('lab-e'));
    const p1 = a.addPrinter('ender');
    const uid = await a.hostUid();
    const config = `homeassistant/device/pd_${uid}_${slugify(p1.deviceId)}/config`;
    const w = env.track(await Watcher.open(env.broker.url, [`homeassistant/device/+/config`]));
    await eventually(() => expect(w.lastJson(config)).toMatchObject({ device: { name: 'ender' }, origin: { name: 'Printdeck' } }));
    // Retained: a Home Assistant that starts later gets it from the broker.
    const late = env.track(await Watcher.open(env.broker.url, [config]));
    await eventually(() => expect(late.messages.find((m) => m.topic === config)?.retain).toBe(true));
    const before = w.all(config).length;
    // Home Assistant's birth message: not retained, plain `online`.
    await w.client.publishAsync('homeassistant/status', 'online', { qos: 0 });
    await eventually(() => expect(w.all(config).length).toBeGreaterThan(before));
    a.th.hub.connections.remove(a.th.hub.connections.list().find((c) => c.name === 'ender')!.id);
    await eventually(() => expect(w.last(config)).toBe(''));
  });

  it('a subscriber that stops reading does not hold the publisher back', async () => {
    const a = env.track(await publishing('lab-d'));
    const p1 = a.addPrinter('slow');
    const { printer } = await topicsOf(a, 'lab-d', p1.deviceId);
    const slow = env.track(await Watcher.open(env.broker.url, ['printdeck/lab-d/#']));
    const fast = env.track(await Watcher.open(env.broker.url, [`${printer}/state`]));
    await eventually(() => expect(fast.lastJson(`${printer}/state`)).toMatchObject({ state: 'idle' }));
    (slow.client.stream as unknown as { pause(): void }).pause();
    for (let i = 1; i <= 200; i++) {
      p1.setStatus({ state: 'printing', job: { name: `job-${i}`, progress: (i % 100) / 100, elapsedSec: i, remainingSec: 1000 - i, taskId: null } });
    }
    await eventually(() => expect(fast.lastJson(`${printer}/state`)).toMatchObject({ job: { name: 'job-200' } }));
    (slow.client.stream as unknown as { resume(): void }).resume();
  });
});

// Skipped only where Debian's mosquitto is missing (scripts/setup and .ci/run install it); npm test names what it skipped.
describe.skipIf(!hasMosquitto())('a broker with passwords', () => {
  it('connects with the password from the secret store and reports a refused one in words', async () => {
    const broker = await TestBroker.start({ users: { hosta: 'right-password', reader: 'reader-pw' } });
    try {
      const w = await Watcher.open(broker.url, ['printdeck/secure/+/status'], { username: 'reader', password: 'reader-pw' });
      const a = await startHost({ enabled: true, url: broker.url, username: 'hosta', password: 'right-password', site: 'secure' });
      try {
        const status = `printdeck/secure/${await a.hostUid()}/status`;
        await eventually(() => expect(w.last(status)).toBe('online'));
        const view = await a.call('mqtt.get', {});
        expect(view).toMatchObject({ ok: true, value: { hasPassword: true, link: { state: 'online' } } });
        expect(JSON.stringify(view)).not.toContain('right-password');
        await a.call('mqtt.configure', { password: 'wrong-password' });
        await eventually(async () => expect(await a.call('mqtt.get', {})).toMatchObject({ ok: true, value: { link: { state: 'error', message: 'The broker refused the user name or password.' } } }));
      } finally {
        await a.close();
        await w.close();
      }
    } finally {
      await broker.close();
    }
  });
});
