import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, mkdirSync, writeFileSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { status } from '@grpc/grpc-js';
import { UploadStatus, type Error as ImssError, type Image, type ImageUpload, type Session, type UploadJob } from '../../src/main/gen/imss/imss';
import { DeliveryState, ErrorCode, type Delivery } from '../../src/main/gen/imss/imss_service';

/** A gRPC failure the service layer turns into a status (with trailing metadata where the proto names some). */
export class ImssFailure extends Error {
  constructor(
    readonly code: status,
    message: string,
    readonly trailers: Record<string, string> = {},
  ) {
    super(message);
  }
}

interface SessionRec {
  id: string;
  name: string;
  completed: boolean;
  createdAt: Date;
  finishedAt: Date | undefined;
  imageIds: string[];
}

interface ImageRec {
  id: string;
  sessionId: string;
  localPath: string;
  cloudId: string;
  createdAt: Date | undefined;
  size: number;
  sha256: string;
}

export interface UploadRec {
  id: string;
  jobId: string;
  imageId: string;
  committed: number;
  status: UploadStatus;
  error: ImssError | undefined;
  /** The call currently writing this upload; a newer call replaces (aborts) it. */
  writer: symbol | null;
}

interface JobRec {
  id: string;
  requestId: string;
  imageIds: string[];
  uploadIds: string[];
  status: UploadStatus;
  createdAt: Date;
  finishedAt: Date | undefined;
  recipient: string;
  error: ImssError | undefined;
  delivery: Delivery;
}

export interface JobView {
  job: UploadJob;
  imageUploads: ImageUpload[];
  error: ImssError | undefined;
  delivery: Delivery;
}

/** One finished upload as stored by the sandbox, for tests that check what arrived. */
export interface StoredUpload {
  jobId: string;
  uploadId: string;
  imageId: string;
  localPath: string;
  file: string;
  sha256: string;
}

type JobListener = (changedUploadIds: string[], statusChanged: boolean) => void;

const fileSafe = (id: string): string => id.replace(/[^A-Za-z0-9_-]/g, '_');
const xid = (): string => randomBytes(6).toString('hex');

/**
 * The IMSS domain of the sandbox: sessions with the one-active rule, the image registry, upload
 * jobs with their image uploads, a data folder of committed bytes, checksum checks, and a
 * recipient outbox written exactly once per delivered job. Pure bookkeeping plus file I/O; the
 * gRPC layer is in imss-sandbox.ts.
 */
export class ImssState {
  private readonly sessions = new Map<string, SessionRec>();
  private readonly images = new Map<string, ImageRec>();
  private readonly jobs = new Map<string, JobRec>();
  private readonly jobByRequest = new Map<string, string>();
  private readonly uploads = new Map<string, UploadRec>();
  private readonly listeners = new Map<string, Set<JobListener>>();
  private readonly stored: StoredUpload[] = [];
  private seq = 0;
  readonly dataDir: string;
  readonly storeDir: string;
  readonly outboxDir: string;
  /** Every UploadImageData header accepted (the last 10,000), so tests can see where uploads resumed. */
  readonly dataCalls: { uploadId: string; offset: number }[] = [];
  /** How long "delivering" takes (an e-mail in upstream IMSS). */
  deliveryDelayMs = 30;

  constructor(workDir: string) {
    this.dataDir = path.join(workDir, 'data');
    this.storeDir = path.join(workDir, 'store');
    this.outboxDir = path.join(workDir, 'outbox');
    for (const d of [this.dataDir, this.storeDir, this.outboxDir]) mkdirSync(d, { recursive: true });
  }

  // ---------- sessions ----------

  createSession(name: string): Session {
    const active = [...this.sessions.values()].find((s) => !s.completed);
    if (active) throw new ImssFailure(status.FAILED_PRECONDITION, `session ${active.id} is active`, { 'imss-active-session-id': active.id });
    const id = `s${(++this.seq).toString(36)}${xid()}`;
    const rec: SessionRec = { id, name, completed: false, createdAt: new Date(), finishedAt: undefined, imageIds: [] };
    this.sessions.set(id, rec);
    return this.sessionView(rec, false);
  }

  listSessions(pageSize: number, pageToken: string): { sessions: Session[]; nextPageToken: string } {
    const size = pageSize <= 0 ? 20 : Math.min(pageSize, 100);
    const start = pageToken ? Number(pageToken) : 0;
    if (!Number.isInteger(start) || start < 0) throw new ImssFailure(status.INVALID_ARGUMENT, 'bad page_token');
    // Newest first; creation order breaks ties so the active (newest) session always leads.
    const all = [...this.sessions.values()].reverse();
    const page = all.slice(start, start + size);
    return { sessions: page.map((s) => this.sessionView(s, false)), nextPageToken: start + size < all.length ? String(start + size) : '' };
  }

