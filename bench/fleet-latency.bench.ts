import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import WebSocket from 'ws';
import type { DeviceStatus, DeviceStatusDelta } from '../src/shared/contract';
import { startServe } from './lib/serve-process';
import type { BenchResult, BenchSuite } from './lib/types';
import { addedLatencies, type PushStamp, type ReceivedDelta } from './lib/added-latency';

const KEY = 'BENCH-OCTOPRINT-KEY-01';
/** Cards a browser shows at once on the Devices screen: the devices it watches at full rate. */
const WATCHED = 40;
const WARMUP_MS = 180_000;
const MEASURE_MS = Number(process.env.PRINTDECK_BENCH_WINDOW_S ?? 20) * 1000;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/**
 * What Printdeck adds between a printer's own status push and the UI event: `servers` simulated
 * OctoPrint servers (in a child process) each push `current` at 2 Hz, stamped as they go out; the
 * real host (`printdeck serve`, its own process) connects to them; a WebSocket client watching 40
 * devices, as the Devices screen does, stamps the `devices.delta` that carries each push (the first
 * delta of that device whose job progress has reached the pushed one). Loopback, one clock.
 */
async function run(servers: number): Promise<BenchResult[]> {
  const root = path.resolve(__dirname, '..');
  const child = spawn(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), path.join(root, 'sim/octoprint/fleet-process.ts'), String(servers), KEY], {
    cwd: root,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const replies = createInterface({ input: child.stdout!, crlfDelay: Infinity });
  const nextLine = () => new Promise<string>((resolve) => replies.once('line', resolve));
  const stamps = async (): Promise<PushStamp[]> => {
    child.stdin!.write('stamps\n');
    return (JSON.parse(await nextLine()) as { stamps: [number, number | null, number][] }).stamps.map(([server, completion, at]) => ({ server, completion, at }));
  };
  const { addresses } = JSON.parse(await nextLine()) as { addresses: string[] };
  const host = await startServe([]);
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws?token=${host.token}`);
  try {
    let nextId = 1;
    const waiting = new Map<number, { resolve(value: unknown): void; reject(err: Error): void }>();
    ws.on('close', (code) => {
      for (const w of waiting.values()) w.reject(new Error(`the host closed the socket (${code})`));
    });
    const call = <T>(method: string, payload: unknown): Promise<T> =>
      new Promise<T>((resolve, reject) => {
        const id = nextId++;
        const timer = setTimeout(() => reject(new Error(`${method}: no reply in 60 s`)), 60_000);
        waiting.set(id, {
          resolve: (v) => {
            clearTimeout(timer);
            resolve(v as T);
          },
          reject: (e) => {
            clearTimeout(timer);
            reject(e);
          },
        });
        ws.send(JSON.stringify({ t: 'call', id, method, payload }));
      });
    let measuring = false;
    const received: ReceivedDelta[] = [];
    ws.on('message', (data: Buffer) => {
      const at = Date.now();
      const frame = JSON.parse(data.toString()) as { t: string; id?: number; result?: { ok: boolean; value?: unknown; error?: { message: string } }; events?: { name: string; payload: unknown }[] };
      if (frame.t === 'result' && frame.id !== undefined) {
        const w = waiting.get(frame.id);
        waiting.delete(frame.id);
        if (frame.result?.ok) w?.resolve(frame.result.value);
        else w?.reject(new Error(frame.result?.error?.message ?? 'the call failed'));
      }
      if (frame.t !== 'events' || !measuring) return;
      for (const e of frame.events ?? []) {
        if (e.name !== 'devices.delta') continue;
        const delta = e.payload as DeviceStatusDelta;
        if (delta.job?.progress != null) received.push({ deviceId: delta.deviceId, progress: delta.job.progress, at });
      }
    });
    await new Promise((r) => ws.once('open', r));

    const serverOf = new Map<string, number>();
    // Twenty at a time: each is a committed database write.
    for (let i = 0; i < addresses.length; i += 20) {
      const added = await Promise.all(
        addresses.slice(i, i + 20).map((address, k) => call<{ id: string }>('connections.add', { kind: 'octoprint', name: `Bench OctoPrint ${i + k}`, address, options: {}, secret: KEY })),
      );
      added.forEach((a, k) => serverOf.set(a.id, i + k));
    }
    const started = Date.now();
    let list: DeviceStatus[] = [];
    let printing = 0;
    while (Date.now() - started < WARMUP_MS) {
      list = await call<DeviceStatus[]>('devices.list', {});
      printing = list.filter((d) => d.link === 'online' && d.state === 'printing').length;
      if (printing >= servers) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    if (printing < servers) process.stdout.write(`  only ${printing} of ${servers} printing after ${WARMUP_MS / 1000} s; measuring anyway\n`);
    const watched = list.slice(0, WATCHED);
    await call('devices.watch', { deviceIds: watched.map((d) => d.deviceId) });
    const deviceOfServer = new Map(watched.map((d) => [serverOf.get(d.connectionId) ?? -1, d.deviceId]));
    // Steady state first: every stream in its rhythm.
    await new Promise((r) => setTimeout(r, 2000));

    await stamps();
    measuring = true;
    const cpu0 = host.cpuSeconds();
    const t0 = Date.now();
    await new Promise((r) => setTimeout(r, MEASURE_MS));
    const wallS = (Date.now() - t0) / 1000;
    const cpuS = host.cpuSeconds() - cpu0;
    const pushed = await stamps();
    // A last second for the deltas carrying the window's last pushes.
    await new Promise((r) => setTimeout(r, 1000));
    measuring = false;
    const { latencies, unmatched } = addedLatencies(
      pushed.filter((s) => deviceOfServer.has(s.server)),
      received,
      (server) => deviceOfServer.get(server)!,
    );
    const sorted = [...latencies].sort((a, b) => a - b);
    const suffix = servers === 200 ? '' : `_${servers}`;
    process.stdout.write(`  ${servers} servers: ${latencies.length} pushes matched, ${unmatched} without a delta, p50 ${percentile(sorted, 50)} ms\n`);
    return [
      { name: `fleet.added_latency_p95_ms${suffix}`, value: percentile(sorted, 95), unit: `ms (${sorted.length} pushes)`, target: servers <= 200 ? 100 : null, better: 'lower' },
      { name: `fleet.added_latency_p50_ms${suffix}`, value: percentile(sorted, 50), unit: 'ms', target: null, better: 'lower' },
      { name: `fleet.host_cpu_pct_${servers}`, value: Math.round((cpuS / wallS) * 1000) / 10, unit: '% of one core', target: servers >= 1000 ? 25 : null, better: 'lower' },
      { name: `fleet.host_rss_mb_${servers}`, value: host.rssMb(), unit: 'MB', target: null, better: 'lower' },
    ];
  } finally {
    ws.close();
    await host.stop();
    child.stdin!.end();
    if (child.exitCode === null) await new Promise((r) => child.once('exit', r));
  }
}

const suite: BenchSuite = {
  prefix: 'fleet',
  async run() {
    return [...(await run(100)), ...(await run(200)), ...(await run(1000))];
  },
};
export default suite;
