import { randomUUID } from 'node:crypto';
import { rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { AddImagesResult, SessionImage, UploadSession } from '../../shared/contract';
import { AppError } from '../../shared/rpc/result';
import type { Session } from '../gen/imss/imss';
import type { EventHub } from '../events/event-hub';
import type { FileStaging } from '../files/staging';
import type { Logger } from '../log';
import { fileFacts, imagesInFolder, isImageName, type OwnedFiles } from './file-intake';
import { appErrorOf, type ImssConnections } from './imss-connections';
import { makeThumbnail, type ThumbnailStore } from './thumbnails';
import type { ImageRow, SessionRow, UploadStore } from './upload-store';
import type { AdmittedSource } from '../files/picked-files';

const MAX_FILES_PER_ADD = 1000;

export interface NewImage {
  /** Where the bytes are now. */
  path: string;
  name: string;
  source: ImageRow['source'];
  /** True when the file is a copy in the uploads data folder. */
  owned: boolean;
  /** When the picture was taken, when known better than the file's own times (a browser's File.lastModified: the copy here is new). */
  takenAt?: number;
}

/**
 * Sessions (mirrored from the IMSS server, cached for offline use) and the images Printdeck adds
 * to them: hashed once on the way in, de-duplicated by checksum, thumbnailed in the background.
 */
export class SessionImages {
  private thumbQueue: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly store: UploadStore,
    private readonly servers: ImssConnections,
    private readonly staging: FileStaging,
    private readonly owned: OwnedFiles,
    private readonly thumbs: ThumbnailStore,
    private readonly events: EventHub,
    private readonly log: Logger,
  ) {}

  start(): void {
    // Thumbnails a crash interrupted.
    for (const row of this.store.pendingThumbnails(500)) this.queueThumbnail(row.id, row.path);
  }

  stop(): void {
    this.stopped = true;
  }

  // ---------- sessions ----------

  async listSessions(connectionId: string): Promise<{ sessions: UploadSession[]; offline: boolean; credentialsRefused: boolean; problem: string | null }> {
    const api = this.servers.require(connectionId);
    let offline = false;
    let credentialsRefused = false;
    let problem: string | null = null;
    try {
      const res = await api.listSessions(50);
      for (const s of res.sessions) this.store.upsertSession(toRow(connectionId, s));
      this.store.markOthersCompleted(connectionId, res.sessions.find((s) => !s.completed)?.id ?? null);
    } catch (err) {
      this.log.debug(`listing sessions of ${connectionId} failed`, err);
      const e = appErrorOf(err);
      // A refused token is not an outage: the server is there and says no.
      credentialsRefused = e.code === 'AUTH_REQUIRED';
      offline = !credentialsRefused;
      problem = e.message;
    }
    return { sessions: this.store.sessions(connectionId, 100).map((r) => this.view(r)), offline, credentialsRefused, problem };
  }

  async createSession(connectionId: string, name: string): Promise<UploadSession> {
    const api = this.servers.require(connectionId);
    let session: Session;
    try {
      session = await api.createSession(name);
    } catch (err) {
      const e = appErrorOf(err);
      if (e.code === 'CONFLICT' && e.detail) {
        throw new AppError('CONFLICT', `Session "${this.store.session(connectionId, e.detail)?.name ?? e.detail}" is still active; complete it before starting another.`, e.detail);
      }
      throw e;
    }
    return this.remember(connectionId, session);
  }

  async getSession(connectionId: string, sessionId: string): Promise<UploadSession> {
    const api = this.servers.require(connectionId);
    try {
      return this.remember(connectionId, await api.getSession(sessionId));
    } catch (err) {
      const cached = this.store.session(connectionId, sessionId);
      if (cached && appErrorOf(err).code === 'UNAVAILABLE') return this.view(cached);
      throw appErrorOf(err);
    }
  }

  /** Registers the session's images that are not yet on the server, then completes it. */
  async completeSession(connectionId: string, sessionId: string): Promise<UploadSession> {
    const api = this.servers.require(connectionId);
    try {
      for (const img of this.store.unregisteredImages(connectionId, sessionId)) {
        const { imageId } = await api.registerImage({ sessionId, localPath: remoteName(img), size: img.size, createdAt: img.created_at, sha256: img.sha256 });
        this.store.setServerImageId(img.id, imageId);
      }
      return this.remember(connectionId, await api.completeSession(sessionId));
    } catch (err) {
      throw appErrorOf(err);
    }
  }

  activeSessionId(connectionId: string): string | null {
    return this.store.activeSession(connectionId)?.id ?? null;
  }

  /** The session an image may be added to: known, and not completed. */
  requireOpenSession(connectionId: string, sessionId: string): SessionRow {
    this.servers.require(connectionId);
    const row = this.store.session(connectionId, sessionId);
    if (!row) throw new AppError('NOT_FOUND', 'No such session; reload the sessions list.');
    if (row.completed) throw new AppError('CONFLICT', `Session "${row.name}" is completed; images can no longer be added to it.`);
    return row;
  }

  private remember(connectionId: string, s: Session): UploadSession {
    const row = toRow(connectionId, s);
    this.store.upsertSession(row);
    if (!s.completed) this.store.markOthersCompleted(connectionId, s.id);
    const view = this.view(row);
    this.events.emit('uploads.session', view);
    return view;
  }

  view(row: SessionRow): UploadSession {
    return {
      connectionId: row.connection_id,
      id: row.id,
      name: row.name,
      completed: row.completed === 1,
      createdAt: row.created_at,
      finishedAt: row.finished_at,
      imageCount: this.store.imageCount(row.connection_id, row.id),
    };
  }

  // ---------- images ----------

  /** Resolves what the UI sent (paths, folders, staged files) into files to add. */
  addSources(connectionId: string, sessionId: string, files: AdmittedSource[], viaBrowser: boolean): Promise<AddImagesResult> {
    // A refused call (a completed session, a path over the network) must not keep the files it staged.
    const staged = files.flatMap((f) => (f.kind === 'staged' ? [f.stagedId] : []));
    return this.staging.releaseOnFailure(staged, () => this.addSourcesNow(connectionId, sessionId, files, viaBrowser));
  }

  private async addSourcesNow(connectionId: string, sessionId: string, files: AdmittedSource[], viaBrowser: boolean): Promise<AddImagesResult> {
    this.requireOpenSession(connectionId, sessionId);
    const result: AddImagesResult = { added: [], duplicates: 0, failed: [] };
    for (const source of files) {
      if (source.kind === 'staged') {
        let staged;
        try {
          staged = this.staging.resolve(source.stagedId);
        } catch (err) {
          result.failed.push({ name: source.stagedId, message: (err as Error).message });
          continue;
        }
        try {
          // The stage is private to one call and expires; keep a copy of our own until it is uploaded.
          const copy = await this.owned.copyIn(staged.path, staged.name);
          const takenAt = source.modifiedAt;
          const added = await this.addOne(connectionId, sessionId, { path: copy, name: staged.name, source: 'staged', owned: true, ...(takenAt !== undefined ? { takenAt } : {}) }, result);
          // A duplicate or refused file: the copy is nobody's, so it goes at once.
          if (!added) await rm(copy, { force: true });
        } catch (err) {
          result.failed.push({ name: staged.name, message: (err as Error).message });
        } finally {
          await this.staging.release(source.stagedId);
        }
        continue;
      }
      if (viaBrowser) throw new AppError('FORBIDDEN', 'Over the network, send the files themselves (files.stageBegin/Chunk/Finish), not paths.');
      if (!path.isAbsolute(source.path)) throw new AppError('BAD_REQUEST', 'File paths must be absolute.', 'files');
      const info = await stat(source.path).catch(() => null);
      if (!info) {
        result.failed.push({ name: path.basename(source.path), message: `There is no file or folder at ${source.path}.` });
        continue;
      }
      const paths = info.isDirectory() ? await imagesInFolder(source.path, MAX_FILES_PER_ADD) : [source.path];
      for (const p of paths) await this.addOne(connectionId, sessionId, { path: p, name: path.basename(p), source: 'file', owned: false }, result);
    }
    this.emitSession(connectionId, sessionId);
    return result;
  }

  /** Adds one file; duplicates (same content in the session) are counted, not added. */
  async addOne(connectionId: string, sessionId: string, file: NewImage, result?: AddImagesResult): Promise<SessionImage | null> {
    try {
      if (!isImageName(file.name)) throw new Error(`${file.name} is not an image file Printdeck uploads.`);
      const facts = await fileFacts(file.path);
      if (facts.size === 0) throw new Error(`${file.name} is empty.`);
      const existing = this.store.imageByContent(connectionId, sessionId, facts.sha256);
      if (existing) {
        if (result) result.duplicates += 1;
        return null;
      }
      const row: ImageRow = {
        id: randomUUID(),
        connection_id: connectionId,
        session_id: sessionId,
        name: this.uniqueName(connectionId, sessionId, file.name.slice(0, 512)),
        path: file.path,
        owned: file.owned ? 1 : 0,
        source: file.source,
        size: facts.size,
        mtime_ms: facts.mtimeMs,
        sha256: facts.sha256,
        created_at: file.takenAt ?? facts.createdAt,
        added_at: Date.now(),
        server_image_id: null,
        thumbnail: 'pending',
        removed_at: null,
      };
      this.store.insertImage(row);
      this.queueThumbnail(row.id, row.path);
      const view = imageView(row);
      result?.added.push(view);
      return view;
    } catch (err) {
      if (err instanceof AppError) throw err;
      const message = err instanceof Error ? err.message : String(err);
      if (result) result.failed.push({ name: file.name, message });
      else throw new AppError('BAD_REQUEST', message);
      return null;
    }
  }

  /**
   * The server knows an image by its name (sent as `localPath`, see remoteName), and refuses a
   * second file under a name it already has: two different photos both called IMG_0001.JPG get
   * "IMG_0001 (2).JPG" for the second.
   */
  private uniqueName(connectionId: string, sessionId: string, name: string): string {
    if (!this.store.imageByName(connectionId, sessionId, name)) return name;
    const ext = path.extname(name);
    const stem = name.slice(0, name.length - ext.length);
    for (let n = 2; n < 10_000; n++) {
      const candidate = `${stem} (${n})${ext}`;
      if (!this.store.imageByName(connectionId, sessionId, candidate)) return candidate;
    }
    return `${stem} (${randomUUID().slice(0, 8)})${ext}`;
  }

  emitSession(connectionId: string, sessionId: string): void {
    const row = this.store.session(connectionId, sessionId);
    if (row) this.events.emit('uploads.session', this.view(row));
  }

  listImages(connectionId: string, sessionId: string, offset: number, limit: number): { images: SessionImage[]; total: number } {
    return {
      images: this.store.images(connectionId, sessionId, offset, limit).map(imageView),
      total: this.store.imageCount(connectionId, sessionId),
    };
  }

  async thumbnail(imageId: string): Promise<{ mime: 'image/jpeg' | 'image/png'; dataBase64: string } | null> {
    const row = this.store.image(imageId);
    if (!row) throw new AppError('NOT_FOUND', 'No such image.');
    if (row.thumbnail !== 'ready') return null;
    const t = await this.thumbs.load(imageId);
    return t ? { mime: t.mime, dataBase64: t.data.toString('base64') } : null;
  }

  /** One thumbnail at a time, so a folder of photos does not starve the main process. */
  private queueThumbnail(imageId: string, file: string): void {
    this.thumbQueue = this.thumbQueue.then(async () => {
      if (this.stopped) return;
      let state: ImageRow['thumbnail'] = 'none';
      try {
        const thumb = await makeThumbnail(file);
        if (thumb) {
          await this.thumbs.save(imageId, thumb);
          state = 'ready';
        }
      } catch (err) {
        this.log.debug(`no thumbnail for ${file}`, err);
      }
      if (this.stopped) return;
      this.store.setThumbnail(imageId, state);
      const row = this.store.image(imageId);
      if (row && state === 'ready') this.emitSession(row.connection_id, row.session_id);
    });
  }
}

function toRow(connectionId: string, s: Session): SessionRow {
  return {
    connection_id: connectionId,
    id: s.id,
    name: s.name,
    completed: s.completed ? 1 : 0,
    created_at: s.createdAt ? s.createdAt.getTime() : null,
    finished_at: s.finishedAt ? s.finishedAt.getTime() : null,
  };
}

/**
 * What the server is told as the image's `localPath`: the original file name only. Where the
 * bytes sit on this computer (a private folder, `<data-dir>/uploads/files/<uuid>.png` for a
 * browser's file) is nobody else's business, and the name is what a person recognises.
 */
export function remoteName(row: Pick<ImageRow, 'name'>): string {
  return path.basename(row.name.replace(/\\/g, '/')) || 'image';
}

export function imageView(row: ImageRow): SessionImage {
  return {
    id: row.id,
    connectionId: row.connection_id,
    sessionId: row.session_id,
    name: row.name,
    size: row.size,
    sha256: row.sha256,
    source: row.source,
    createdAt: row.created_at,
    addedAt: row.added_at,
    registered: row.server_image_id !== null,
    thumbnail: row.thumbnail,
  };
}
