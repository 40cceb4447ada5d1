import { z } from 'zod';
import { Empty } from './app';
import { call, event } from './define';
import { FileSource, PickedFile } from './printers';

/**
 * The uploads surface of the contract: IMSS image sessions, image sources (files, folder watch,
 * printer cameras) and the durable upload job queue. Calls are named `uploads.verb`; each is
 * declared once here with zod schemas and merged into the contract in ./index.ts.
 */

const ConnectionId = z.string().min(1).max(64);
const SessionId = z.string().min(1).max(200);
const ImageId = z.string().uuid();
const JobId = z.string().uuid();
const DeviceId = z.string().min(1).max(128);

export const UPLOADS_MAX_IMAGES_PER_JOB = 20_000;
export const UPLOADS_MAX_CONCURRENCY = 16;

export const UploadSession = z.object({
  connectionId: z.string().max(64),
  id: z.string().max(200),
  name: z.string().max(200),
  completed: z.boolean(),
  createdAt: z.number().int().nullable(),
  finishedAt: z.number().int().nullable(),
  /** Images Printdeck added to the session. */
  imageCount: z.number().int().nonnegative(),
});
export type UploadSession = z.infer<typeof UploadSession>;

export const ImageSourceKind = z.enum(['file', 'staged', 'watch', 'camera']);

export const SessionImage = z.object({
  id: z.string().max(64),
  connectionId: z.string().max(64),
  sessionId: z.string().max(200),
  name: z.string().max(512),
  size: z.number().int().nonnegative(),
  sha256: z.string().max(64),
  source: ImageSourceKind,
  createdAt: z.number().int(),
  addedAt: z.number().int(),
  /** Whether the IMSS server has the image registered yet. */
  registered: z.boolean(),
  /** `ready` once a thumbnail can be fetched with uploads.thumbnail; `none` for formats without one. */
  thumbnail: z.enum(['pending', 'ready', 'none']),
});
export type SessionImage = z.infer<typeof SessionImage>;

export const JobState = z.enum(['preparing', 'uploading', 'delivering', 'delivered', 'failed', 'cancelling', 'cancelled']);
export type JobState = z.infer<typeof JobState>;

export const JobImageState = z.enum(['pending', 'uploading', 'done', 'error']);
export type JobImageState = z.infer<typeof JobImageState>;

export const JobImage = z.object({
  jobId: z.string().max(64),
  imageId: z.string().max(64),
  name: z.string().max(512),
  position: z.number().int().nonnegative(),
  state: JobImageState,
  sentBytes: z.number().int().nonnegative(),
  size: z.number().int().nonnegative(),
  error: z.string().max(1000).nullable(),
  /** False when the image can no longer join the server's job (e.g. it was gone before the job was created). */
  retryable: z.boolean(),
});
export type JobImage = z.infer<typeof JobImage>;

export const UploadJobSummary = z.object({
  id: z.string().max(64),
  connectionId: z.string().max(64),
  sessionId: z.string().max(200),
  recipient: z.string().max(254),
  state: JobState,
  paused: z.boolean(),
  /** Set while the job waits for its server to come back. */
  waitingForServer: z.boolean(),
  totalImages: z.number().int().nonnegative(),
  doneImages: z.number().int().nonnegative(),
  errorImages: z.number().int().nonnegative(),
  totalBytes: z.number().int().nonnegative(),
  /** Bytes sent, including those of streams in flight (which a server restart may lose). */
  sentBytes: z.number().int().nonnegative(),
  /** Bytes the server has stored durably: what the progress is; it does not go back when the server restarts. */
  committedBytes: z.number().int().nonnegative(),
  createdAt: z.number().int(),
  finishedAt: z.number().int().nullable(),
  error: z.string().max(1000).nullable(),
  deliveryLink: z.string().max(2048).nullable(),
  deliveredAt: z.number().int().nullable(),
  /** The images in flight right now, with their byte progress. */
  active: z.array(JobImage).max(UPLOADS_MAX_CONCURRENCY),
});
export type UploadJobSummary = z.infer<typeof UploadJobSummary>;

