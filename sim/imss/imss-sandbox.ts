import {
  Metadata,
  status,
  type sendUnaryData,
  type ServerReadableStream,
  type ServerUnaryCall,
  type ServerWritableStream,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import {
  ImssServiceService,
  type ImssServiceServer,
  type UploadImageDataRequest,
  type UploadImageDataResponse,
  type WatchUploadJobResponse,
} from '../../src/main/gen/imss/imss_service';
import { SandboxGrpcServer } from '../grpc/sandbox-server';
import { ImssFaults } from './imss-faults';
import { ImssFailure, ImssState, type UploadRec } from './imss-state';

export interface ImssSandboxOptions {
  workDir: string;
  name?: string;
  /** When set, every IMSS call must carry `authorization: Bearer <token>`. */
  token?: string | null;
}

const MAX_CHUNK = 1024 * 1024;
const WATCH_COALESCE_MS = 250;

/**
 * A sandbox IMSS server: the ImssService of proto/imss/imss_service.proto over real gRPC, with
 * the domain in ImssState and data-path faults (stream cuts, slow link) besides the generic ones.
 */
export class ImssSandbox extends SandboxGrpcServer {
  readonly state: ImssState;
  readonly imssFaults = new ImssFaults();
  private readonly token: string | null;

  constructor(options: ImssSandboxOptions) {
    super({ name: options.name ?? 'imss-sandbox' });
    this.state = new ImssState(options.workDir);
    this.token = options.token ?? null;
    this.addService('imss.ImssService', ImssServiceService, this.impl() as unknown as UntypedServiceImplementation);
  }

  describeFaults(): string[] {
    return [...this.faults.describe(), ...this.imssFaults.describe()];
  }

  private authorized(metadata: Metadata): boolean {
    if (!this.token) return true;
    const [value] = metadata.get('authorization');
    return value === `Bearer ${this.token}`;
  }

  private unary<Req, Res>(work: (req: Req) => Res | Promise<Res>) {
    return (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>): void => {
      if (!this.authorized(call.metadata)) return callback(grpcError(new ImssFailure(status.UNAUTHENTICATED, 'missing or wrong bearer token')));
      Promise.resolve()
        .then(() => work(call.request))
        .then(
          (res) => callback(null, res),
          (err: unknown) => callback(grpcError(err)),
        );
    };
  }

  private impl(): ImssServiceServer {
    const s = this.state;
    return {
      createSession: this.unary((req) => ({ session: s.createSession(req.name) })),
      listSessions: this.unary((req) => s.listSessions(req.pageSize, req.pageToken)),
      getSession: this.unary((req) => ({ session: s.getSession(req.sessionId) })),
      completeSession: this.unary((req) => ({ session: s.completeSession(req.sessionId) })),
      registerImage: this.unary((req) =>
        s.registerImage({ sessionId: req.sessionId, localPath: req.localPath, size: toInt(req.size, 'size'), createdAt: req.createdAt, sha256: req.sha256Hex }),
      ),
      createUploadJob: this.unary((req) => {
        const v = s.createJob(req.requestId, req.imageIds, req.recipient);
        return { job: v.job, imageUploads: v.imageUploads };
      }),
      getUploadJob: this.unary((req) => s.getJob(req.jobId)),
      cancelUploadJob: this.unary((req) => {
        const v = s.cancelJob(req.jobId);
        return { job: v.job, imageUploads: v.imageUploads, error: v.error };
      }),
      getImageUploadOffset: this.unary((req) => {
        const o = s.offsetOf(req.imageUploadId);
        return { committedOffset: String(o.committed), size: String(o.size), imageUpload: o.upload };
      }),
      watchUploadJob: (call) => this.watch(call),
      uploadImageData: (call, callback) => {
        if (!this.authorized(call.metadata)) return callback(grpcError(new ImssFailure(status.UNAUTHENTICATED, 'missing or wrong bearer token')));
        this.receive(call).then(
          (res) => callback(null, res),
          (err: unknown) => callback(grpcError(err)),
        );
      },
    };
  }

  private watch(call: ServerWritableStream<{ jobId: string }, WatchUploadJobResponse>): void {
    if (!this.authorized(call.metadata)) return void call.destroy(grpcError(new ImssFailure(status.UNAUTHENTICATED, 'missing or wrong bearer token')));
    const jobId = call.request.jobId;
    let first;
    try {
      first = this.state.jobViewOf(jobId, null);
    } catch (err) {
      call.destroy(grpcError(err));
      return;
    }
    call.write(first);
    if (this.state.isJobFinal(jobId)) return void call.end();
    const dirty = new Set<string>();
    let timer: NodeJS.Timeout | null = null;
    let lastSent = 0;
    const flush = (): void => {
      timer = null;
      if (call.cancelled || call.destroyed) return;
      lastSent = Date.now();
      const ids = [...dirty];
      dirty.clear();
      call.write(this.state.jobViewOf(jobId, ids));
      if (this.state.isJobFinal(jobId)) {
        stop();
        call.end();
      }
    };
    const stop = this.state.onJob(jobId, (changed, statusChanged) => {
      for (const id of changed) dirty.add(id);
      if (statusChanged) {
        if (timer) clearTimeout(timer);
        flush();
      } else if (!timer) {
        timer = setTimeout(flush, Math.max(0, WATCH_COALESCE_MS - (Date.now() - lastSent)));
      }
    });
    const cleanup = (): void => {
      stop();
      if (timer) clearTimeout(timer);
    };
    call.on('cancelled', cleanup);
    call.on('close', cleanup);
  }

  private async receive(call: ServerReadableStream<UploadImageDataRequest, UploadImageDataResponse>): Promise<UploadImageDataResponse> {
    const writer = Symbol('writer');
    let upload: UploadRec | null = null;
    let received = 0;
    // A client that goes away mid-stream leaves what was committed; the iteration just ends.
    call.on('cancelled', () => call.destroy());
    try {
      for await (const msg of call as AsyncIterable<UploadImageDataRequest>) {
        const data = msg.data;
        if (!upload) {
          if (data?.$case !== 'header') throw new ImssFailure(status.INVALID_ARGUMENT, 'the first message must be a header');
          upload = this.state.beginWrite(data.value.imageUploadId, toInt(data.value.offset, 'offset'), writer);
          continue;
        }
        if (data?.$case !== 'chunk') throw new ImssFailure(status.INVALID_ARGUMENT, 'only the first message may be a header');
        let chunk: Uint8Array = data.value;
        if (chunk.length > MAX_CHUNK) throw new ImssFailure(status.INVALID_ARGUMENT, `chunks must be at most ${MAX_CHUNK} bytes`);
        this.state.checkWrite(upload, writer, chunk.length);
        const allowance = this.imssFaults.cutAllowance(received, chunk.length);
        if (allowance !== null) chunk = chunk.subarray(0, allowance);
        await this.imssFaults.throttle(chunk.length);
        this.state.checkWrite(upload, writer, chunk.length);
        if (chunk.length > 0) await this.state.write(upload, this.imssFaults.damage(chunk, received === 0));
        received += chunk.length;
        if (allowance !== null) throw new ImssFailure(status.UNAVAILABLE, 'sandbox: the link was cut');
      }
    } catch (err) {
      if (upload?.writer === writer) upload.writer = null;
      if (call.cancelled) throw new ImssFailure(status.CANCELLED, 'the client went away');
      throw err;
    }
    if (call.cancelled) throw new ImssFailure(status.CANCELLED, 'the client went away');
    if (!upload) throw new ImssFailure(status.INVALID_ARGUMENT, 'no header');
    const done = await this.state.finish(upload, writer);
    return { imageUpload: done.upload, committedOffset: String(done.committed) };
  }
}

function toInt(value: string, field: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new ImssFailure(status.INVALID_ARGUMENT, `${field} is out of range`);
  return n;
}

function grpcError(err: unknown): { code: status; details: string; metadata: Metadata } & Error {
  const metadata = new Metadata();
  if (err instanceof ImssFailure) {
    for (const [k, v] of Object.entries(err.trailers)) metadata.set(k, v);
    return Object.assign(new Error(err.message), { code: err.code, details: err.message, metadata });
  }
  const message = err instanceof Error ? err.message : String(err);
  return Object.assign(new Error(message), { code: status.INTERNAL, details: message, metadata });
}
