import { randomUUID } from 'node:crypto';
import {
  uploadCalls,
  UPLOADS_MAX_CONCURRENCY,
  UploadsRetention,
  type UploadJobSummary,
  type UploadsStatus,
} from '../../shared/contract';
import { AppError } from '../../shared/rpc/result';
import type { DomainContext, DomainModule } from '../domain';
import type { HandlersOf } from '../rpc/registrar';
import { OwnedFiles } from './file-intake';
import { ImageSources } from './image-sources';
import { grpcImssFactory, ImssConnections, type ImssApiFactory } from './imss-connections';
import { SessionImages } from './session-images';
import { ThumbnailStore } from './thumbnails';
import { DEFAULT_RETENTION, LocalCopies, type RetentionPolicy } from './local-copies';
import { NotLiveError, UploadQueue, type QueueOptions } from './upload-queue';
import { newJobRow, UploadStore, type JobImageRow } from './upload-store';

const CONCURRENCY_SETTING = 'uploads.concurrency';
const RETENTION_SETTING = 'uploads.retention';
const MB = 1024 ** 2;

function savedRetention(raw: string | undefined): RetentionPolicy {
  const parsed = raw
    ? UploadsRetention.safeParse(
        (() => {
          try {
            return JSON.parse(raw) as unknown;
          } catch {
            return null;
          }
        })(),
      )
    : null;
  if (!parsed?.success) return DEFAULT_RETENTION;
  return {
    deleteDelivered: parsed.data.deleteDelivered,
    keepLast: parsed.data.keepLast,
    budgetBytes: parsed.data.budgetMb * MB,
  };
}

export interface UploadsModuleOptions {
  /** How IMSS clients are made; tests and benchmarks pass an in-memory server. */
  apiFactory?: ImssApiFactory;
  queue?: Partial<QueueOptions>;
}