export const FolderWatch = z.object({
  connectionId: z.string().max(64),
  folder: z.string().max(4096),
  /** False while the folder is missing or unreadable; `message` says why. */
  watching: z.boolean(),
  imagesAdded: z.number().int().nonnegative(),
  message: z.string().max(1000).nullable(),
});
export type FolderWatch = z.infer<typeof FolderWatch>;

export const Timelapse = z.object({
  connectionId: z.string().max(64),
  deviceId: z.string().max(128),
  intervalSec: z.number().int().min(5).max(3600),
  /** True while the printer prints and snapshots are being taken. */
  capturing: z.boolean(),
  captured: z.number().int().nonnegative(),
  message: z.string().max(1000).nullable(),
});
export type Timelapse = z.infer<typeof Timelapse>;

export const ServerState = z.object({
  connectionId: z.string().max(64),
  name: z.string().max(120),
  /** `down` while the queue is paused because the server does not answer. */
  circuit: z.enum(['ok', 'down', 'unknown']),
  message: z.string().max(1000).nullable(),
  activeSessionId: z.string().max(200).nullable(),
});
export type ServerState = z.infer<typeof ServerState>;

/** What happens to Printdeck's own copies of images (browser files, camera frames) once delivered. */
export const UploadsRetention = z.object({
  /** Delete a copy once a job delivered it. */
  deleteDelivered: z.boolean(),
  /** Keep the newest N delivered copies anyway. */
  keepLast: z.number().int().min(0).max(100_000),
  /** The disk the copies may take, in MB; delivered ones go first, undelivered ones never. */
  budgetMb: z.number().int().min(1).max(1_048_576),
});
export type UploadsRetention = z.infer<typeof UploadsRetention>;

/** The disk Printdeck's own copies take now. */
export const UploadsStorage = z.object({
  files: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  /** Of those, delivered copies (deleted first when room is needed). */
  deliveredFiles: z.number().int().nonnegative(),
  deliveredBytes: z.number().int().nonnegative(),
  budgetBytes: z.number().int().nonnegative(),
});
export type UploadsStorage = z.infer<typeof UploadsStorage>;

export const UploadsStatus = z.object({
  servers: z.array(ServerState).max(64),
  concurrency: z.number().int().min(1).max(UPLOADS_MAX_CONCURRENCY),
  inFlight: z.number().int().nonnegative(),
  watches: z.array(FolderWatch).max(64),
  timelapses: z.array(Timelapse).max(256),
  retention: UploadsRetention,
  storage: UploadsStorage,
});
export type UploadsStatus = z.infer<typeof UploadsStatus>;

/** A recipient is an e-mail address (upstream IMSS e-mailed the album link). */
export const Recipient = z.string().trim().toLowerCase().pipe(z.email('Enter a valid e-mail address for the recipient.').max(254));

export const AddImagesResult = z.object({
  added: z.array(SessionImage).max(1000),
  /** Files whose content is already in the session (same SHA-256); they were not added again. */
  duplicates: z.number().int().nonnegative(),
  failed: z.array(z.object({ name: z.string().max(512), message: z.string().max(1000) })).max(1000),
});
export type AddImagesResult = z.infer<typeof AddImagesResult>;

const Page = { offset: z.number().int().min(0).max(1_000_000).default(0), limit: z.number().int().min(1).max(500).default(200) };

