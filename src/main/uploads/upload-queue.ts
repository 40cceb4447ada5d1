import { stat } from 'node:fs/promises';
import { status as grpcStatus } from '@grpc/grpc-js';
import { backoffDelay, Pump } from '../../shared/async';
import type { JobImage, JobImageState, UploadJobSummary } from '../../shared/contract';
import { UploadStatus } from '../gen/imss/imss';
import { DeliveryState, ErrorCode } from '../gen/imss/imss_service';
import type { Logger } from '../log';
import { Circuit, retryPolicy, type CircuitState } from './circuit';
import { ImssCallError, type ImssApi, type JobSnapshot } from './imss-api';
import { FileChangedError } from './imss-grpc-client';
import { remoteName } from './session-images';
import type { JobImageWithFile, JobRow, UploadStore } from './upload-store';

export interface QueueOptions {
  concurrency: number;
  /** Transient failures of one image before it is marked failed (retryable by the user). */
  maxAttempts: number;
  /** Whole sends of one image whose bytes the server found damaged (SHA-256 mismatch) before it fails. */
  maxChecksumAttempts: number;
  retryBaseMs: number;
  retryCapMs: number;
  circuitThreshold: number;
  probeBaseMs: number;
  probeCapMs: number;
  /** Minimum time between two progress events of one job (10 per second). */
  progressIntervalMs: number;
  random: () => number;
}

export const DEFAULT_QUEUE_OPTIONS: QueueOptions = {
  concurrency: 3,
  maxAttempts: 8,
  maxChecksumAttempts: 3,
  retryBaseMs: 250,
  retryCapMs: 8_000,
  circuitThreshold: 3,
  probeBaseMs: 500,
  probeCapMs: 15_000,
  progressIntervalMs: 100,
  random: Math.random,
};

export interface QueueHooks {
  api(connectionId: string): ImssApi | null;
  onJob(summary: UploadJobSummary): void;
  onImage(image: JobImage): void;
  onCircuit(connectionId: string, state: CircuitState, message: string | null): void;
  onDelivered(summary: UploadJobSummary): void;
  onStuck(summary: UploadJobSummary): void;
}

interface LiveImage {
  row: JobImageWithFile;
  /** Bytes known to be on the server, plus bytes sent in the current call. */
  sent: number;
  attempts: number;
  /** Sends the server discarded because the SHA-256 of what it stored disagreed. */
  checksumFailures: number;
  controller: AbortController | null;
  retryTimer: NodeJS.Timeout | null;
}

interface LiveJob {
  row: JobRow;
  images: LiveImage[];
  byImageId: Map<string, LiveImage>;
  ready: LiveImage[];
  inFlight: Set<LiveImage>;
  doneCount: number;
  errorCount: number;
  doneBytes: number;
  busy: 'prepare' | 'watch' | 'cancel' | null;
  controller: AbortController;
  lastEmit: number;
  emitTimer: NodeJS.Timeout | null;
  wakeTimer: NodeJS.Timeout | null;
  jobAttempts: number;
  stuckNotified: boolean;
}

const TRANSIENT = new Set<number>([
  grpcStatus.UNAVAILABLE,
  grpcStatus.DEADLINE_EXCEEDED,
  grpcStatus.RESOURCE_EXHAUSTED,
  grpcStatus.ABORTED,
  grpcStatus.INTERNAL,
  grpcStatus.UNKNOWN,
  grpcStatus.CANCELLED,
]);

const FINAL_STATES = new Set(['delivered', 'failed', 'cancelled']);

class StoppedError extends Error {}

/**
 * The durable upload job queue. Jobs and their image uploads live in SQLite (UploadStore); this
 * class keeps a live copy of the unfinished ones, runs at most `concurrency` image uploads at a
 * time (oldest job first), streams each from the server's committed offset, retries transient
 * failures with jittered back-off, and stops sending to a server that is down (a circuit per
 * connection) until a probe finds it back.
 */
