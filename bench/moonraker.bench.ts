import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import WebSocket from 'ws';
import type { DeviceStatusDelta } from '../src/shared/contract';
import { startTestHost } from '../test/support/test-host';
import type { BenchResult, BenchSuite } from './lib/types';

const INSTANCES = 200;
const KEY = '0123456789abcdef0123456789abcdef';
const WARMUP_MS = 30_000;
const MEASURE_MS = 12_000;

interface SimServer {
  address: string;
  startedAt: number;
  timeScale: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/**
 * 200 simulated Moonraker servers (in a child process, so the CPU figure is main's alone), each
 * printing, so each pushes `notify_status_update` every 250 ms. A real hub takes them in; a
 * WebSocket client stands in for the renderer. Latency runs from the simulator's status change
 * to the `devices.delta` event: the simulator's `total_duration` is wall time since the job's
 * start (times its time scale) at the moment it pushes it, so each status dates its own change.
 */
async function run(): Promise<BenchResult[]> {
  const root = path.resolve(__dirname, '..');
  const child = spawn(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), path.join(root, 'sim/moonraker/fleet-process.ts'), String(INSTANCES), KEY], {
    cwd: root,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const replies = createInterface({ input: child.stdout! });
  const nextLine = () => new Promise<string>((resolve) => replies.once('line', resolve));
  const { servers } = JSON.parse(await nextLine()) as { servers: SimServer[] };
  const sentFrames = async (): Promise<number> => {
    child.stdin!.write('stats\n');
    return (JSON.parse(await nextLine()) as { sent: number }).sent;
  };

  const t = await startTestHost({ eventTickMs: 50 });
  const byConnection = new Map<string, SimServer>();
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
      // Deltas name the connection only in a device's first (full) one, which may come before measuring
      // starts; a Moonraker device id is `moonraker:<connection id>`.
      const server = byConnection.get(e.payload.connectionId ?? e.payload.deviceId.replace(/^moonraker:/, ''));
      const elapsed = e.payload.job?.elapsedSec;
      if (server === undefined || elapsed === null || elapsed === undefined) continue;
      latencies.push(now - (server.startedAt + (elapsed * 1000) / server.timeScale));
    }
  });
  await new Promise((r) => ws.once('open', r));
  servers.forEach((server, i) => {
    const c = t.hub.connections.add({ kind: 'moonraker', name: `Bench Klipper ${i}`, address: server.address, options: {}, secret: KEY });
    byConnection.set(c.id, server);
  });
  const addedAt = Date.now();
  let online = 0;
  while (Date.now() - addedAt < WARMUP_MS) {
    online = t.hub.fleet.list().filter((s) => s.link === 'online' && s.state === 'printing').length;
    if (online === INSTANCES) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const allOnlineMs = Date.now() - addedAt;
  await new Promise((r) => setTimeout(r, 1000));

  measuring = true;
  const sentBefore = await sentFrames();
  const cpuBefore = process.cpuUsage();
  const wallBefore = performance.now();
  await new Promise((r) => setTimeout(r, MEASURE_MS));
  const cpu = process.cpuUsage(cpuBefore);
  const wallMs = performance.now() - wallBefore;
  measuring = false;
  const sent = (await sentFrames()) - sentBefore;

  ws.close();
  await t.close();
  child.stdin!.end();
  await new Promise((r) => child.once('exit', r));

  latencies.sort((a, b) => a - b);
  const seconds = wallMs / 1000;
  return [
    { name: 'moonraker.instances_online', value: online, unit: 'servers', target: INSTANCES, better: 'higher' },
    { name: 'moonraker.all_online_after_ms', value: allOnlineMs, unit: 'ms', target: null, better: 'lower' },
    { name: 'moonraker.frames_sent_per_sec', value: sent / seconds, unit: 'msg/s', target: null, better: 'higher' },
    { name: 'moonraker.status_to_renderer_per_sec', value: statusMessages / seconds, unit: 'status/s', target: null, better: 'higher' },
    { name: 'moonraker.status_latency_p50_ms', value: percentile(latencies, 50), unit: 'ms', target: null, better: 'lower' },
    { name: 'moonraker.status_latency_p95_ms', value: percentile(latencies, 95), unit: 'ms', target: 250, better: 'lower' },
    { name: 'moonraker.main_cpu_percent', value: ((cpu.user + cpu.system) / 1000 / wallMs) * 100, unit: '%', target: 50, better: 'lower' },
  ];
}

const suite: BenchSuite = { prefix: 'moonraker', run };

export default suite;