/** Image sessions and the durable upload job queue (IMSS). */
export function createUploadsModule(
  ctx: DomainContext,
  options: UploadsModuleOptions = {},
): DomainModule<HandlersOf<typeof uploadCalls>> {
  const store = new UploadStore(ctx.db);
  const log = ctx.log;
  let queue: UploadQueue | null = null;
  const servers = new ImssConnections(
    ctx.connections,
    options.apiFactory ?? grpcImssFactory,
    (id) => queue?.resetConnection(id),
    log.child('servers'),
  );
  const owned = new OwnedFiles(ctx.dataDir);
  const copies = new LocalCopies(
    store,
    owned.dir,
    savedRetention(store.setting(RETENTION_SETTING)),
    log.child('retention'),
  );
  owned.beforeWrite = (bytes) => copies.makeRoom(bytes);
  const tidy = (): void => {
    void copies
      .tidy()
      .then((n) => n > 0 && emitStatus())
      .catch((err: unknown) => log.warn('tidying delivered upload copies failed', err));
  };
  const sessions = new SessionImages(
    store,
    servers,
    ctx.staging,
    owned,
    new ThumbnailStore(ctx.dataDir),
    ctx.events,
    log.child('sessions'),
  );
  const emitStatus = (): void => ctx.events.emit('uploads.status', status());
  const sources = new ImageSources(store, sessions, ctx.fleet, owned, log.child('sources'), emitStatus);
  const savedConcurrency = Number(store.setting(CONCURRENCY_SETTING));
  queue = new UploadQueue(
    store,
    {
      api: (id) => servers.api(id),
      onJob: (summary) => ctx.events.emit('uploads.job', summary),
      onImage: (image) => ctx.events.emit('uploads.jobImage', image),
      onCircuit: () => emitStatus(),
      onDelivered: (job) => {
        tidy();
        ctx.notifications.notify({
          level: 'success',
          title: `Images delivered to ${job.recipient}`,
          body: `${job.doneImages} image${job.doneImages === 1 ? '' : 's'} uploaded and sent${job.deliveryLink ? `: ${job.deliveryLink}` : '.'}`,
          route: 'uploads',
        });
      },
      onStuck: (job) =>
        ctx.notifications.notify({
          level: 'error',
          title: `${job.errorImages} image${job.errorImages === 1 ? '' : 's'} could not be uploaded`,
          body: `The job for ${job.recipient} waits: retry the failed images or cancel the job.`,
          route: 'uploads',
        }),
    },
    log.child('queue'),
    {
      ...(Number.isInteger(savedConcurrency) && savedConcurrency >= 1 && savedConcurrency <= UPLOADS_MAX_CONCURRENCY
        ? { concurrency: savedConcurrency }
        : {}),
      ...options.queue,
    },
  );
  const jobs = queue;

  function status(): UploadsStatus {
    return {
      servers: servers.list().map((c) => {
        const circuit = jobs.circuitOf(c.id);
        return {
          connectionId: c.id,
          name: c.name,
          circuit: circuit.state,
          message: circuit.message,
          activeSessionId: sessions.activeSessionId(c.id),
        };
      }),
      concurrency: jobs.concurrency,
      inFlight: jobs.running,
      watches: sources.watchList(),
      timelapses: sources.timelapseList(),
      retention: retentionView(copies.policy),
      storage: { ...copies.usage(), budgetBytes: copies.policy.budgetBytes },
    };
  }

  function summaryOrThrow(jobId: string): UploadJobSummary {
    const s = jobs.summary(jobId);
    if (!s) throw new AppError('NOT_FOUND', 'No such upload job.');
    return s;
  }

  /** Runs a change on a live job; a finished job cannot change. */
  function onLiveJob(jobId: string, change: () => void): UploadJobSummary {
    summaryOrThrow(jobId);
    try {
      change();
    } catch (err) {
      if (err instanceof NotLiveError)
        throw new AppError('CONFLICT', 'The job is finished; it can no longer be changed.');
      throw err;
    }
    return summaryOrThrow(jobId);
  }

  function createJob(req: {
    connectionId: string;
    sessionId: string;
    recipient: string;
    imageIds?: string[] | undefined;
  }): UploadJobSummary {
    servers.require(req.connectionId);
    const session = store.session(req.connectionId, req.sessionId);
    if (!session) throw new AppError('NOT_FOUND', 'No such session; reload the sessions list.');
    const ids = [...new Set(req.imageIds ?? store.imageIds(req.connectionId, req.sessionId))];
    if (ids.length === 0) throw new AppError('BAD_REQUEST', 'The session has no images to upload yet.', 'imageIds');
    const rows: JobImageRow[] = [];
    const jobId = randomUUID();
    for (const [position, id] of ids.entries()) {
      const image = store.image(id);
      if (!image || image.session_id !== req.sessionId || image.connection_id !== req.connectionId) {
        throw new AppError('BAD_REQUEST', 'An image of the job is not in that session.', 'imageIds');
      }
      rows.push({
        job_id: jobId,
        image_id: id,
        position,
        upload_id: null,
        state: 'pending',
        committed: 0,
        size: image.size,
        error: null,
        retryable: 1,
      });
    }
    // Durable before it is acknowledged: the job and all its images are one transaction.
    store.insertJob(
      newJobRow({
        id: jobId,
        connectionId: req.connectionId,
        sessionId: req.sessionId,
        recipient: req.recipient,
        requestId: randomUUID(),
      }),
      rows,
    );
    return jobs.add(jobId);
  }

  return {
    handlers: {
      'uploads.status': () => status(),
      'uploads.configure': async (req) => {
        if (req.concurrency !== undefined) {
          store.setSetting(CONCURRENCY_SETTING, String(req.concurrency));
          jobs.setConcurrency(req.concurrency);
        }
        if (req.retention) {
          const next = UploadsRetention.parse({ ...retentionView(copies.policy), ...req.retention });
          store.setSetting(RETENTION_SETTING, JSON.stringify(next));
          copies.setPolicy({
            deleteDelivered: next.deleteDelivered,
            keepLast: next.keepLast,
            budgetBytes: next.budgetMb * MB,
          });
          await copies.tidy();
        }
        emitStatus();
        return status();
      },
      'uploads.listSessions': (req) => sessions.listSessions(req.connectionId),
      'uploads.createSession': async (req) => {
        const s = await sessions.createSession(req.connectionId, req.name);
        emitStatus();
        return s;
      },
      'uploads.getSession': (req) => sessions.getSession(req.connectionId, req.sessionId),
      'uploads.completeSession': async (req) => {
        const s = await sessions.completeSession(req.connectionId, req.sessionId);
        emitStatus();
        return s;
      },
      'uploads.addImages': async (req, call) => {
        const files = await Promise.all(
          req.files.map((f) =>
            // A missing in-process path is reported per file by addSources, as before; a bad token fails the call.
            ctx.picked.admitSource(f, call, 'either').catch((err: unknown) => {
              if (f.kind === 'path' && err instanceof AppError && err.code === 'NOT_FOUND') return f;
              throw err;
            }),
          ),
        );
        return sessions.addSources(req.connectionId, req.sessionId, files, call.transport === 'websocket');
      },
      'uploads.listImages': (req) => sessions.listImages(req.connectionId, req.sessionId, req.offset, req.limit),
      'uploads.thumbnail': (req) => sessions.thumbnail(req.imageId),
      'uploads.watchFolder': async (req, call) => {
        servers.require(req.connectionId);
        if (call.transport === 'websocket' && req.folder !== null) {
          throw new AppError(
            'FORBIDDEN',
            'Folder watch is set up in the desktop app; over the network, send the files themselves.',
          );
        }
        await sources.watch(
          req.connectionId,
          req.folder === null ? null : await ctx.picked.admit(req.folder, call, 'folder'),
        );
        return status();
      },
      'uploads.capture': (req) => sources.capture(req.connectionId, req.sessionId, req.deviceId),
      'uploads.timelapse': (req) => {
        servers.require(req.connectionId);
        sources.setTimelapse(req.connectionId, req.deviceId, req.intervalSec);
        return status();
      },
      'uploads.createJob': (req) => createJob(req),
      'uploads.pauseJob': (req) => onLiveJob(req.jobId, () => jobs.pause(req.jobId)),
      'uploads.resumeJob': (req) => onLiveJob(req.jobId, () => jobs.resume(req.jobId)),
      'uploads.cancelJob': (req) => onLiveJob(req.jobId, () => jobs.cancel(req.jobId)),
      'uploads.retryImage': (req) => onLiveJob(req.jobId, () => jobs.retry(req.jobId, req.imageId)),
      'uploads.listJobs': (req) =>
        store
          .jobs(req.connectionId ?? null, 200)
          .map((row) => jobs.summary(row.id))
          .filter((s): s is UploadJobSummary => s !== null),
      'uploads.getJob': (req) => {
        const job = summaryOrThrow(req.jobId);
        const page = jobs.imagesOf(req.jobId, req.offset, req.limit) ?? { images: [], total: 0 };
        return { job, ...page };
      },
    },
    async start() {
      servers.start();
      sessions.start();
      jobs.start();
      await copies.sweepOrphans().catch((err: unknown) => log.warn('sweeping orphaned upload copies failed', err));
      tidy();
      await sources.start();
    },
    async stop() {
      sources.stop();
      sessions.stop();
      await jobs.stop();
      await servers.close();
    },
  };
}

function retentionView(p: RetentionPolicy): UploadsRetention {
  return {
    deleteDelivered: p.deleteDelivered,
    keepLast: p.keepLast,
    budgetMb: Math.max(1, Math.round(p.budgetBytes / MB)),
  };
}
