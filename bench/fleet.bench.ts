import WebSocket from 'ws';
import type { DeviceStatus } from '../src/shared/contract';
import { startTestHost } from '../test/support/test-host';
import type { BenchResult, BenchSuite } from './lib/types';

/** Cards a browser shows at once on the Devices screen; what it watches at full rate. */
const WATCHED = 40;
const MEASURE_MS = 20_000;
const WARMUP_LIMIT_MS = 120_000;

/**
 * A demo lab of `printers` (`demo.start {printers}`) behind the real host, a WebSocket client
 * that watches the first 40 devices like the Devices screen: what the socket carries, and what
 * the process costs. The simulators run in this process too (as with `serve --demo`), so CPU and
 * memory are the host's plus the lab's: an upper bound on the host alone.
 */
async function lab(printers: number): Promise<BenchResult[]> {
  const t = await startTestHost({ eventTickMs: 50 });
  try {
    await t.hub.startDemo({ printers });
    const started = Date.now();
    while (Date.now() - started < WARMUP_LIMIT_MS && t.hub.fleet.list().filter((d) => d.link === 'online').length < printers * 0.95) {
      await new Promise((r) => setTimeout(r, 500));
    }
    const ws = new WebSocket(t.wsUrl());
    let bytes = 0;
    const results = new Map<number, unknown>();
    ws.on('message', (data: Buffer) => {
      bytes += data.length;
      const frame = JSON.parse(data.toString()) as { t: string; id?: number; result?: { ok: boolean; value?: unknown } };
      if (frame.t === 'result' && frame.id !== undefined) results.set(frame.id, frame.result?.value);
    });
    await new Promise((r) => ws.once('open', r));
    ws.send(JSON.stringify({ t: 'call', id: 1, method: 'devices.list', payload: {} }));
    while (!results.has(1)) await new Promise((r) => setTimeout(r, 20));
    const ids = (results.get(1) as DeviceStatus[]).slice(0, WATCHED).map((d) => d.deviceId);
    ws.send(JSON.stringify({ t: 'call', id: 2, method: 'devices.watch', payload: { deviceIds: ids } }));
    while (!results.has(2)) await new Promise((r) => setTimeout(r, 20));
    bytes = 0;
    const cpu0 = process.cpuUsage();
    const t0 = Date.now();
    await new Promise((r) => setTimeout(r, MEASURE_MS));
    const elapsed = Date.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    ws.close();
    return [
      { name: `fleet.ws_kbytes_per_sec_${printers}`, value: Math.round((bytes / 1024 / (elapsed / 1000)) * 10) / 10, unit: 'kB/s', target: printers >= 1000 ? 150 : null, better: 'lower' },
      { name: `fleet.host_and_lab_cpu_pct_${printers}`, value: Math.round(((cpu.user + cpu.system) / 1000 / elapsed) * 1000) / 10, unit: '% of one core', target: null, better: 'lower' },
      { name: `fleet.host_and_lab_rss_mb_${printers}`, value: Math.round(process.memoryUsage().rss / 1024 / 1024), unit: 'MB', target: null, better: 'lower' },
    ];
  } finally {
    await t.hub.stopDemo().catch(() => undefined);
    await t.close();
  }
}

const suite: BenchSuite = {
  prefix: 'fleet',
  async run() {
    return [...(await lab(100)), ...(await lab(1000))];
  },
};
export default suite;