  getSession(id: string): Session {
    return this.sessionView(this.session(id), true);
  }

  completeSession(id: string): Session {
    const s = this.session(id);
    if (!s.completed) {
      s.completed = true;
      s.finishedAt = new Date();
    }
    return this.sessionView(s, false);
  }

  // ---------- images ----------

  registerImage(req: { sessionId: string; localPath: string; size: number; createdAt: Date | undefined; sha256: string }): { image: Image; sha256Hex: string } {
    const s = this.session(req.sessionId);
    if (s.completed) throw new ImssFailure(status.FAILED_PRECONDITION, `session ${s.id} is completed`);
    if (!/^[0-9a-f]{64}$/.test(req.sha256)) throw new ImssFailure(status.INVALID_ARGUMENT, 'sha256_hex must be 64 lowercase hex characters');
    if (!req.localPath) throw new ImssFailure(status.INVALID_ARGUMENT, 'local_path is required');
    const existing = s.imageIds.map((id) => this.images.get(id)).find((i) => i?.localPath === req.localPath);
    if (existing) {
      if (existing.size === req.size && existing.sha256 === req.sha256) return { image: this.imageView(existing), sha256Hex: existing.sha256 };
      throw new ImssFailure(status.ALREADY_EXISTS, `${req.localPath} is registered with another size or checksum`, { 'imss-image-id': existing.id });
    }
    const rec: ImageRec = { id: `${s.id}:${xid()}`, sessionId: s.id, localPath: req.localPath, cloudId: '', createdAt: req.createdAt, size: req.size, sha256: req.sha256 };
    this.images.set(rec.id, rec);
    s.imageIds.push(rec.id);
    return { image: this.imageView(rec), sha256Hex: rec.sha256 };
  }

  // ---------- jobs ----------

  createJob(requestId: string, imageIds: string[], recipient: string): JobView {
    if (!requestId) throw new ImssFailure(status.INVALID_ARGUMENT, 'request_id is required');
    const known = this.jobByRequest.get(requestId);
    if (known) return this.jobView(this.job(known), true);
    if (imageIds.length === 0) throw new ImssFailure(status.INVALID_ARGUMENT, 'image_ids is empty');
    if (new Set(imageIds).size !== imageIds.length) throw new ImssFailure(status.INVALID_ARGUMENT, 'image_ids has duplicates');
    if (!recipient.trim()) throw new ImssFailure(status.INVALID_ARGUMENT, 'recipient is required');
    for (const id of imageIds) if (!this.images.has(id)) throw new ImssFailure(status.NOT_FOUND, `no image ${id}`, { 'imss-image-id': id });
    const jobId = `j${(++this.seq).toString(36)}${xid()}`;
    const job: JobRec = {
      id: jobId,
      requestId,
      imageIds: [...imageIds],
      uploadIds: [],
      status: UploadStatus.IN_PROGRESS,
      createdAt: new Date(),
      finishedAt: undefined,
      recipient,
      error: undefined,
      delivery: { state: DeliveryState.DELIVERY_STATE_PENDING, recipient, link: '', deliveredAt: undefined, error: undefined },
    };
    for (const imageId of imageIds) {
      const up: UploadRec = { id: `${jobId}:${xid()}`, jobId, imageId, committed: 0, status: UploadStatus.IN_PROGRESS, error: undefined, writer: null };
      this.uploads.set(up.id, up);
      job.uploadIds.push(up.id);
    }
    this.jobs.set(jobId, job);
    this.jobByRequest.set(requestId, jobId);
    return this.jobView(job, true);
  }

  getJob(id: string): JobView {
    return this.jobView(this.job(id), true);
  }

  cancelJob(id: string): JobView {
    const job = this.job(id);
    if (job.status === UploadStatus.DONE) throw new ImssFailure(status.FAILED_PRECONDITION, `job ${id} is done`);
    if (job.status !== UploadStatus.ERROR) {
      const error = { code: String(ErrorCode.ERROR_CODE_CANCELLED), message: 'cancelled' };
      job.status = UploadStatus.ERROR;
      job.finishedAt = new Date();
      job.error = error;
      job.delivery = { ...job.delivery, state: DeliveryState.DELIVERY_STATE_FAILED, error };
      const changed: string[] = [];
      for (const uid of job.uploadIds) {
        const up = this.upload(uid);
        if (up.status === UploadStatus.DONE) continue;
        up.status = UploadStatus.ERROR;
        up.error = error;
        up.writer = null;
        changed.push(uid);
      }
      this.notify(job.id, changed, true);
    }
    return this.jobView(job, true);
  }

