import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { QueueSnapshot } from '../src/shared/contract';
import { ScriptedDriver, scriptedProvider } from '../test/support/scripted-driver';
import { createTestHub, tempDir } from '../test/support/test-hub';
import { runQueueCrash } from '../test/support/queue-crash';
import type { BenchResult, BenchSuite } from './lib/types';

const PRINTERS = 100;
const JOBS = 1_000;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

/**
 * 100 cheap in-process printers (scripted drivers registered as the xyz family, for the bench
 * only), all busy while 1,000 jobs are queued; then each in turn goes idle and has its bed
 * cleared, and the time until its driver is asked to print is one sample.
 */
async function dispatch(): Promise<{ addMs: number; p95: number; p50: number }> {
  const drivers = new Map<string, ScriptedDriver>();
  const t = await createTestHub({ providers: { xyz: scriptedProvider(drivers) }, eventTickMs: 50 });
  try {
    const call = async <T>(method: string, payload: unknown): Promise<T> => {
      const r = await t.hub.registrar.dispatch(method, payload, { transport: 'memory', clientId: 'bench' });
      if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
      return r.value as T;
    };
    for (let i = 0; i < PRINTERS; i++)
      t.hub.connections.add({ kind: 'xyz', name: `Bench ${i}`, address: `tcp://127.0.0.1:${10_000 + i}`, options: {} });
    const all = [...drivers.values()];
    for (const d of all)
      d.setStatus({
        state: 'printing',
        stateText: 'Printing',
        job: { name: 'earlier.gcode', progress: 0.5, elapsedSec: 10, remainingSec: 1000, taskId: null },
      });
    const file = path.join(tempDir(), 'part.gcode');
    writeFileSync(file, '; printer_model = MK4\nG90\n' + 'G1 X50 Y50 Z1 E1\n'.repeat(2_000));
    const t0 = performance.now();
    for (let i = 0; i < JOBS / 10; i++)
      await call('queue.add', { file: { kind: 'path', path: file }, name: `part-${i}.gcode`, copies: 10 });
    const addMs = performance.now() - t0;

    // Each printer ends its print as done; after its bed is cleared, time until the upload starts.
    const latencies: number[] = [];
    for (const d of all) {
      const before = d.printed.length;
      d.setStatus({ state: 'idle', stateText: 'Idle', job: null });
      const start = performance.now();
      await call('queue.bedCleared', { deviceId: d.deviceId });
      while (d.printed.length === before) await new Promise((r) => setImmediate(r));
      latencies.push(performance.now() - start);
    }
    const snapshot = await call<QueueSnapshot>('queue.list', {});
    if (snapshot.jobs.filter((j) => j.state === 'printing').length !== PRINTERS)
      throw new Error('not every printer got a job');
    return { addMs, p95: percentile(latencies, 95), p50: percentile(latencies, 50) };
  } finally {
    await t.close();
  }
}

const suite: BenchSuite = {
  prefix: 'queue',
  async run(): Promise<BenchResult[]> {
    const d = await dispatch();
    const crash = await runQueueCrash({ rounds: 10, jobs: 30, log: (line) => process.stdout.write(`  ${line}\n`) });
    const results: BenchResult[] = [
      { name: 'queue.dispatch_latency_p95_ms', value: round(d.p95), unit: 'ms', target: 1000, better: 'lower' },
      { name: 'queue.dispatch_latency_p50_ms', value: round(d.p50), unit: 'ms', target: null, better: 'lower' },
      { name: 'queue.crash_lost', value: crash.lost, unit: 'jobs', target: 0, better: 'lower' },
      { name: 'queue.crash_double_started', value: crash.doubleStarted, unit: 'jobs', target: 0, better: 'lower' },
      { name: 'queue.crash_rounds', value: crash.rounds, unit: 'kill -9', target: 10, better: 'higher' },
      { name: 'queue.add_1000_jobs_ms', value: round(d.addMs), unit: 'ms', target: null, better: 'lower' },
    ];
    return results;
  },
};

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

export default suite;
