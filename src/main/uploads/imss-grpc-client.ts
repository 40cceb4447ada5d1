import { open } from 'node:fs/promises';
import { status, type ClientWritableStream, type Metadata, type ServiceError } from '@grpc/grpc-js';
import { UploadStatus } from '../gen/imss/imss';
import {
  DeliveryState,
  ImssServiceClient,
  type UploadImageDataRequest,
  type UploadImageDataResponse,
  type WatchUploadJobResponse,
} from '../gen/imss/imss_service';
import { authMetadata, callUnary, grpcEndpoint, grpcFailure, type UnaryMethod } from '../net/grpc';
import { ImssCallError, type ImssApi, type JobSnapshot, type OffsetInfo, type UploadResult } from './imss-api';

/** 256 KiB, the size the proto recommends; memory per upload stays a few chunks. */
export const CHUNK_BYTES = 256 * 1024;
const UNARY_DEADLINE_MS = 10_000;
/** An upload stream that makes no progress this long is given up (and retried). */
const STALL_MS = 30_000;

/** Thrown when a file shrank or vanished while it was being read for upload. */
export class FileChangedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FileChangedError';
  }
}

export interface GrpcImssOptions {
  /** `grpc://host:port` or `grpcs://host:port`. */
  address: string;
  /** Sent as `authorization: Bearer <secret>` on every call when set. */
  secret: string | null;
}

/** The ImssApi over real gRPC, from the generated ImssServiceClient. */
export class GrpcImssClient implements ImssApi {
  private readonly client: ImssServiceClient;
  private readonly secret: string | null;

  constructor(options: GrpcImssOptions) {
    const endpoint = grpcEndpoint(options.address, 'IMSS');
    this.client = new ImssServiceClient(endpoint.target, endpoint.credentials, {
      // Reconnect soon after a server comes back; the queue's own circuit paces the retries.
      'grpc.initial_reconnect_backoff_ms': 200,
      'grpc.max_reconnect_backoff_ms': 2000,
      'grpc.keepalive_time_ms': 20_000,
      'grpc.keepalive_timeout_ms': 5_000,
      'grpc.max_receive_message_length': 8 * 1024 * 1024,
    });
    this.secret = options.secret;
  }

  close(): void {
    this.client.close();
  }

  private metadata(): Metadata {
    return authMetadata(this.secret);
  }

  private async unary<Req, Res>(method: UnaryMethod<Req, Res>, req: Req): Promise<Res> {
    try {
      return await callUnary(this.client, method, req, { metadata: this.metadata(), deadlineMs: UNARY_DEADLINE_MS });
    } catch (err) {
      throw toCallError(err as ServiceError);
    }
  }

  async createSession(name: string) {
    const res = await this.unary(this.client.createSession, { name });
    return required(res.session, 'session');
  }

  async listSessions(pageSize: number, pageToken = '') {
    return this.unary(this.client.listSessions, { pageSize, pageToken });
  }

  async getSession(id: string) {
    return required((await this.unary(this.client.getSession, { sessionId: id })).session, 'session');
  }

  async completeSession(id: string) {
    return required((await this.unary(this.client.completeSession, { sessionId: id })).session, 'session');
  }

  async registerImage(req: { sessionId: string; localPath: string; size: number; createdAt: number; sha256: string }) {
    const res = await this.unary(this.client.registerImage, {
      sessionId: req.sessionId,
      localPath: req.localPath,
      size: String(req.size),
      createdAt: new Date(req.createdAt),
      sha256Hex: req.sha256,
    });
    const image = required(res.image, 'image');
    return { imageId: image.id };
  }

  async createUploadJob(req: { requestId: string; imageIds: string[]; recipient: string }) {
    const res = await this.unary(this.client.createUploadJob, req);
    const job = required(res.job, 'job');
    if (res.imageUploads.length !== req.imageIds.length) throw new ImssCallError(status.INTERNAL, 'The server returned the wrong number of image uploads.');
    return { jobId: job.id, uploads: res.imageUploads };
  }

  getUploadJob(jobId: string) {
    return this.unary(this.client.getUploadJob, { jobId });
  }

  async cancelUploadJob(jobId: string): Promise<void> {
    await this.unary(this.client.cancelUploadJob, { jobId });
  }

  async getImageUploadOffset(uploadId: string): Promise<OffsetInfo> {
    const res = await this.unary(this.client.getImageUploadOffset, { imageUploadId: uploadId });
    return {
      committed: toCount(res.committedOffset),
      size: toCount(res.size),
      status: res.imageUpload?.status ?? UploadStatus.UNKNOWN,
      errorCode: res.imageUpload?.error?.code ?? null,
    };
  }