export const uploadCalls = {
  'uploads.status': call(Empty, UploadsStatus),
  /** Changes what is given: the number of parallel uploads, the retention of local copies. */
  'uploads.configure': call(
    z.object({ concurrency: z.number().int().min(1).max(UPLOADS_MAX_CONCURRENCY).optional(), retention: UploadsRetention.partial().strict().optional() }).strict(),
    UploadsStatus,
    { timeoutMs: 60_000 },
  ),
  'uploads.listSessions': call(
    z.object({ connectionId: ConnectionId }).strict(),
    z.object({
      sessions: z.array(UploadSession).max(100),
      /** The server could not be reached: the sessions are the ones Printdeck knows. */
      offline: z.boolean(),
      /** The server answered but refused the connection's token (not offline): fix it in Settings. */
      credentialsRefused: z.boolean(),
      /** What went wrong, in words, when the list is not fresh from the server. */
      problem: z.string().max(1000).nullable(),
    }),
  ),
  'uploads.createSession': call(z.object({ connectionId: ConnectionId, name: z.string().trim().min(1, 'a name is required').max(200) }).strict(), UploadSession),
  'uploads.getSession': call(z.object({ connectionId: ConnectionId, sessionId: SessionId }).strict(), UploadSession),
  'uploads.completeSession': call(z.object({ connectionId: ConnectionId, sessionId: SessionId }).strict(), UploadSession, { timeoutMs: 120_000 }),
  /** Adds files (or every image in a folder, for paths) to a session. Paths only from the desktop app. */
  'uploads.addImages': call(
    z.object({ connectionId: ConnectionId, sessionId: SessionId, files: z.array(FileSource).min(1).max(500) }).strict(),
    AddImagesResult,
    { timeoutMs: 300_000 },
  ),
  'uploads.listImages': call(
    z.object({ connectionId: ConnectionId, sessionId: SessionId, ...Page }).strict(),
    z.object({ images: z.array(SessionImage).max(500), total: z.number().int() }),
  ),
  'uploads.thumbnail': call(
    z.object({ imageId: ImageId }).strict(),
    z.object({ mime: z.enum(['image/jpeg', 'image/png']), dataBase64: z.string().max(400_000) }).nullable(),
  ),
  /** Watches a folder and adds new images to the server's active session; `folder: null` stops. Desktop app only. */
  // A folder the user picked in the desktop app; a host path string only from in-process callers.
  'uploads.watchFolder': call(z.object({ connectionId: ConnectionId, folder: z.union([PickedFile, z.string().min(1).max(4096)]).nullable() }).strict(), UploadsStatus),
  'uploads.capture': call(z.object({ connectionId: ConnectionId, sessionId: SessionId, deviceId: DeviceId }).strict(), SessionImage, {
    timeoutMs: 30_000,
  }),
  /** Takes a snapshot every `intervalSec` while the printer prints, into the active session; null stops. */
  'uploads.timelapse': call(
    z.object({ connectionId: ConnectionId, deviceId: DeviceId, intervalSec: z.number().int().min(5).max(3600).nullable() }).strict(),
    UploadsStatus,
  ),
  'uploads.createJob': call(
    z
      .object({
        connectionId: ConnectionId,
        sessionId: SessionId,
        recipient: Recipient,
        /** Omitted: every image of the session. */
        imageIds: z.array(ImageId).min(1).max(UPLOADS_MAX_IMAGES_PER_JOB).optional(),
      })
      .strict(),
    UploadJobSummary,
    { timeoutMs: 60_000 },
  ),
  'uploads.pauseJob': call(z.object({ jobId: JobId }).strict(), UploadJobSummary),
  'uploads.resumeJob': call(z.object({ jobId: JobId }).strict(), UploadJobSummary),
  'uploads.cancelJob': call(z.object({ jobId: JobId }).strict(), UploadJobSummary),
  /** Retries one failed image, or every failed image of the job when imageId is omitted. */
  'uploads.retryImage': call(z.object({ jobId: JobId, imageId: ImageId.optional() }).strict(), UploadJobSummary),
  'uploads.listJobs': call(z.object({ connectionId: ConnectionId.optional() }).strict(), z.array(UploadJobSummary).max(200)),
  'uploads.getJob': call(
    z.object({ jobId: JobId, ...Page }).strict(),
    z.object({ job: UploadJobSummary, images: z.array(JobImage).max(500), total: z.number().int() }),
  ),
};

export const uploadEvents = {
  /** A job's progress, at most 10 per second per job (latest wins). */
  'uploads.job': event(UploadJobSummary, { coalesceKey: (j) => j.id }),
  /** An image of a job changed state (started, done, failed, retried). */
  'uploads.jobImage': event(JobImage, { coalesceKey: (i) => `${i.jobId}:${i.imageId}` }),
  /** A session changed: created, completed, or images were added. */
  'uploads.session': event(UploadSession, { coalesceKey: (s) => `${s.connectionId}:${s.id}` }),
  'uploads.status': event(UploadsStatus, { coalesceKey: () => 'status' }),
};
