import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { connect } from 'mqtt';
import { Fleet, type DeviceProvider } from '../src/main/devices/fleet';
import type { StoredConnection } from '../src/main/connections/connection-repo';
import { EventHub } from '../src/main/events/event-hub';
import { createLogger } from '../src/main/log';
import { MqttPublisher, type PublishSettings } from '../src/main/mqtt/publisher';
import { SiteProvider } from '../src/main/mqtt/site-provider';
import type { DeviceStatus } from '../src/shared/domain/device';
import { hasMosquitto, TestBroker } from '../test/support/mosquitto';
import { ScriptedDriver, scriptedProvider } from '../test/support/scripted-driver';
import { createTestHub, tempDir } from '../test/support/test-hub';
import type { BenchResult, BenchSuite } from './lib/types';

const log = createLogger('bench', () => {});

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

function connection(id: string, kind: StoredConnection['kind'], address: string): StoredConnection {
  return { id, kind, name: id, address, options: {}, origin: 'user', createdAt: 0, updatedAt: 0 };
}

/** A fleet of `n` scripted printers behind one connection, all printing. */
function fleetOf(n: number): { fleet: Fleet; drivers: ScriptedDriver[]; events: EventHub } {
  const events = new EventHub({ tickMs: 50 });
  const fleet = new Fleet(events, log);
  const drivers = Array.from({ length: n }, (_, i) => new ScriptedDriver(`bench-${i}`, `Printer ${i}`));
  for (const d of drivers) d.setStatus({ state: 'printing', stateText: 'Printing', job: { name: 'benchy', progress: 0, elapsedSec: 0, remainingSec: 3600, taskId: null } });
  fleet.registerProvider('xyz', () => {
    const provider: DeviceProvider = {
      start: () => {},
      stop: async () => {},
      drivers: () => drivers,
      onChange: (listener) => {
        const offs = drivers.map((d) => d.onStatus((status) => listener({ type: 'status', status })));
        return () => offs.forEach((off) => off());
      },
    };
    return provider;
  });
  fleet.attach(connection('bench-fleet', 'xyz', 'tcp://127.0.0.1:1'), null);
  return { fleet, drivers, events };
}

function settings(url: string, site: string): PublishSettings {
  return { url, username: null, password: null, site, hostUid: `bench${site}`, hostName: 'bench', base: 'printdeck', discovery: true, discoveryPrefix: 'homeassistant', commands: [], camera: false };
}