  async uploadImageData(req: { uploadId: string; file: string; offset: number; size: number; onSent(bytes: number): void; signal: AbortSignal }): Promise<UploadResult> {
    const handle = await open(req.file, 'r');
    let call: ClientWritableStream<UploadImageDataRequest> | null = null;
    let stallTimer: NodeJS.Timeout | null = null;
    const onAbort = (): void => call?.cancel();
    try {
      const response = new Promise<UploadImageDataResponse>((resolve, reject) => {
        call = this.client.uploadImageData(this.metadata(), {}, (err, res) => (err ? reject(toCallError(err)) : resolve(res)));
      });
      // The response rejects on its own when the stream breaks; keep it from going unhandled meanwhile.
      response.catch(() => undefined);
      const stream = call as unknown as ClientWritableStream<UploadImageDataRequest>;
      req.signal.addEventListener('abort', onAbort, { once: true });
      const armStall = (): void => {
        if (stallTimer) clearTimeout(stallTimer);
        stallTimer = setTimeout(() => stream.cancel(), STALL_MS);
      };
      armStall();
      stream.write({ data: { $case: 'header', value: { imageUploadId: req.uploadId, offset: String(req.offset) } } });
      let position = req.offset;
      let broken = false;
      response.catch(() => (broken = true));
      while (position < req.size && !req.signal.aborted && !broken) {
        const want = Math.min(CHUNK_BYTES, req.size - position);
        const buffer = Buffer.allocUnsafe(want);
        const { bytesRead } = await handle.read(buffer, 0, want, position);
        if (bytesRead === 0) throw new FileChangedError('The file became shorter while it was being uploaded.');
        const chunk = bytesRead === want ? buffer : buffer.subarray(0, bytesRead);
        position += bytesRead;
        if (!stream.write({ data: { $case: 'chunk', value: chunk } })) {
          await new Promise<void>((resolve) => {
            const done = (): void => {
              stream.off('drain', done);
              stream.off('close', done);
              stream.off('error', done);
              resolve();
            };
            stream.on('drain', done);
            stream.on('close', done);
            stream.on('error', done);
          });
        }
        armStall();
        req.onSent(bytesRead);
      }
      if (req.signal.aborted) {
        stream.cancel();
        throw new ImssCallError(status.CANCELLED, 'The upload was stopped.');
      }
      stream.end();
      const res = await response;
      return { committed: toCount(res.committedOffset), status: res.imageUpload?.status ?? UploadStatus.UNKNOWN };
    } finally {
      if (stallTimer) clearTimeout(stallTimer);
      req.signal.removeEventListener('abort', onAbort);
      await handle.close();
    }
  }

  watchUploadJob(jobId: string, onSnapshot: (s: JobSnapshot) => void, signal: AbortSignal): Promise<JobSnapshot> {
    return new Promise((resolve, reject) => {
      const call = this.client.watchUploadJob({ jobId }, this.metadata());
      let last: JobSnapshot | null = null;
      const onAbort = (): void => call.cancel();
      signal.addEventListener('abort', onAbort, { once: true });
      call.on('data', (msg: WatchUploadJobResponse) => {
        last = toSnapshot(msg);
        onSnapshot(last);
      });
      call.on('error', (err: ServiceError) => {
        signal.removeEventListener('abort', onAbort);
        reject(toCallError(err));
      });
      call.on('end', () => {
        signal.removeEventListener('abort', onAbort);
        if (last) resolve(last);
        else reject(new ImssCallError(status.UNAVAILABLE, 'The job watch ended without a snapshot.'));
      });
    });
  }
}

function toSnapshot(msg: WatchUploadJobResponse): JobSnapshot {
  const d = msg.delivery;
  return {
    status: msg.job?.status ?? UploadStatus.UNKNOWN,
    error: msg.error ? msg.error.message || `error ${msg.error.code}` : null,
    delivery: {
      state: d?.state ?? DeliveryState.DELIVERY_STATE_UNSPECIFIED,
      link: d?.link ?? '',
      deliveredAt: d?.deliveredAt ? d.deliveredAt.getTime() : null,
      error: d?.error ? d.error.message || `error ${d.error.code}` : null,
    },
  };
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new ImssCallError(status.INTERNAL, `The IMSS server sent no ${what}.`);
  return value;
}

/** uint64 decimal strings from the wire; anything unsafe is a protocol error. */
function toCount(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new ImssCallError(status.INTERNAL, `The IMSS server sent a bad byte count "${value.slice(0, 32)}".`);
  return n;
}

function toCallError(err: ServiceError): ImssCallError {
  const failure = grpcFailure(err, 500, 'IMSS call failed');
  return new ImssCallError(err.code ?? status.UNKNOWN, failure.details, failure.trailers('imss-'));
}
