import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import WebSocket from 'ws';
import type { DeviceStatusDelta } from '../src/shared/contract';
import { OctoPrintDriver } from '../src/main/printers/octoprint/octoprint-driver';
import { startTestHost } from '../test/support/test-host';
import type { BenchResult, BenchSuite } from './lib/types';

const INSTANCES = 200;
const KEY = 'BENCH-OCTOPRINT-KEY-01';
/** At most this long for all servers to come online. */
const WARMUP_MS = 30_000;
const MEASURE_MS = 12_000;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/**
 * 200 simulated OctoPrint servers (in a child process, so the CPU figure is main's alone), each
 * printing, so each pushes `current` at 2 Hz over SockJS. The real connector in a real hub takes
 * them in; a WebSocket client stands in for the renderer and times each status from its
 * `updatedAt` stamp to arrival.
 */
async function run(): Promise<BenchResult[]> {
  const root = path.resolve(__dirname, '..');
  const child = spawn(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), path.join(root, 'sim/octoprint/fleet-process.ts'), String(INSTANCES), KEY], {
    cwd: root,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const replies = createInterface({ input: child.stdout! });
  const nextLine = () => new Promise<string>((resolve) => replies.once('line', resolve));
  const { addresses } = JSON.parse(await nextLine()) as { addresses: string[] };
  const sentFrames = async (): Promise<number> => {
    child.stdin!.write('stats\n');
    return (JSON.parse(await nextLine()) as { sent: number }).sent;
  };

  // Count push frames as the drivers handle them (a wrapper around the private handler).
  let handled = 0;
  const proto = OctoPrintDriver.prototype as unknown as { onMessage(message: unknown): void };
  const original = proto.onMessage;
  proto.onMessage = function (this: unknown, message: unknown) {
    handled++;
    original.call(this, message);
  };

  const t = await startTestHost({ eventTickMs: 50 });
  const ws = new WebSocket(t.wsUrl());
  let measuring = false;
  let statusMessages = 0;
  const latencies: number[] = [];
  ws.on('message', (data) => {
    if (!measuring) return;
    const frame = JSON.parse(data.toString()) as { t: string; events?: { name: string; payload: DeviceStatusDelta }[] };
    if (frame.t !== 'events') return;
    const now = Date.now();
    for (const e of frame.events ?? []) {
      if (e.name !== 'devices.delta') continue;
      statusMessages++;
      latencies.push(now - e.payload.updatedAt);
    }
  });
  await new Promise((r) => ws.once('open', r));
  addresses.forEach((address, i) => t.hub.connections.add({ kind: 'octoprint', name: `Bench OctoPrint ${i}`, address, options: {}, secret: KEY }));
  // Wait until every server is online and printing (the connection storm is not the steady state).
  const addedAt = Date.now();
  let online = 0;
  while (Date.now() - addedAt < WARMUP_MS) {
    online = t.hub.fleet.list().filter((s) => s.link === 'online' && s.state === 'printing').length;
    if (online === INSTANCES) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const allOnlineMs = Date.now() - addedAt;
  // One more second so every status stream is in its steady rhythm.
  await new Promise((r) => setTimeout(r, 1000));

  measuring = true;
  const handledBefore = handled;
  const sentBefore = await sentFrames();
  const cpuBefore = process.cpuUsage();
  const wallBefore = performance.now();
  await new Promise((r) => setTimeout(r, MEASURE_MS));
  const cpu = process.cpuUsage(cpuBefore);
  const wallMs = performance.now() - wallBefore;
  measuring = false;
  const sent = (await sentFrames()) - sentBefore;
  const handledCount = handled - handledBefore;

  proto.onMessage = original;
  ws.close();
  await t.close();
  child.stdin!.end();
  await new Promise((r) => child.once('exit', r));

  latencies.sort((a, b) => a - b);
  const seconds = wallMs / 1000;
  return [
    { name: 'octoprint.instances_online', value: online, unit: 'servers', target: INSTANCES, better: 'higher' },
    { name: 'octoprint.all_online_after_ms', value: allOnlineMs, unit: 'ms', target: null, better: 'lower' },
    { name: 'octoprint.push_messages_handled_per_sec', value: handledCount / seconds, unit: 'msg/s', target: null, better: 'higher' },
    { name: 'octoprint.push_messages_sent_per_sec', value: sent / seconds, unit: 'msg/s', target: null, better: 'higher' },
    { name: 'octoprint.status_to_renderer_per_sec', value: statusMessages / seconds, unit: 'status/s', target: null, better: 'higher' },
    { name: 'octoprint.status_latency_p50_ms', value: percentile(latencies, 50), unit: 'ms', target: null, better: 'lower' },
    { name: 'octoprint.status_latency_p95_ms', value: percentile(latencies, 95), unit: 'ms', target: 250, better: 'lower' },
    { name: 'octoprint.main_cpu_percent_of_one_core', value: ((cpu.user + cpu.system) / 1000 / wallMs) * 100, unit: '%', target: 50, better: 'lower' },
  ];
}

const suite: BenchSuite = { prefix: 'octoprint', run };

export default suite;
