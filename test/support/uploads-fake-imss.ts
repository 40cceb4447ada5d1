import { status } from '@grpc/grpc-js';
import { UploadStatus, type ImageUpload, type Session } from '../../src/main/gen/imss/imss';
import { DeliveryState, type GetUploadJobResponse } from '../../src/main/gen/imss/imss_service';
import { ImssCallError, type ImssApi, type JobSnapshot, type OffsetInfo, type UploadResult } from '../../src/main/uploads/imss-api';

/**
 * An in-memory IMSS for queue unit tests and the queue-overhead benchmark: instant calls, no
 * bytes read, and switches to make it fail (`down`) or to fail the next N uploads.
 */
export class FakeImss implements ImssApi {
  down = false;
  failNextUploads = 0;
  uploadCalls = 0;
  createJobCalls = 0;
  private seq = 0;
  private readonly sessions = new Map<string, Session>();
  private readonly uploads = new Map<string, { committed: number; size: number; status: UploadStatus }>();
  private readonly jobs = new Map<string, string[]>();
  private readonly byRequest = new Map<string, { jobId: string; uploads: ImageUpload[] }>();
  private readonly imageSizes = new Map<string, number>();

  jobCount(): number {
    return this.jobs.size;
  }

  private gate(): void {
    if (this.down) throw new ImssCallError(status.UNAVAILABLE, 'fake: down');
  }

  async createSession(name: string): Promise<Session> {
    this.gate();
    const s: Session = { id: `s${++this.seq}`, completed: false, createdAt: new Date(), finishedAt: undefined, name, images: [] };
    this.sessions.set(s.id, s);
    return s;
  }

  async listSessions() {
    this.gate();
    return { sessions: [...this.sessions.values()], nextPageToken: '' };
  }

  async getSession(id: string): Promise<Session> {
    this.gate();
    const s = this.sessions.get(id);
    if (!s) throw new ImssCallError(status.NOT_FOUND, 'no session');
    return s;
  }

  async completeSession(id: string): Promise<Session> {
    const s = await this.getSession(id);
    s.completed = true;
    return s;
  }

  async registerImage(req: { localPath: string; size: number }): Promise<{ imageId: string }> {
    this.gate();
    const id = `i:${req.localPath}`;
    this.imageSizes.set(id, req.size);
    return { imageId: id };
  }

  async createUploadJob(req: { requestId: string; imageIds: string[]; recipient: string }) {
    this.gate();
    this.createJobCalls += 1;
    const known = this.byRequest.get(req.requestId);
    if (known) return known;
    const jobId = `j${++this.seq}`;
    const uploads: ImageUpload[] = req.imageIds.map((imageId) => {
      const id = `${jobId}:${++this.seq}`;
      this.uploads.set(id, { committed: 0, size: this.imageSizes.get(imageId) ?? 0, status: UploadStatus.IN_PROGRESS });
      return { id, jobId, imageId, progress: '0', status: UploadStatus.IN_PROGRESS, error: undefined };
    });
    this.jobs.set(jobId, uploads.map((u) => u.id));
    const res = { jobId, uploads };
    this.byRequest.set(req.requestId, res);
    return res;
  }

  async getUploadJob(): Promise<GetUploadJobResponse> {
    throw new ImssCallError(status.UNIMPLEMENTED, 'fake');
  }

  async cancelUploadJob(): Promise<void> {
    this.gate();
  }

  async getImageUploadOffset(uploadId: string): Promise<OffsetInfo> {
    this.gate();
    const u = this.uploads.get(uploadId);
    if (!u) throw new ImssCallError(status.NOT_FOUND, 'no upload');
    return { committed: u.committed, size: u.size, status: u.status, errorCode: null };
  }

  async uploadImageData(req: { uploadId: string; offset: number; size: number; onSent(bytes: number): void }): Promise<UploadResult> {
    this.gate();
    this.uploadCalls += 1;
    const u = this.uploads.get(req.uploadId);
    if (!u) throw new ImssCallError(status.NOT_FOUND, 'no upload');
    if (this.failNextUploads > 0) {
      this.failNextUploads -= 1;
      throw new ImssCallError(status.UNAVAILABLE, 'fake: stream broke');
    }
    req.onSent(req.size - req.offset);
    u.committed = u.size;
    u.status = UploadStatus.DONE;
    return { committed: u.size, status: UploadStatus.DONE };
  }

  async watchUploadJob(jobId: string): Promise<JobSnapshot> {
    this.gate();
    const ids = this.jobs.get(jobId) ?? [];
    const done = ids.every((id) => this.uploads.get(id)?.status === UploadStatus.DONE);
    return {
      status: done ? UploadStatus.DONE : UploadStatus.IN_PROGRESS,
      error: null,
      delivery: { state: done ? DeliveryState.DELIVERY_STATE_DELIVERED : DeliveryState.DELIVERY_STATE_PENDING, link: 'fake://album', deliveredAt: Date.now(), error: null },
    };
  }

  close(): void {}
}