export class UploadQueue {
  private readonly jobs = new Map<string, LiveJob>();
  private readonly circuits = new Map<string, Circuit>();
  private inFlight = 0;
  private stopped = false;
  /** Scheduling runs synchronously, once more if asked again while it runs (a task it started may finish at once). */
  private readonly pumper = new Pump({ drain: () => this.pumpOnce(), halted: () => this.stopped });
  readonly options: QueueOptions;

  constructor(
    private readonly store: UploadStore,
    private readonly hooks: QueueHooks,
    private readonly log: Logger,
    options: Partial<QueueOptions> = {},
  ) {
    this.options = { ...DEFAULT_QUEUE_OPTIONS, ...options };
  }

  /** Loads every unfinished job from the database and starts working. */
  start(): void {
    for (const row of this.store.unfinishedJobs()) this.load(row);
    this.pump();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const job of this.jobs.values()) this.disposeJob(job);
    for (const c of this.circuits.values()) c.dispose();
    this.circuits.clear();
  }

  get concurrency(): number {
    return this.options.concurrency;
  }

  get running(): number {
    return this.inFlight;
  }

  setConcurrency(n: number): void {
    this.options.concurrency = n;
    this.pump();
  }

  circuitOf(connectionId: string): { state: CircuitState; message: string | null } {
    const c = this.circuits.get(connectionId);
    return c ? { state: c.state, message: c.message } : { state: 'ok', message: null };
  }

  /** Adds a job just written to the database. */
  add(jobId: string): UploadJobSummary {
    const row = this.store.job(jobId);
    if (!row) throw new Error(`job ${jobId} is not in the database`);
    const job = this.load(row);
    this.pump();
    return this.summaryOf(job);
  }

  summary(jobId: string): UploadJobSummary | null {
    const live = this.jobs.get(jobId);
    if (live) return this.summaryOf(live);
    const row = this.store.job(jobId);
    return row ? this.summaryOf(this.snapshotJob(row)) : null;
  }

  imagesOf(jobId: string, offset: number, limit: number): { images: JobImage[]; total: number } | null {
    const live = this.jobs.get(jobId);
    const job = live ?? (this.store.job(jobId) ? this.snapshotJob(this.store.job(jobId) as JobRow) : null);
    if (!job) return null;
    return { images: job.images.slice(offset, offset + limit).map((i) => this.imageView(job, i)), total: job.images.length };
  }

  pause(jobId: string): void {
    const job = this.live(jobId);
    if (job.row.paused) return;
    this.store.updateJob(jobId, { paused: 1 });
    job.row.paused = 1;
    for (const img of [...job.inFlight]) img.controller?.abort();
    this.emitJob(job);
  }

  resume(jobId: string): void {
    const job = this.live(jobId);
    if (!job.row.paused) return;
    this.store.updateJob(jobId, { paused: 0 });
    job.row.paused = 0;
    this.emitJob(job);
    this.pump();
  }

  cancel(jobId: string): void {
    const job = this.live(jobId);
    if (job.row.state === 'cancelling') return;
    const state = job.row.server_job_id ? 'cancelling' : 'cancelled';
    this.store.updateJob(jobId, { state, ...(state === 'cancelled' ? { finished_at: Date.now() } : {}) });
    job.row.state = state;
    job.controller.abort();
    for (const img of [...job.inFlight]) img.controller?.abort();
    if (state === 'cancelled') this.finish(job);
    else this.emitJob(job);
    this.pump();
  }

  retry(jobId: string, imageId: string | undefined): void {
    const job = this.live(jobId);
    const targets = imageId ? [job.byImageId.get(imageId)] : job.images.filter((i) => i.row.state === 'error');
    for (const img of targets) {
      if (!img || img.row.state !== 'error') continue;
      if (!img.row.retryable || (job.row.server_job_id && !img.row.upload_id)) continue;
      this.store.updateJobImage(jobId, img.row.image_id, { state: 'pending', error: null });
      img.row.state = 'pending';
      img.row.error = null;
      img.attempts = 0;
      img.checksumFailures = 0;
      job.errorCount -= 1;
      job.stuckNotified = false;
      if (job.row.server_job_id) job.ready.push(img);
      this.hooks.onImage(this.imageView(job, img));
    }
    this.emitJob(job);
    this.pump();
  }

  // ---------- scheduling ----------

  private pump(): void {
    void this.pumper.request();
  }

  private pumpOnce(): void {
    for (const job of this.jobs.values()) {
      if (FINAL_STATES.has(job.row.state) || job.busy) continue;
      const circuit = this.circuit(job.row.connection_id);
      if (circuit.open || job.wakeTimer) continue;
      if (job.row.state === 'cancelling') {
        void this.runJobTask(job, 'cancel', () => this.cancelOnServer(job));
        continue;
      }
      if (job.row.paused) continue;
      if (job.row.state === 'preparing') {
        void this.runJobTask(job, 'prepare', () => this.prepare(job));
        continue;
      }
      if (job.row.state === 'delivering') {
        void this.runJobTask(job, 'watch', () => this.watchDelivery(job));
        continue;
      }
      while (this.inFlight < this.options.concurrency && job.ready.length > 0) {
        const img = job.ready.shift() as LiveImage;
        if (img.row.state !== 'pending') continue;
        this.startImage(job, img);
      }
      this.checkJobProgress(job);
    }
  }

  private checkJobProgress(job: LiveJob): void {
    if (job.row.state !== 'uploading' || job.inFlight.size > 0) return;
    if (job.doneCount === job.images.length - excludedCount(job)) {
      if (job.doneCount === 0) return;
      this.store.updateJob(job.row.id, { state: 'delivering' });
      job.row.state = 'delivering';
      this.emitJob(job);
      this.pump();
      return;
    }
    const waiting = job.images.some((i) => i.row.state === 'pending');
    if (!waiting && job.errorCount > 0 && !job.stuckNotified) {
      job.stuckNotified = true;
      this.hooks.onStuck(this.summaryOf(job));
    }
  }

  private async runJobTask(job: LiveJob, kind: NonNullable<LiveJob['busy']>, work: () => Promise<void>): Promise<void> {
    job.busy = kind;
    try {
      await work();
      job.jobAttempts = 0;
    } catch (err) {
      if (this.stopped || err instanceof StoppedError) return;
      const failure = this.classify(err);
      if (failure.transient) {
        this.circuit(job.row.connection_id).failure(failure.message);
        job.jobAttempts += 1;
        this.wakeLater(job, backoffDelay(job.jobAttempts, retryPolicy(this.options.retryBaseMs, this.options.retryCapMs), this.options.random));
      } else if (kind === 'cancel') {
        // Already finished on the server: it cannot be cancelled, so follow it to delivery instead.
        this.store.updateJob(job.row.id, { state: 'delivering', error: failure.message });
        job.row.state = 'delivering';
        job.row.error = failure.message;
        this.emitJob(job);
      } else {
        this.failJob(job, failure.message);
      }
    } finally {
      job.busy = null;
      if (!this.stopped) this.pump();
    }
  }

  private wakeLater(job: LiveJob, ms: number): void {
    if (job.wakeTimer) clearTimeout(job.wakeTimer);
    job.wakeTimer = setTimeout(() => {
      job.wakeTimer = null;
      this.pump();
    }, ms);
  }

  // ---------- job phases ----------

  /** Registers the job's images and creates the job on the server (idempotent per request id). */
  private async prepare(job: LiveJob): Promise<void> {
    const api = this.apiOrThrow(job.row.connection_id);
    const todo = job.images.filter((i) => !i.row.server_image_id && i.row.state !== 'error');
    let index = 0;
    const worker = async (): Promise<void> => {
      while (index < todo.length) {
        const img = todo[index++] as LiveImage;
        this.assertActive(job);
        const problem = await fileProblem(img.row);
        if (problem) {
          this.failImage(job, img, problem, false);
          continue;
        }
        try {
          const { imageId } = await api.registerImage({
            sessionId: job.row.session_id,
            localPath: remoteName(img.row),
            size: img.row.size,
            createdAt: img.row.created_at,
            sha256: img.row.sha256,
          });
          this.store.setServerImageId(img.row.image_id, imageId);
          img.row.server_image_id = imageId;
        } catch (err) {
          const f = this.classify(err);
          if (f.transient) throw err;
          this.failImage(job, img, `The server refused the image: ${f.message}`, false);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(8, todo.length) }, worker));
    this.assertActive(job);
    const valid = job.images.filter((i) => i.row.server_image_id && i.row.state !== 'error');
    if (valid.length === 0) throw new PermanentError('No image of the job could be uploaded; see the errors of its images.');
    this.circuit(job.row.connection_id).success();
    const created = await api.createUploadJob({
      requestId: job.row.request_id,
      imageIds: valid.map((i) => i.row.server_image_id as string),
      recipient: job.row.recipient,
    });
    const byServerImage = new Map(job.images.filter((i) => i.row.server_image_id).map((i) => [i.row.server_image_id as string, i]));
    const pairs: { imageId: string; uploadId: string }[] = [];
    for (const u of created.uploads) {
      const img = byServerImage.get(u.imageId);
      if (img) pairs.push({ imageId: img.row.image_id, uploadId: u.id });
    }
    this.store.attachServerJob(job.row.id, created.jobId, pairs);
    job.row.server_job_id = created.jobId;
    for (const p of pairs) {
      const img = job.byImageId.get(p.imageId) as LiveImage;
      img.row.upload_id = p.uploadId;
    }
    if (job.row.state === 'cancelling') return;
    job.row.state = 'uploading';
    job.ready = job.images.filter((i) => i.row.state === 'pending' && i.row.upload_id);
    this.emitJob(job);
  }

  private async cancelOnServer(job: LiveJob): Promise<void> {
    const api = this.apiOrThrow(job.row.connection_id);
    if (job.row.server_job_id) await api.cancelUploadJob(job.row.server_job_id);
    this.store.updateJob(job.row.id, { state: 'cancelled', finished_at: Date.now() });
    job.row.state = 'cancelled';
    job.row.finished_at = Date.now();
    this.finish(job);
  }

  /** Follows the server's job once every image is up, until it is delivered (or fails). */
  private async watchDelivery(job: LiveJob): Promise<void> {
    const api = this.apiOrThrow(job.row.connection_id);
    const snap = await api.watchUploadJob(job.row.server_job_id as string, () => undefined, job.controller.signal);
    this.circuit(job.row.connection_id).success();
    this.applySnapshot(job, snap);
  }

  private applySnapshot(job: LiveJob, snap: JobSnapshot): void {
    if (snap.status === UploadStatus.DONE && snap.delivery.state === DeliveryState.DELIVERY_STATE_DELIVERED) {
      const now = Date.now();
      const patch = { state: 'delivered' as const, finished_at: now, delivery_link: snap.delivery.link || null, delivered_at: snap.delivery.deliveredAt ?? now, error: null };
      this.store.updateJob(job.row.id, patch);
      Object.assign(job.row, patch);
      this.finish(job);
      this.hooks.onDelivered(this.summaryOf(job));
    } else if (snap.status === UploadStatus.DONE && snap.delivery.state === DeliveryState.DELIVERY_STATE_FAILED) {
      this.failJob(job, `The server could not deliver the job to ${job.row.recipient}: ${snap.delivery.error ?? 'no reason given'}`);
    } else if (snap.status === UploadStatus.ERROR) {
      this.failJob(job, `The server ended the job: ${snap.error ?? 'no reason given'}`);
    } else {
      throw new ImssCallError(grpcStatus.UNAVAILABLE, 'The job is not finished on the server yet.');
    }
  }

  // ---------- images ----------

  private startImage(job: LiveJob, img: LiveImage): void {
    this.inFlight += 1;
    job.inFlight.add(img);
    img.row.state = 'uploading';
    img.controller = new AbortController();
    this.hooks.onImage(this.imageView(job, img));
    this.emitJob(job);
    void this.runImage(job, img, img.controller.signal).finally(() => {
      this.inFlight -= 1;
      job.inFlight.delete(img);
      img.controller = null;
      this.emitJob(job);
      this.pump();
    });
  }

  private async runImage(job: LiveJob, img: LiveImage, signal: AbortSignal): Promise<void> {
    const uploadId = img.row.upload_id as string;
    try {
      const problem = await fileProblem(img.row);
      if (problem) return this.failImage(job, img, problem, true);
      const api = this.apiOrThrow(job.row.connection_id);
      const offset = await api.getImageUploadOffset(uploadId);
      if (signal.aborted) return this.requeue(job, img, true);
      if (offset.status === UploadStatus.DONE) return this.completeImage(job, img);
      if (offset.status === UploadStatus.ERROR && offset.errorCode === String(ErrorCode.ERROR_CODE_CANCELLED)) {
        this.requeue(job, img, true);
        return this.cancelledRemotely(job);
      }
      if (offset.size !== img.row.size) return this.failImage(job, img, `The server expects ${offset.size} bytes but the file has ${img.row.size}.`, false);
      if (offset.committed !== img.row.committed) {
        this.store.updateJobImage(job.row.id, img.row.image_id, { committed: offset.committed });
        img.row.committed = offset.committed;
      }
      img.sent = offset.committed;
      const result = await api.uploadImageData({
        uploadId,
        file: img.row.path,
        offset: offset.committed,
        size: img.row.size,
        signal,
        onSent: (bytes) => {
          img.sent += bytes;
          this.emitJob(job);
        },
      });
      this.circuit(job.row.connection_id).success();
      if (result.status === UploadStatus.DONE) return this.completeImage(job, img);
      img.row.committed = result.committed;
      throw new ImssCallError(grpcStatus.UNAVAILABLE, 'The server did not confirm the upload.');
    } catch (err) {
      if (this.stopped) return;
      if (signal.aborted) return this.requeue(job, img, true);
      this.imageFailed(job, img, err);
    }
  }

  private imageFailed(job: LiveJob, img: LiveImage, err: unknown): void {
    if (err instanceof FileChangedError || isFsError(err)) {
      return this.failImage(job, img, `${img.row.name} changed or disappeared on disk during the upload: ${(err as Error).message}`, true);
    }
    const failure = this.classify(err);
    if (err instanceof ImssCallError && err.code === grpcStatus.FAILED_PRECONDITION && err.trailers['imss-committed-offset'] !== undefined) {
      // Our idea of the offset was stale (e.g. another call committed more); ask again at once.
      img.attempts += 1;
      return img.attempts > this.options.maxAttempts ? this.failImage(job, img, failure.message, true) : this.requeue(job, img, true);
    }
    if (err instanceof ImssCallError && err.code === grpcStatus.FAILED_PRECONDITION) {
      this.requeue(job, img, true);
      return this.cancelledRemotely(job);
    }
    if (err instanceof ImssCallError && err.code === grpcStatus.DATA_LOSS) return this.checksumMismatch(job, img);
    if (!failure.transient) return this.failImage(job, img, failure.message, true);
    const open = this.circuit(job.row.connection_id).failure(failure.message);
    if (open) return this.requeue(job, img, true);
    img.attempts += 1;
    if (img.attempts >= this.options.maxAttempts) {
      return this.failImage(job, img, `Gave up after ${img.attempts} attempts: ${failure.message}`, true);
    }
    this.retryLater(job, img);
  }

  /**
   * The server's SHA-256 of the bytes it stored disagrees with the one taken when the image was
   * added, and it discarded them (offset back to 0). Whether the file changed is checked before
   * every send (size and time), so this is usually bytes damaged on the way or on the server:
   * send the whole file again, a bounded number of times.
   */
  private checksumMismatch(job: LiveJob, img: LiveImage): void {
    img.checksumFailures += 1;
    img.row.committed = 0;
    img.sent = 0;
    this.store.updateJobImage(job.row.id, img.row.image_id, { committed: 0 });
    const what = `The server's checksum of the bytes it received for ${img.row.name} did not match the file's, so it discarded them`;
    if (img.checksumFailures >= this.options.maxChecksumAttempts) {
      return this.failImage(
        job,
        img,
        `${what}, ${img.checksumFailures} times in a row. The file on this computer is unchanged since it was added (same size and time); the bytes were damaged on the way or on the server. Retry when the link or server is fixed.`,
        true,
      );
    }
    this.log.warn(`${what}; sending it again (${img.checksumFailures} of ${this.options.maxChecksumAttempts})`);
    this.retryLater(job, img);
  }

  /** Back in line after a back-off (transient failures, a damaged send). */
  private retryLater(job: LiveJob, img: LiveImage): void {
    img.row.state = 'pending';
    const wait = backoffDelay(img.attempts, retryPolicy(this.options.retryBaseMs, this.options.retryCapMs), this.options.random);
    img.retryTimer = setTimeout(() => {
      img.retryTimer = null;
      if (img.row.state === 'pending') job.ready.unshift(img);
      this.pump();
    }, wait);
    this.hooks.onImage(this.imageView(job, img));
  }

  /** Back to the front of the job's line (stopped by pause, cancel or a server outage, not failed). */
  private requeue(job: LiveJob, img: LiveImage, front: boolean): void {
    img.row.state = 'pending';
    img.sent = img.row.committed;
    if (front) job.ready.unshift(img);
    else job.ready.push(img);
    this.hooks.onImage(this.imageView(job, img));
  }

  private completeImage(job: LiveJob, img: LiveImage): void {
    this.store.updateJobImage(job.row.id, img.row.image_id, { state: 'done', committed: img.row.size, error: null });
    img.row.state = 'done';
    img.row.committed = img.row.size;
    img.sent = img.row.size;
    job.doneCount += 1;
    job.doneBytes += img.row.size;
    this.hooks.onImage(this.imageView(job, img));
  }

  private failImage(job: LiveJob, img: LiveImage, message: string, retryable: boolean): void {
    if (img.row.state === 'error') return;
    this.store.updateJobImage(job.row.id, img.row.image_id, { state: 'error', error: message.slice(0, 1000), retryable: retryable ? 1 : 0 });
    img.row.state = 'error';
    img.row.error = message.slice(0, 1000);
    img.row.retryable = retryable ? 1 : 0;
    img.sent = img.row.committed;
    job.errorCount += 1;
    this.log.warn(`image ${img.row.name} of job ${job.row.id} failed`, message);
    this.hooks.onImage(this.imageView(job, img));
  }

  private cancelledRemotely(job: LiveJob): void {
    if (job.row.state === 'uploading') {
      this.store.updateJob(job.row.id, { state: 'cancelling' });
      job.row.state = 'cancelling';
      this.emitJob(job);
    }
  }

  private failJob(job: LiveJob, message: string): void {
    const patch = { state: 'failed' as const, error: message.slice(0, 1000), finished_at: Date.now() };
    this.store.updateJob(job.row.id, patch);
    Object.assign(job.row, patch);
    this.log.warn(`job ${job.row.id} failed`, message);
    this.finish(job);
  }

  private finish(job: LiveJob): void {
    this.flushJob(job);
    this.disposeJob(job);
    this.jobs.delete(job.row.id);
  }

  // ---------- bookkeeping ----------

  private load(row: JobRow): LiveJob {
    const existing = this.jobs.get(row.id);
    if (existing) return existing;
    const job = this.snapshotJob(row);
    job.ready = job.row.server_job_id ? job.images.filter((i) => i.row.state === 'pending' && i.row.upload_id) : [];
    this.jobs.set(row.id, job);
    return job;
  }

  private snapshotJob(row: JobRow): LiveJob {
    const images: LiveImage[] = this.store.jobImagesWithFiles(row.id).map((r) => ({
      // A restart finds uploads that were in flight: they resume from the server's offset.
      row: { ...r, state: r.state === 'uploading' ? 'pending' : r.state },
      sent: r.committed,
      attempts: 0,
      checksumFailures: 0,
      controller: null,
      retryTimer: null,
    }));
    let doneCount = 0;
    let errorCount = 0;
    let doneBytes = 0;
    for (const i of images) {
      if (i.row.state === 'done') {
        doneCount += 1;
        doneBytes += i.row.size;
      } else if (i.row.state === 'error') errorCount += 1;
    }
    const job: LiveJob = {
      row: { ...row },
      images,
      byImageId: new Map(images.map((i) => [i.row.image_id, i])),
      ready: [],
      inFlight: new Set(),
      doneCount,
      errorCount,
      doneBytes,
      busy: null,
      controller: new AbortController(),
      lastEmit: 0,
      emitTimer: null,
      wakeTimer: null,
      jobAttempts: 0,
      stuckNotified: false,
    };
    return job;
  }

  private disposeJob(job: LiveJob): void {
    job.controller.abort();
    for (const img of job.images) {
      img.controller?.abort();
      if (img.retryTimer) clearTimeout(img.retryTimer);
    }
    if (job.emitTimer) clearTimeout(job.emitTimer);
    if (job.wakeTimer) clearTimeout(job.wakeTimer);
    job.emitTimer = null;
    job.wakeTimer = null;
  }

  private live(jobId: string): LiveJob {
    const job = this.jobs.get(jobId);
    if (!job) throw new NotLiveError();
    return job;
  }

  private circuit(connectionId: string): Circuit {
    let c = this.circuits.get(connectionId);
    if (!c) {
      const circuit = new Circuit(
        { threshold: this.options.circuitThreshold, probeBaseMs: this.options.probeBaseMs, probeCapMs: this.options.probeCapMs, random: this.options.random },
        async () => {
          await this.apiOrThrow(connectionId).listSessions(1);
        },
        (state) => {
          this.log.info(`IMSS server ${connectionId} is ${state === 'down' ? 'down; uploads wait' : 'back; uploads resume'}`);
          this.hooks.onCircuit(connectionId, state, circuit.message);
          for (const job of this.jobs.values()) if (job.row.connection_id === connectionId) this.emitJob(job);
          if (state === 'ok') this.pump();
        },
      );
      this.circuits.set(connectionId, circuit);
      c = circuit;
    }
    return c;
  }

  /** Drops a connection's circuit (its address or secret changed, or it was removed). */
  resetConnection(connectionId: string): void {
    this.circuits.get(connectionId)?.dispose();
    this.circuits.delete(connectionId);
    this.pump();
  }

  private apiOrThrow(connectionId: string): ImssApi {
    const api = this.hooks.api(connectionId);
    if (!api) throw new PermanentError('The IMSS connection of this job was removed.');
    return api;
  }

  private assertActive(job: LiveJob): void {
    if (this.stopped || job.controller.signal.aborted) throw new StoppedError();
  }

  private classify(err: unknown): { transient: boolean; message: string } {
    if (err instanceof PermanentError) return { transient: false, message: err.message };
    if (err instanceof ImssCallError) {
      if (err.code === grpcStatus.UNAUTHENTICATED || err.code === grpcStatus.PERMISSION_DENIED) {
        return { transient: true, message: `The IMSS server refused Printdeck's credentials: ${err.message}` };
      }
      return { transient: TRANSIENT.has(err.code), message: err.message };
    }
    return { transient: false, message: err instanceof Error ? err.message : String(err) };
  }

  // ---------- views and events ----------

  private emitJob(job: LiveJob): void {
    // A pending timer will send the latest summary anyway.
    if (this.stopped || job.emitTimer) return;
    const now = Date.now();
    const wait = job.lastEmit + this.options.progressIntervalMs - now;
    if (wait <= 0) {
      job.lastEmit = now;
      this.hooks.onJob(this.summaryOf(job));
      return;
    }
    job.emitTimer = setTimeout(() => {
      job.emitTimer = null;
      job.lastEmit = Date.now();
      this.hooks.onJob(this.summaryOf(job));
    }, wait);
  }

  /** The final event of a job, still no sooner than the progress interval allows. */
  private flushJob(job: LiveJob): void {
    if (job.emitTimer) clearTimeout(job.emitTimer);
    job.emitTimer = null;
    const summary = this.summaryOf(job);
    const wait = job.lastEmit + this.options.progressIntervalMs - Date.now();
    job.lastEmit = Date.now() + Math.max(0, wait);
    if (wait <= 0) return this.hooks.onJob(summary);
    setTimeout(() => {
      if (!this.stopped) this.hooks.onJob(summary);
    }, wait).unref?.();
  }

  private summaryOf(job: LiveJob): UploadJobSummary {
    let totalBytes = 0;
    let sentBytes = 0;
    let committedBytes = 0;
    for (const i of job.images) {
      totalBytes += i.row.size;
      sentBytes += i.row.state === 'done' ? i.row.size : Math.min(i.row.size, i.sent);
      committedBytes += i.row.state === 'done' ? i.row.size : Math.min(i.row.size, i.row.committed);
    }
    return {
      id: job.row.id,
      connectionId: job.row.connection_id,
      sessionId: job.row.session_id,
      recipient: job.row.recipient,
      state: job.row.state,
      paused: job.row.paused === 1,
      waitingForServer: !FINAL_STATES.has(job.row.state) && (this.circuits.get(job.row.connection_id)?.open ?? false),
      totalImages: job.images.length,
      doneImages: job.doneCount,
      errorImages: job.errorCount,
      totalBytes,
      sentBytes,
      committedBytes,
      createdAt: job.row.created_at,
      finishedAt: job.row.finished_at,
      error: job.row.error,
      deliveryLink: job.row.delivery_link,
      deliveredAt: job.row.delivered_at,
      active: [...job.inFlight].slice(0, 16).map((i) => this.imageView(job, i)),
    };
  }

  private imageView(job: LiveJob, img: LiveImage): JobImage {
    const state: JobImageState = img.row.state;
    return {
      jobId: job.row.id,
      imageId: img.row.image_id,
      name: img.row.name,
      position: img.row.position,
      state,
      sentBytes: state === 'done' ? img.row.size : Math.min(img.row.size, img.sent),
      size: img.row.size,
      error: img.row.error,
      retryable: img.row.retryable === 1 && (!job.row.server_job_id || img.row.upload_id !== null),
    };
  }
}

/** An error no retry will fix; the job or image fails with its message. */
export class PermanentError extends Error {}

/** The job is finished (or unknown) so it cannot be changed. */
export class NotLiveError extends Error {}

/** Images left out of the server's job (their files were gone before it was created). */
function excludedCount(job: LiveJob): number {
  return job.row.server_job_id ? job.images.filter((i) => !i.row.upload_id).length : 0;
}

/** Why a file can no longer be uploaded as it was added, or null when it is unchanged. */
async function fileProblem(row: { name: string; path: string; size: number; mtime_ms: number }): Promise<string | null> {
  const info = await stat(row.path).catch(() => null);
  if (!info || !info.isFile()) return `${row.name} was deleted from disk before it was uploaded.`;
  if (info.size !== row.size || Math.trunc(info.mtimeMs) !== row.mtime_ms) {
    return `${row.name} changed on disk after it was added (now ${info.size} bytes, was ${row.size}); add it again to upload the new version.`;
  }
  return null;
}

function isFsError(err: unknown): boolean {
  return err instanceof Error && typeof (err as NodeJS.ErrnoException).code === 'string' && /^E[A-Z]+$/.test((err as NodeJS.ErrnoException).code ?? '');
}
