import { spawn } from 'node:child_process';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { CloudAccountRuntime } from '../src/main/cloud/cloud-account';
import type { PollIntervals } from '../src/main/cloud/cloud-printers';
import { CLOUD_MIGRATIONS } from '../src/main/cloud/migrations';
import type { DomainContext } from '../src/main/domain';
import { EventHub } from '../src/main/events/event-hub';
import { createLogger } from '../src/main/log';
import { NotificationCenter } from '../src/main/notifications/notification-center';
import { MIGRATIONS } from '../src/main/store/migrations';
import type { SecretStore } from '../src/main/store/secrets';
import type { BenchResult, BenchSuite } from './lib/types';

const DEVICES = 500;
const WINDOW_MS = 8_000;
/** The production cadence (DEFAULT_INTERVALS): polls per minute while printing and while idle. */
const PROD = { printingPerMin: 60 / 5, idlePerMin: 60 / 30, devicesPerMin: 60 / 300, inboxPerMin: 1 };

async function startSandbox(): Promise<{ port: number; stop: () => void }> {
  const root = path.resolve(__dirname, '..');
  const child = spawn(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), path.join(root, 'sim/armory/standalone.ts'), String(DEVICES)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('the Armory sandbox did not start')), 30_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /PORT (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.once('exit', (code) => reject(new Error(`sandbox exited ${code}`)));
  });
  return { port, stop: () => child.kill('SIGTERM') };
}

function context(): DomainContext {
  const db = new DatabaseSync(':memory:');
  for (const m of CLOUD_MIGRATIONS) db.exec(m.sql);
  const notesDb = new DatabaseSync(':memory:');
  for (const m of MIGRATIONS) notesDb.exec(m.sql);
  const secrets = new Map<string, string>();
  const events = new EventHub({ tickMs: 50 });
  events.addSink({ deliver: () => undefined });
  return {
    db,
    dataDir: '',
    events,
    notifications: new NotificationCenter(events, notesDb),
    connections: null as never,
    fleet: null as never,
    transfers: null as never,
    profiles: null as never,
    staging: null as never,
    picked: null as never,
    secrets: {
      get: (id: string) => secrets.get(id) ?? null,
      set: (id: string, v: string) => void secrets.set(id, v),
      has: (id: string) => secrets.has(id),
      delete: (id: string) => void secrets.delete(id),
      deletePrefix: () => undefined,
    } as unknown as SecretStore,
    log: createLogger('bench', () => {}),
  };
}

/**
 * Polls one account of 500 printers back to back (100 ms cadence) for a few seconds and measures
 * what one poll costs in calls and main-process CPU; the per-minute figures apply the production
 * cadence (every 5 s while anything prints, every 30 s when idle, device list every 5 min, inbox
 * every minute). History lookups follow task ends, not the poll rate, so they are counted per minute.
 */
async function measure(port: number, account: string): Promise<{ callsPerMin: number; cpuPct: number; cpuMsPerPoll: number; statusEvents: number }> {
  const ctx = context();
  const calls = new Map<string, number>();
  const fast: PollIntervals = { printingMs: 100, idleMs: 100, devicesMs: 300_000, maxBackoffMs: 1_000 };
  const runtime = new CloudAccountRuntime(
    { id: `bench-${account}`, kind: 'armory', name: account, address: `grpc://127.0.0.1:${port}`, options: {}, origin: 'user', createdAt: 0, updatedAt: 0 },
    ctx,
    { intervals: fast, inboxIntervalMs: 3_600_000, onCall: (rpc) => calls.set(rpc, (calls.get(rpc) ?? 0) + 1) },
  );
  await runtime.session.signIn(account, 'bench');
  let statusEvents = 0;
  const provider = runtime.printers.provider();
  provider.onChange(() => statusEvents++);
  provider.start();
  // Warm up: the first poll reads the device list and builds 500 drivers.
  while (runtime.printers.count < DEVICES || runtime.printers.syncedAt === null) await new Promise((r) => setTimeout(r, 50));
  calls.clear();
  statusEvents = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, WINDOW_MS));
  const cpu = process.cpuUsage(cpu0);
  const elapsedMin = (performance.now() - t0) / 60_000;
  runtime.dispose();
  ctx.events.dispose();
  ctx.db.close();

  const polls = calls.get('GetPrintStatus') ?? 1;
  const cpuMsPerPoll = (cpu.user + cpu.system) / 1000 / polls;
  const printing = account.startsWith('busy');
  const pollsPerMin = printing ? PROD.printingPerMin : PROD.idlePerMin;
  const lookupsPerMin = Math.min(pollsPerMin * 2, (calls.get('ListMyTasks') ?? 0) / elapsedMin);
  const callsPerMin = pollsPerMin + lookupsPerMin + PROD.devicesPerMin + PROD.inboxPerMin;
  const cpuPct = ((cpuMsPerPoll * pollsPerMin) / 60_000) * 100;
  return { callsPerMin, cpuPct, cpuMsPerPoll, statusEvents };
}

const suite: BenchSuite = {
  prefix: 'armory',
  async run(): Promise<BenchResult[]> {
    const sandbox = await startSandbox();
    try {
      const idle = await measure(sandbox.port, 'idle@bench.invalid');
      const busy = await measure(sandbox.port, 'busy@bench.invalid');
      const r = (name: string, value: number, unit: string, target: number | null = null): BenchResult => ({
        name: `armory.${name}`,
        value: Math.round(value * 100) / 100,
        unit,
        target,
        better: 'lower',
      });
      return [
        r('500dev.idle.callsPerMin', idle.callsPerMin, 'calls/min', 10),
        r('500dev.idle.mainCpu', idle.cpuPct, '% of a core', 1),
        r('500dev.idle.cpuPerPoll', idle.cpuMsPerPoll, 'ms'),
        r('500dev.printing.callsPerMin', busy.callsPerMin, 'calls/min', 60),
        r('500dev.printing.mainCpu', busy.cpuPct, '% of a core', 5),
        r('500dev.printing.cpuPerPoll', busy.cpuMsPerPoll, 'ms'),
      ];
    } finally {
      sandbox.stop();
    }
  },
};

export default suite;
