import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from './test-hub';
import { kill9, launch, stopGracefully, WsApi, type Host } from './uploads-crash';

interface QueueJobView {
  fileName: string;
  state: string;
}

export interface QueueCrashOutcome {
  jobs: number;
  rounds: number;
  /** Jobs that never started on any printer, or are not finished in the queue at the end. */
  lost: number;
  /** Jobs a printer started more than once. */
  doubleStarted: number;
  seconds: number;
}

/**
 * Starts da Vinci simulators in their own process and a `printdeck serve` host, queues jobs for any
 * printer (printers clear their own beds), and kills the host with SIGKILL at random moments while
 * it dispatches, `rounds` times; then lets it finish and counts, from what the printers saw, jobs
 * that were lost or started twice.
 */
export async function runQueueCrash(
  options: { rounds?: number; jobs?: number; printers?: number; log?: (line: string) => void } = {},
): Promise<QueueCrashOutcome> {
  const rounds = options.rounds ?? 10;
  const jobCount = options.jobs ?? 12;
  const log = options.log ?? (() => undefined);
  const started = performance.now();
  const root = path.resolve(__dirname, '../..');
  const sims = spawn(
    process.execPath,
    [
      path.join(root, 'node_modules/tsx/dist/cli.mjs'),
      path.join(root, 'bench/lib/xyz-sims-child.ts'),
      String(options.printers ?? 3),
      '600',
    ],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const starts = new Map<string, number>();
  let buffer = '';
  const printers = await new Promise<{ name: string; address: string; model: string }[]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the simulators did not start')), 20_000);
    sims.stdout!.on('data', (d) => {
      buffer += String(d);
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (line.startsWith('{')) {
          clearTimeout(timer);
          resolve((JSON.parse(line) as { printers: { name: string; address: string; model: string }[] }).printers);
        } else if (line.startsWith('start ')) {
          // The printer names the job as the driver sent it (G-code goes as .3w): count by base name.
          const file = line.split(' ')[2]!.replace(/\.[^.]*$/, '');
          starts.set(file, (starts.get(file) ?? 0) + 1);
        }
      }
    });
  });
  const dataDir = tempDir('printdeck-queue-crash-');
  let host: Host = await launch(dataDir, 0);
  const port = host.port;
  try {
    let api = await WsApi.open(port);
    for (const p of printers)
      await api.call('connections.add', { kind: 'xyz', name: p.name, address: p.address, options: { model: p.model } });
    let devices: { deviceId: string; link: string }[] = [];
    for (let i = 0; i < 200 && devices.filter((d) => d.link === 'online').length < printers.length; i++) {
      await new Promise((r) => setTimeout(r, 100));
      devices = await api.call('devices.list');
    }
    for (const d of devices) await api.call('queue.setPrinter', { deviceId: d.deviceId, autoClear: true });
    const gcode = readFileSync(path.join(root, 'test/fixtures/queue/crash-part.gcode'));
    for (let i = 0; i < jobCount; i++) {
      const begin = await api.call<{ stagedId: string }>('files.stageBegin', {
        name: `job-${i}.gcode`,
        size: gcode.length,
      });
      await api.call('files.stageChunk', { stagedId: begin.stagedId, offset: 0, dataBase64: gcode.toString('base64') });
      await api.call('files.stageFinish', { stagedId: begin.stagedId });
      await api.call('queue.add', { file: { kind: 'staged', stagedId: begin.stagedId }, name: `job-${i}.gcode` });
    }
    api.close();
    for (let round = 1; round <= rounds; round++) {
      const wait = 300 + Math.floor(Math.random() * 1500);
      await new Promise((r) => setTimeout(r, wait));
      await kill9(host);
      log(`round ${round}: killed after ${wait} ms; ${starts.size} jobs started so far`);
      host = await launch(dataDir, port);
    }
    api = await WsApi.open(port);
    let jobs: QueueJobView[] = [];
    const deadline = Date.now() + 180_000;
    while (Date.now() < deadline) {
      jobs = (await api.call<{ jobs: QueueJobView[] }>('queue.list')).jobs;
      if (jobs.every((j) => ['done', 'failed', 'cancelled'].includes(j.state))) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    api.close();
    let lost = 0;
    let doubleStarted = 0;
    for (let i = 0; i < jobCount; i++) {
      const name = `job-${i}.gcode`;
      const job = jobs.find((j) => j.fileName === name);
      const times = starts.get(`job-${i}`) ?? 0;
      if (!job || times === 0 || !['done', 'failed', 'cancelled'].includes(job.state)) lost++;
      if (times > 1) doubleStarted++;
    }
    return { jobs: jobCount, rounds, lost, doubleStarted, seconds: (performance.now() - started) / 1000 };
  } finally {
    await stopGracefully(host).catch(() => undefined);
    sims.kill('SIGTERM');
  }
}
