import type { ImageUpload, Session, UploadStatus } from '../gen/imss/imss';
import type { DeliveryState, GetUploadJobResponse } from '../gen/imss/imss_service';

/** A failed IMSS call, with the gRPC status code and the trailing metadata the proto names. */
export class ImssCallError extends Error {
  constructor(
    /** gRPC status code (numeric, as @grpc/grpc-js `status`). */
    readonly code: number,
    message: string,
    readonly trailers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ImssCallError';
  }
}

export interface OffsetInfo {
  committed: number;
  size: number;
  status: UploadStatus;
  errorCode: string | null;
}

export interface UploadResult {
  committed: number;
  status: UploadStatus;
}

export interface JobSnapshot {
  status: UploadStatus;
  delivery: { state: DeliveryState; link: string; deliveredAt: number | null; error: string | null };
  error: string | null;
}

/**
 * What the upload queue needs from an IMSS server. The gRPC client implements it; unit tests and
 * the queue-overhead benchmark use an in-memory one.
 */
export interface ImssApi {
  createSession(name: string): Promise<Session>;
  listSessions(pageSize: number, pageToken?: string): Promise<{ sessions: Session[]; nextPageToken: string }>;
  getSession(id: string): Promise<Session>;
  completeSession(id: string): Promise<Session>;
  registerImage(req: { sessionId: string; localPath: string; size: number; createdAt: number; sha256: string }): Promise<{ imageId: string }>;
  createUploadJob(req: { requestId: string; imageIds: string[]; recipient: string }): Promise<{ jobId: string; uploads: ImageUpload[] }>;
  getUploadJob(jobId: string): Promise<GetUploadJobResponse>;
  cancelUploadJob(jobId: string): Promise<void>;
  getImageUploadOffset(uploadId: string): Promise<OffsetInfo>;
  /** Streams `file` from `offset` to `size`; `onSent` reports bytes handed to the transport. */
  uploadImageData(req: { uploadId: string; file: string; offset: number; size: number; onSent(bytes: number): void; signal: AbortSignal }): Promise<UploadResult>;
  /** Follows a job until it is final; resolves with the last snapshot. */
  watchUploadJob(jobId: string, onSnapshot: (s: JobSnapshot) => void, signal: AbortSignal): Promise<JobSnapshot>;
  close(): void;
}