async function until(check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Advances one printer's job by a step that is always worth a message (progress moves ≥ 1 %). */
function step(d: ScriptedDriver, tick: number): void {
  d.setStatus({ job: { name: 'benchy', progress: (tick % 100) / 100, elapsedSec: tick, remainingSec: 3600 - (tick % 3600), taskId: null } });
}

const suite: BenchSuite = {
  prefix: 'mqtt',
  async run(): Promise<BenchResult[]> {
    if (!hasMosquitto()) {
      process.stdout.write('mqtt: mosquitto is not installed, no figures (Debian: apt-get install mosquitto)\n');
      return [];
    }
    const results: BenchResult[] = [];
    const broker = await TestBroker.start();
    try {
      // 1,000 printers printing; each changes every 5 s (spread evenly), published with the production rate limits.
      const DEVICES = 1000;
      const SECONDS = 10;
      const a = fleetOf(DEVICES);
      const publisher = new MqttPublisher({ fleet: a.fleet, log, settings: settings(broker.url, 'bench'), version: 'bench' });
      publisher.start();
      await until(() => publisher.connected);
      const sub = connect(broker.url, { protocolVersion: 5 });
      const latencies: number[] = [];
      let measuring = false;
      sub.on('message', (topic, payload) => {
        if (!measuring || !topic.endsWith('/state')) return;
        latencies.push(Date.now() - (JSON.parse(payload.toString()) as { ts: number }).ts);
      });
      await new Promise((r) => sub.once('connect', r));
      await sub.subscribeAsync('printdeck/bench/+/printer/+/state', { qos: 0 });
      await new Promise((r) => setTimeout(r, 1500));
      measuring = true;
      const bytesBefore = publisher.stats.bytes;
      const t0 = Date.now();
      let tick = 0;
      const perTick = DEVICES / (5000 / 20);
      const timer = setInterval(() => {
        const first = Math.floor(tick * perTick) % DEVICES;
        for (let i = 0; i < perTick; i++) step(a.drivers[(first + i) % DEVICES]!, tick);
        tick++;
      }, 20);
      await new Promise((r) => setTimeout(r, SECONDS * 1000));
      clearInterval(timer);
      const minutes = (Date.now() - t0) / 60_000;
      await new Promise((r) => setTimeout(r, 1200));
      measuring = false;
      latencies.sort((x, y) => x - y);
      results.push({ name: 'mqtt.publish_latency_p95_ms', value: percentile(latencies, 95), unit: 'ms', target: 100, better: 'lower' });
      results.push({ name: 'mqtt.publish_latency_p50_ms', value: percentile(latencies, 50), unit: 'ms', target: null, better: 'lower' });
      results.push({
        name: 'mqtt.bytes_per_device_per_min',
        value: (publisher.stats.bytes - bytesBefore) / DEVICES / minutes,
        unit: 'B',
        target: null,
        better: 'lower',
      });

      // A printer on host A → the status event in host B's fleet, through a site connection.
      const b = new Fleet(new EventHub({ tickMs: 50 }), log);
      b.registerProvider('site', (ctx) => new SiteProvider(ctx));
      const sent = new Map<string, number>();
      const siteLatencies: number[] = [];
      b.onChange((change) => {
        if (change.type !== 'status') return;
        const at = sent.get(markerOf(change.status));
        if (at !== undefined) {
          siteLatencies.push(Date.now() - at);
          sent.delete(markerOf(change.status));
        }
      });
      b.attach(connection('site-a', 'site', `${broker.url}/bench`), null);
      await until(() => b.list().length === DEVICES);
      for (let i = 0; i < 300; i++) {
        const d = a.drivers[(i * 37) % DEVICES]!;
        const name = `marker-${i}`;
        sent.set(name, Date.now());
        d.setStatus({ job: { name, progress: 0.5, elapsedSec: i, remainingSec: 100, taskId: null } });
        await new Promise((r) => setTimeout(r, 20));
      }
      await until(() => sent.size === 0, 5000).catch(() => undefined);
      siteLatencies.sort((x, y) => x - y);
      results.push({ name: 'mqtt.site_status_latency_p95_ms', value: percentile(siteLatencies, 95), unit: 'ms', target: 250, better: 'lower' });

      // Broker restart: from the broker listening again to both the publisher and the site being back.
      const siteBack = () => b.list().some((d) => markerOf(d) === 'after-restart');
      await broker.stop();
      await until(() => !publisher.connected);
      await broker.restart(0);
      // Both clients retry every 5 s (reconnectPeriod), so this is up to that plus the time to resubscribe.
      const back = Date.now();
      await until(() => publisher.connected);
      a.drivers[0]!.setStatus({ job: { name: 'after-restart', progress: 0.9, elapsedSec: 1, remainingSec: 1, taskId: null } });
      await until(siteBack);
      results.push({ name: 'mqtt.reconnect_ms', value: Date.now() - back, unit: 'ms', target: null, better: 'lower' });

      await sub.endAsync();
      await b.stopAll();
      await publisher.stop();
      await a.fleet.stopAll();

      results.push({ name: 'mqtt.site_upload_mib_per_s', value: await siteUploadRate(broker.url), unit: 'MiB/s', target: null, better: 'higher' });
    } finally {
      await broker.close();
    }
    return results;
  },
};

/**
 * Host B prints a 16 MiB file on a printer of host A through the broker (chunks of 128 KiB, 8 in
 * flight, SHA-256 on both sides): file size over the time from printers.print to A's printer
 * taking the job.
 */
async function siteUploadRate(url: string): Promise<number> {
  const drivers = new Map<string, ScriptedDriver>();
  const a = await createTestHub({ providers: { xyz: scriptedProvider(drivers) }, mqtt: { configure: { enabled: true, url, site: 'upload', commands: ['print'] } } });
  const b = await createTestHub({});
  try {
    a.hub.connections.add({ kind: 'xyz', name: 'target', address: 'tcp://127.0.0.1:9100', options: {} });
    const printer = drivers.get('target')!;
    printer.setStatus({ model: null });
    b.hub.connections.add({ kind: 'site', name: 'Upload', address: `${url}/upload`, options: {} });
    await until(() => b.hub.fleet.list().some((d) => d.site === 'upload' && d.capabilities.print));
    const remote = b.hub.fleet.list().find((d) => d.site === 'upload')!;
    const MIB = 16;
    const file = path.join(tempDir(), 'bench.gcode');
    const line = 'G1 X10.5 Y20.25 E0.0123 ; bench\n';
    writeFileSync(file, line.repeat(Math.ceil((MIB * 1024 * 1024) / line.length)));
    const t0 = Date.now();
    const r = await b.hub.registrar.dispatch('printers.print', { deviceId: remote.deviceId, file: { kind: 'path', path: file } }, { transport: 'memory', clientId: 'bench' });
    if (!r.ok) throw new Error(r.error.message);
    await until(() => printer.printed.length > 0, 120_000);
    return MIB / ((Date.now() - t0) / 1000);
  } finally {
    await b.close();
    await a.close();
  }
}

function markerOf(status: DeviceStatus): string {
  return status.job?.name ?? '';
}

export default suite;
