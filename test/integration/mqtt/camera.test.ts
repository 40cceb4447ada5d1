import { describe, expect, it } from 'vitest';
import { xyzSimulator } from '../../../sim/xyz/simulator';
import { hasMosquitto, warnNoMosquitto } from '../../support/mosquitto';
import { createTestHub } from '../../support/test-hub';
import { eventually, TUNING, useBroker, Watcher } from './mqtt-support';

warnNoMosquitto('mqtt camera');

const CAMERA_INTERVAL_MS = 500;

// Skipped only where Debian's mosquitto is missing (scripts/setup and .ci/run install it); npm test names what it skipped.
describe.skipIf(!hasMosquitto())('camera frames over MQTT: Home Assistant’s camera entity and another site’s snapshot', () => {
  const env = useBroker();

  it('a da Vinci 1.1 Plus publishes JPEG frames on the documented topic at the bounded rate, and host B shows them as its snapshot', async () => {
    const w = env.track(await Watcher.open(env.broker.url, ['homeassistant/device/+/config', 'printdeck/lab/+/printer/+/camera']));
    const a = env.track(
      await createTestHub({
        demoPlan: () => [{ id: 'plus', factory: xyzSimulator({ transport: 'tcp', model: 'dvF110B000', timeScale: 20, connectionName: 'Plus cam' }) }],
        mqtt: { configure: { enabled: true, url: env.broker.url, site: 'lab', camera: true }, tuning: { ...TUNING, cameraIntervalMs: CAMERA_INTERVAL_MS }, siteReconnectMs: 200 },
      }),
    );
    await a.hub.startDemo();

    // Home Assistant's camera entity points at the topic the frames come on.
    const cameraTopic = await eventually(() => {
      const configs = w.messages.filter((m) => m.topic.startsWith('homeassistant/device/') && m.payload.length > 0).map((m) => JSON.parse(m.payload.toString('utf8')) as { components: Record<string, { platform: string; topic?: string }> });
      const camera = configs.flatMap((c) => Object.values(c.components)).find((c) => c.platform === 'camera');
      expect(camera?.topic).toMatch(/^printdeck\/lab\/[0-9a-f]{16}\/printer\/[a-z0-9_-]+\/camera$/);
      return camera!.topic!;
    }, 30_000);
    const frames = () => w.messages.filter((m) => m.topic === cameraTopic);
    await eventually(() => expect(frames().length).toBeGreaterThanOrEqual(1), 30_000);
    for (const f of frames()) {
      expect([f.payload[0], f.payload[1]]).toEqual([0xff, 0xd8]); // JPEG
      expect(f.payload.length).toBeLessThanOrEqual(256 * 1024);
      expect(f.retain).toBe(false);
    }

    // At most one frame per interval: over a counted span, never more than the span allows (a loaded machine sends fewer).
    const from = Date.now();
    const before = frames().length;
    await eventually(() => expect(frames().length - before).toBeGreaterThanOrEqual(8), 30_000);
    const span = Date.now() - from;
    expect(frames().length - before).toBeLessThanOrEqual(Math.floor(span / CAMERA_INTERVAL_MS) + 2);

    // Host B: the site printer has a camera, and its snapshot is a frame A published.
    const b = env.track(await createTestHub({ mqtt: { tuning: TUNING, siteReconnectMs: 200 } }));
    b.hub.connections.add({ kind: 'site', name: 'Lab', address: `${env.broker.url}/lab`, options: {} });
    const remote = () => b.hub.fleet.list().find((d) => d.site === 'lab');
    await eventually(() => expect(remote()).toMatchObject({ name: 'Plus cam', capabilities: { camera: true } }), 30_000);
    const snap = await b.hub.registrar.dispatch('printers.snapshot', { deviceId: remote()!.deviceId }, { transport: 'memory', clientId: 't' });
    if (!snap.ok) throw new Error(snap.error.message);
    const shown = Buffer.from((snap.value as { dataBase64: string; mime: string }).dataBase64, 'base64');
    expect((snap.value as { mime: string }).mime).toBe('image/jpeg');
    expect(frames().some((f) => f.payload.equals(shown))).toBe(true);
  }, 120_000);
});