  onJob(jobId: string, listener: JobListener): () => void {
    this.job(jobId);
    let set = this.listeners.get(jobId);
    if (!set) this.listeners.set(jobId, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  jobViewOf(jobId: string, uploadIds: string[] | null): JobView {
    const view = this.jobView(this.job(jobId), uploadIds === null);
    if (uploadIds) view.imageUploads = uploadIds.map((id) => this.uploadView(this.upload(id)));
    return view;
  }

  isJobFinal(jobId: string): boolean {
    const job = this.job(jobId);
    return (
      job.status === UploadStatus.ERROR ||
      (job.status === UploadStatus.DONE && job.delivery.state !== DeliveryState.DELIVERY_STATE_PENDING)
    );
  }

  // ---------- data path ----------

  offsetOf(uploadId: string): { committed: number; size: number; upload: ImageUpload } {
    const up = this.upload(uploadId);
    return { committed: up.committed, size: this.image(up.imageId).size, upload: this.uploadView(up) };
  }

  /** Starts a data call: checks the header and makes this call the upload's writer. */
  beginWrite(uploadId: string, offset: number, writer: symbol): UploadRec {
    const up = this.upload(uploadId);
    const job = this.job(up.jobId);
    if (job.status === UploadStatus.ERROR) throw new ImssFailure(status.FAILED_PRECONDITION, `job ${job.id} is cancelled or failed`);
    if (offset !== up.committed) {
      throw new ImssFailure(status.FAILED_PRECONDITION, `offset ${offset} is not the committed offset ${up.committed}`, {
        'imss-committed-offset': String(up.committed),
      });
    }
    if (up.status === UploadStatus.ERROR) {
      // An upload again after a checksum mismatch: from 0, back in progress.
      up.status = UploadStatus.IN_PROGRESS;
      up.error = undefined;
      this.notify(job.id, [up.id], true);
    }
    up.writer = writer;
    this.dataCalls.push({ uploadId, offset });
    if (this.dataCalls.length > 10_000) this.dataCalls.shift();
    return up;
  }

  /** Checks that `writer` may still write `length` more bytes to the upload. */
  checkWrite(up: UploadRec, writer: symbol, length: number): void {
    const job = this.job(up.jobId);
    if (job.status === UploadStatus.ERROR) throw new ImssFailure(status.FAILED_PRECONDITION, `job ${job.id} was cancelled`);
    if (up.writer !== writer) throw new ImssFailure(status.ABORTED, 'a newer UploadImageData call for this upload took over');
    if (up.status === UploadStatus.DONE) throw new ImssFailure(status.OUT_OF_RANGE, 'the upload is complete');
    const size = this.image(up.imageId).size;
    if (up.committed + length > size) throw new ImssFailure(status.OUT_OF_RANGE, `bytes beyond the image size ${size}`);
  }

  /** Writes bytes at the committed offset; they count as committed once written. */
  async write(up: UploadRec, data: Uint8Array): Promise<void> {
    const file = this.partFile(up.id);
    const handle = await open(file, up.committed === 0 ? 'w' : 'r+');
    try {
      await handle.write(data, 0, data.length, up.committed);
    } finally {
      await handle.close();
    }
    up.committed += data.length;
    this.notify(up.jobId, [up.id], false);
  }

  /** After the client half-closed: verify and finish the upload when all bytes are in. */
  async finish(up: UploadRec, writer: symbol): Promise<{ upload: ImageUpload; committed: number }> {
    const image = this.image(up.imageId);
    if (up.status !== UploadStatus.DONE && up.committed === image.size && up.writer === writer) {
      const sha = image.size === 0 ? createHash('sha256').digest('hex') : await sha256File(this.partFile(up.id));
      if (up.writer !== writer || (up.status as UploadStatus) === UploadStatus.DONE) return { upload: this.uploadView(up), committed: up.committed };
      if (sha !== image.sha256) {
        up.committed = 0;
        up.status = UploadStatus.ERROR;
        up.error = { code: String(ErrorCode.ERROR_CODE_CHECKSUM_MISMATCH), message: 'checksum mismatch; the bytes were discarded' };
        await rm(this.partFile(up.id), { force: true });
        this.notify(up.jobId, [up.id], true);
        throw new ImssFailure(status.DATA_LOSS, `checksum mismatch for ${image.localPath}: got ${sha}, registered ${image.sha256}`);
      }
      const stored = path.join(this.storeDir, `${fileSafe(up.id)}-${fileSafe(path.basename(image.localPath))}`);
      if (image.size === 0) writeFileSync(stored, '');
      else await rename(this.partFile(up.id), stored);
      up.status = UploadStatus.DONE;
      up.writer = null;
      image.cloudId = path.relative(path.dirname(this.storeDir), stored);
      this.stored.push({ jobId: up.jobId, uploadId: up.id, imageId: image.id, localPath: image.localPath, file: stored, sha256: sha });
      this.notify(up.jobId, [up.id], true);
      this.maybeCompleteJob(up.jobId);
    }
    if (up.writer === writer) up.writer = null;
    return { upload: this.uploadView(up), committed: up.committed };
  }

  storedUploads(): StoredUpload[] {
    return [...this.stored];
  }

  imageCount(): number {
    return this.images.size;
  }

  jobCount(): number {
    return this.jobs.size;
  }

  // ---------- internals ----------

  private maybeCompleteJob(jobId: string): void {
    const job = this.job(jobId);
    if (job.status !== UploadStatus.IN_PROGRESS) return;
    if (!job.uploadIds.every((id) => this.upload(id).status === UploadStatus.DONE)) return;
    job.status = UploadStatus.DONE;
    job.finishedAt = new Date();
    this.notify(jobId, [], true);
    setTimeout(() => this.deliver(job), this.deliveryDelayMs).unref();
  }

  /** "E-mails" the recipient: one outbox file per job, created exclusively, so never twice. */
  private deliver(job: JobRec): void {
    if (job.delivery.state !== DeliveryState.DELIVERY_STATE_PENDING) return;
    const link = `https://imss.sandbox.invalid/albums/${encodeURIComponent(job.id)}`;
    const deliveredAt = new Date();
    const entry = {
      jobId: job.id,
      recipient: job.recipient,
      link,
      deliveredAt: deliveredAt.toISOString(),
      images: job.imageIds.map((id) => {
        const i = this.image(id);
        return { imageId: id, localPath: i.localPath, size: i.size, sha256: i.sha256, cloudId: i.cloudId };
      }),
    };
    try {
      writeFileSync(path.join(this.outboxDir, `${fileSafe(job.id)}.json`), JSON.stringify(entry, null, 2), { flag: 'wx' });
      job.delivery = { state: DeliveryState.DELIVERY_STATE_DELIVERED, recipient: job.recipient, link, deliveredAt, error: undefined };
    } catch (err) {
      const error = { code: String(ErrorCode.ERROR_CODE_DELIVERY_FAILED), message: (err as Error).message };
      job.delivery = { ...job.delivery, state: DeliveryState.DELIVERY_STATE_FAILED, error };
    }
    this.notify(job.id, [], true);
  }

  private notify(jobId: string, changed: string[], statusChanged: boolean): void {
    for (const l of this.listeners.get(jobId) ?? []) l(changed, statusChanged);
  }

  private partFile(uploadId: string): string {
    return path.join(this.dataDir, `${fileSafe(uploadId)}.part`);
  }

  private session(id: string): SessionRec {
    const s = this.sessions.get(id);
    if (!s) throw new ImssFailure(status.NOT_FOUND, `no session ${id}`);
    return s;
  }

  private image(id: string): ImageRec {
    const i = this.images.get(id);
    if (!i) throw new ImssFailure(status.NOT_FOUND, `no image ${id}`, { 'imss-image-id': id });
    return i;
  }

  private job(id: string): JobRec {
    const j = this.jobs.get(id);
    if (!j) throw new ImssFailure(status.NOT_FOUND, `no upload job ${id}`);
    return j;
  }

  private upload(id: string): UploadRec {
    const u = this.uploads.get(id);
    if (!u) throw new ImssFailure(status.NOT_FOUND, `no image upload ${id}`);
    return u;
  }

  private sessionView(s: SessionRec, withImages: boolean): Session {
    return {
      id: s.id,
      completed: s.completed,
      createdAt: s.createdAt,
      finishedAt: s.finishedAt,
      name: s.name,
      images: withImages ? s.imageIds.map((id) => this.imageView(this.image(id))) : [],
    };
  }

  private imageView(i: ImageRec): Image {
    return { id: i.id, sessionId: i.sessionId, localPath: i.localPath, cloudId: i.cloudId, createdAt: i.createdAt, size: String(i.size) };
  }

  private uploadView(u: UploadRec): ImageUpload {
    return { id: u.id, jobId: u.jobId, imageId: u.imageId, progress: String(u.committed), status: u.status, error: u.error };
  }

  private jobView(job: JobRec, withUploads: boolean): JobView {
    const uploads = job.uploadIds.map((id) => this.upload(id));
    const size = job.imageIds.reduce((sum, id) => sum + this.image(id).size, 0);
    return {
      job: {
        id: job.id,
        imageIds: [...job.imageIds],
        status: job.status,
        createdAt: job.createdAt,
        finishedAt: job.finishedAt,
        progress: String(uploads.reduce((sum, u) => sum + u.committed, 0)),
        size: String(size),
        recipient: job.recipient,
      },
      imageUploads: withUploads ? uploads.map((u) => this.uploadView(u)) : [],
      error: job.error,
      delivery: { ...job.delivery },
    };
  }
}

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
