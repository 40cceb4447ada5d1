import { randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { historyCalls, queueCalls, type HistoryScope, type QueueTarget } from '../../shared/contract';
import { AppError } from '../../shared/rpc/result';
import { PrintSessions } from '../devices/print-sessions';
import type { QueuedJobStarter } from '../devices/queued-jobs';
import type { DomainContext, DomainModule } from '../domain';
import type { HandlersOf } from '../rpc/registrar';
import { applyDomainMigrations } from '../store/migrations';
import { toCsv } from './history/csv';
import { HistoryStore, type HistoryFilter } from './history/history-store';
import { HistoryImporter } from './history/importer';
import { HistoryRecorder } from './history/recorder';
import { historyStats } from './history/stats';
import { JOBS_MIGRATIONS } from './migrations';
import { Dispatcher, type DispatchPort } from './queue/dispatcher';
import { JobFiles } from './queue/job-files';
import { QueueStore, type NewJob } from './queue/queue-store';
import { SendToPrinters } from './queue/send-to-printers';

const ACK = { done: true as const };
const DAY = 86_400_000;
const PRUNE_EVERY_MS = 6 * 3_600_000;

/** A job the demo queues: its G-code, where it goes, copies, held. */
export interface SeedJob {
  fileName: string;
  gcode: string;
  target: QueueTarget;
  copies: number;
  held: boolean;
}

export interface JobsModuleOptions {
  /** Replaces the fleet-facing parts of the dispatcher (tests: a fake clock, no settle delay). */
  port?: Partial<DispatchPort>;
  /** How often the printers' own histories are read again (default 10 minutes). */
  importIntervalMs?: number;
}

/**
 * The print queue and the print history: jobs routed to compatible printers and started when a
 * printer is free and its bed clear, and a record of every print on every family with statistics.
 * Both follow the fleet's status snapshots through one PrintSessions.
 */
export function createJobsModule(
  ctx: DomainContext,
  options: JobsModuleOptions = {},
): DomainModule<HandlersOf<typeof queueCalls> & HandlersOf<typeof historyCalls>> & {
  dispatcher: Dispatcher;
  importer: HistoryImporter;
  seedQueue: (jobs: readonly SeedJob[]) => Promise<number>;
  /** Starts a queued job on a named printer (MQTT's print-job command, composed by the hub). */
  starter: QueuedJobStarter;
} {
  applyDomainMigrations(ctx.db, 'jobs', JOBS_MIGRATIONS);
  const log = ctx.log;
  const store = new QueueStore(ctx.db);
  const history = new HistoryStore(ctx.db);
  const files = new JobFiles(ctx.dataDir, ctx.profiles);
  const sessions = new PrintSessions();
  let historyRevision = 0;
  const recorder = new HistoryRecorder(history, () =>
    ctx.events.emit('history.changed', { revision: ++historyRevision }),
  );
  const port: DispatchPort = {
    devices: () => ctx.fleet.list(),
    profileOf: (status) => ctx.profiles.profileOf(status),
    send: (deviceId, file, jobId) => {
      recorder.sending(deviceId, file.name, 'queue', port.now(), jobId);
      return ctx.transfers.send(deviceId, file, 'queue');
    },
    now: () => Date.now(),
    settle: () => new Promise((resolve) => setTimeout(resolve, 25)),
    ...options.port,
  };
  const dispatcher = new Dispatcher(store, port, log.child('queue'), (revision) =>
    ctx.events.emit('queue.changed', { revision }),
  );
  const importer = new HistoryImporter({
    store: history,
    devices: () => ctx.fleet.list(),
    driverOf: (deviceId) => {
      try {
        return ctx.fleet.driver(deviceId);
      } catch {
        return null;
      }
    },
    cutoff: () => {
      const days = history.retentionDays();
      return days > 0 ? Date.now() - days * DAY : null;
    },
    changed: () => ctx.events.emit('history.changed', { revision: ++historyRevision }),
    log: log.child('history-import'),
    ...(options.importIntervalMs === undefined ? {} : { intervalMs: options.importIntervalMs }),
  });
  for (const open of history.allRunning()) sessions.assumeActive(open.deviceId, open.fileName);

  const unsubscribeSending = ctx.transfers.onSending((s) => {
    if (s.origin !== 'queue') recorder.sending(s.deviceId, s.fileName, s.origin, s.at);
  });
  // Every print a printer accepted from us, from any origin, ends in history even if it fails
  // before a status shows it running.
  const unsubscribeAccepted = ctx.transfers.onAccepted((a) => sessions.expectStart(a.deviceId, a.fileName));
  const unsubscribeFleet = ctx.fleet.onChange((change) => {
    if (change.type === 'removed') {
      sessions.forget(change.deviceId);
      importer.forget(change.deviceId);
      void dispatcher.poke();
      return;
    }
    const transition = sessions.observe(change.status);
    if (transition) recorder.record(transition, port.now());
    dispatcher.observe(change.status, transition);
    importer.observe(change.status);
  });

  async function addFile(
    filePath: string,
    name: string,
    req: { target: NewJob['target']; copies: number; priority: number; held: boolean; requeueOnFailure: boolean },
  ) {
    const fileId = randomUUID();
    const taken = await files.take(filePath, name, fileId);
    const jobs: NewJob[] = Array.from({ length: req.copies }, (_, i) => ({
      id: i === 0 ? fileId : randomUUID(),
      fileName: name,
      filePath: taken.path,
      size: taken.size,
      facts: taken.facts,
      target: req.target,
      priority: req.priority,
      held: req.held,
      copyIndex: i + 1,
      copyCount: req.copies,
      requeueOnFailure: req.requeueOnFailure,
    }));
    try {
      return store.add(jobs, port.now());
    } catch (err) {
      await files.drop(taken.path);
      throw err;
    }
  }

  async function dropUnused(paths: string[]): Promise<void> {
    const used = new Set(store.list().map((j) => j.filePath));
    for (const p of new Set(paths))
      if (!used.has(p)) await files.drop(p).catch((err: unknown) => log.warn('could not delete a queue file', err));
  }

  function view(id: string) {
    return dispatcher.view(store.get(id));
  }

  function changed(): void {
    dispatcher.notify();
    void dispatcher.poke();
  }

  function scopeDevices(scope: HistoryScope): { deviceIds: string[] | null; printers: number } {
    if (scope.kind === 'printer') return { deviceIds: [scope.deviceId], printers: 1 };
    const known = store.printers();
    if (scope.kind === 'tag') {
      const ids = known
        .filter((p) => p.tags.some((t) => t.toLowerCase() === scope.tag.toLowerCase()))
        .map((p) => p.deviceId);
      return { deviceIds: ids, printers: ids.length };
    }
    return { deviceIds: null, printers: Math.max(known.length, ctx.fleet.list().length) };
  }

  function filterOf(req: { from: number; to: number; scope: HistoryScope }): HistoryFilter {
    if (req.to <= req.from) throw new AppError('BAD_REQUEST', 'The range must end after it starts.', 'to');
    return { from: req.from, to: req.to, deviceIds: scopeDevices(req.scope).deviceIds };
  }

  function prune(): void {
    const days = history.retentionDays();
    if (days <= 0) return;
    const removed = history.prune(Date.now() - days * DAY);
    if (removed > 0) {
      log.info(`history: removed ${removed} prints older than ${days} days`);
      ctx.events.emit('history.changed', { revision: ++historyRevision });
    }
  }
  let pruneTimer: NodeJS.Timeout | null = null;
  const sendToPrinters = new SendToPrinters({ ctx, files, store, now: () => port.now(), changed });

  /** Queues the demo's jobs when the queue is empty (a first start, or after it was cleared); returns how many. */
  async function seedQueue(jobs: readonly SeedJob[]): Promise<number> {
    if (jobs.length === 0 || store.list().length > 0) return 0;
    const dir = path.join(ctx.dataDir, 'demo-queue');
    await mkdir(dir, { recursive: true });
    let added = 0;
    for (const job of jobs) {
      const file = path.join(dir, path.basename(job.fileName));
      await writeFile(file, job.gcode);
      try {
        added += (
          await addFile(file, job.fileName, {
            target: job.target,
            copies: job.copies,
            priority: 0,
            held: job.held,
            requeueOnFailure: false,
          })
        ).length;
      } finally {
        await rm(file, { force: true });
      }
    }
    changed();
    return added;
  }

  return {
    dispatcher,
    importer,
    seedQueue,
    starter: { startQueued: (jobId, deviceId) => dispatcher.startQueued(jobId, deviceId) },
    handlers: {
      'queue.list': () => dispatcher.snapshot(),
      'queue.add': async (req, call) => {
        const source = await ctx.picked.admitSource(req.file, call, 'file');
        let added;
        if (source.kind === 'staged') {
          const staged = ctx.staging.resolve(source.stagedId);
          try {
            added = await addFile(staged.path, req.name ?? staged.name, req);
          } finally {
            await ctx.staging.release(source.stagedId);
          }
        } else {
          // A local file is judged by its real name, not the label given with it.
          const name = req.name ?? path.basename(source.path);
          if (path.extname(name).toLowerCase() !== path.extname(source.path).toLowerCase()) {
            throw new AppError(
              'BAD_REQUEST',
              `"${name}" must keep the file's own extension (${path.extname(source.path) || 'none'}).`,
              'name',
            );
          }
          added = await addFile(source.path, name, req);
        }
        changed();
        return { jobs: added.map((j) => view(j.id)) };
      },
      'queue.update': (req) => {
        const { id, ...patch } = req;
        store.update(id, Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)));
        changed();
        return view(id);
      },
      'queue.hold': (req) => {
        store.update(req.id, { held: true });
        changed();
        return view(req.id);
      },
      'queue.release': (req) => {
        store.update(req.id, { held: false });
        changed();
        return view(req.id);
      },
      'queue.move': (req) => {
        store.move(req.id, req.beforeId);
        changed();
        return view(req.id);
      },
      'queue.remove': async (req) => {
        const job = store.get(req.id);
        if (job.state === 'starting' || job.state === 'printing') {
          throw new AppError(
            'CONFLICT',
            `${job.fileName} is ${job.state} on ${job.deviceName ?? 'a printer'}; cancel the print there first.`,
          );
        }
        store.remove(req.id);
        await dropUnused([job.filePath]);
        changed();
        return ACK;
      },
      'queue.clearFinished': async () => {
        const gone = store.clearFinished();
        await dropUnused(gone.map((j) => j.filePath));
        changed();
        return { removed: gone.length };
      },
      'queue.bedCleared': (req) => dispatcher.bedCleared(req.deviceId),
      'queue.setPrinter': (req) => {
        const { deviceId, ...patch } = req;
        const printer = store.setPrinter(
          deviceId,
          Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)),
        );
        changed();
        return printer;
      },
      'queue.checkPrinters': (req, call) => sendToPrinters.check(req, call),
      'queue.sendToPrinters': (req, call) => sendToPrinters.send(req, call),
      'history.list': (req) => history.list(filterOf(req), req.limit, req.offset),
      'history.stats': (req) => historyStats(ctx.db, filterOf(req), req.bucket, scopeDevices(req.scope).printers),
      'history.exportCsv': (req) => toCsv(history.each(filterOf(req))),
      'history.settings': () => ({ retentionDays: history.retentionDays() }),
      'history.setRetention': (req) => {
        history.setRetentionDays(req.retentionDays);
        prune();
        return { retentionDays: history.retentionDays() };
      },
    },
    start: () => {
      prune();
      pruneTimer = setInterval(prune, PRUNE_EVERY_MS);
      pruneTimer.unref();
      importer.start();
      void dispatcher.poke();
    },
    stop: () => {
      if (pruneTimer) clearInterval(pruneTimer);
      importer.stop();
      dispatcher.stop();
      unsubscribeFleet();
      unsubscribeSending();
      unsubscribeAccepted();
    },
  };
}
