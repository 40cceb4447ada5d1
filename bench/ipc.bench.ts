import WebSocket from 'ws';
import { createClient } from '../src/shared/rpc/client';
import type { DeviceStatus } from '../src/shared/contract';
import { NO_CAPABILITIES } from '../src/shared/domain/device';
import { startTestHost } from '../test/support/test-host';
import type { BenchResult, BenchSuite } from './lib/types';

const CALLS = 2000;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

function status(i: number, now: number): DeviceStatus {
  return {
    deviceId: `dev-${i}`,
    connectionId: 'bench',
    family: 'xyz',
    name: `Printer ${i}`,
    model: 'da Vinci nano',
    serial: null,
    firmware: null,
    link: 'online',
    state: 'printing',
    stateText: 'Printing',
    job: { name: 'benchy.gcode', progress: (now % 1000) / 1000, elapsedSec: 10, remainingSec: 100, taskId: null },
    temperatures: [{ sensor: 'nozzle', actual: 210, target: 210 }],
    filament: null,
    problem: null,
    capabilities: NO_CAPABILITIES,
    updatedAt: now,
  };
}

/** The renderer-bound message rate and status latency while `devices` each change status at 2 Hz for `seconds`. */
async function statusStream(devices: number, seconds: number): Promise<{ rate: number; p50: number; p95: number }> {
  // The production tick (50 ms), not the tests' faster one.
  const t = await startTestHost({ eventTickMs: 50 });
  const hub = t.hub;
  const ws = new WebSocket(t.wsUrl());
  let messages = 0;
  const latencies: number[] = [];
  ws.on('message', (data) => {
    const frame = JSON.parse(data.toString()) as { t: string; events?: { payload: DeviceStatus }[] };
    if (frame.t !== 'events') return;
    messages++;
    const now = Date.now();
    for (const e of frame.events ?? []) latencies.push(now - e.payload.updatedAt);
  });
  await new Promise((r) => ws.once('open', r));
  // Spread updates evenly: every 10 ms a slice of the fleet reports, so each device reports every 500 ms.
  const slices = 50;
  const perSlice = Math.ceil(devices / slices);
  let slice = 0;
  const timer = setInterval(() => {
    const now = Date.now();
    const start = (slice % slices) * perSlice;
    for (let i = start; i < Math.min(devices, start + perSlice); i++) hub.events.emit('devices.delta', status(i, now));
    slice++;
  }, 10);
  const t0 = Date.now();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  clearInterval(timer);
  const elapsed = (Date.now() - t0) / 1000;
  await new Promise((r) => setTimeout(r, 200));
  ws.close();
  await t.close();
  latencies.sort((a, b) => a - b);
  return { rate: messages / elapsed, p50: percentile(latencies, 50), p95: percentile(latencies, 95) };
}

const suite: BenchSuite = {
  prefix: 'ipc',
  async run(): Promise<BenchResult[]> {
    const results: BenchResult[] = [];

    // Call round trip over the IPC-equivalent path: client → structuredClone → registrar → hub → back.
    const t = await startTestHost();
    const memoryClient = createClient({
      request: async (method, payload) => structuredClone(await t.hub.registrar.dispatch(method, structuredClone(payload), { transport: 'memory', clientId: 'bench' })),
      onEvents: () => () => {},
    });
    const ipc: number[] = [];
    for (let i = 0; i < CALLS; i++) {
      const s = performance.now();
      await memoryClient.call('connections.list', {});
      ipc.push(performance.now() - s);
    }
    ipc.sort((a, b) => a - b);
    results.push({ name: 'ipc.call_roundtrip_p50_ms', value: percentile(ipc, 50), unit: 'ms', target: null, better: 'lower' });
    results.push({ name: 'ipc.call_roundtrip_p95_ms', value: percentile(ipc, 95), unit: 'ms', target: null, better: 'lower' });

    // The same call over the real WebSocket transport.
    const ws = new WebSocket(t.wsUrl());
    await new Promise((r) => ws.once('open', r));
    const waiting = new Map<number, () => void>();
    ws.on('message', (d) => {
      const f = JSON.parse(d.toString()) as { t: string; id?: number };
      if (f.t === 'result' && f.id !== undefined) waiting.get(f.id)?.();
    });
    const wsLat: number[] = [];
    for (let i = 1; i <= CALLS; i++) {
      const s = performance.now();
      await new Promise<void>((resolve) => {
        waiting.set(i, resolve);
        ws.send(JSON.stringify({ t: 'call', id: i, method: 'connections.list', payload: {} }));
      });
      waiting.delete(i);
      wsLat.push(performance.now() - s);
    }
    ws.close();
    await t.close();
    wsLat.sort((a, b) => a - b);
    results.push({ name: 'ipc.ws_call_roundtrip_p50_ms', value: percentile(wsLat, 50), unit: 'ms', target: null, better: 'lower' });
    results.push({ name: 'ipc.ws_call_roundtrip_p95_ms', value: percentile(wsLat, 95), unit: 'ms', target: null, better: 'lower' });

    for (const devices of [100, 1000]) {
      const r = await statusStream(devices, 5);
      results.push({ name: `ipc.status_messages_per_sec_${devices}_devices`, value: r.rate, unit: 'msg/s', target: 30, better: 'lower' });
      results.push({ name: `ipc.status_latency_p50_ms_${devices}_devices`, value: r.p50, unit: 'ms', target: null, better: 'lower' });
      results.push({ name: `ipc.status_latency_p95_ms_${devices}_devices`, value: r.p95, unit: 'ms', target: 100, better: 'lower' });
    }
    return results;
  },
};

export default suite;
