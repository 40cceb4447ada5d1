import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { DeviceStatus, FolderWatch, SessionImage, Timelapse } from '../../shared/contract';
import { isPrinting, isUnreachable } from '../../shared/domain/device-state';
import { AppError } from '../../shared/rpc/result';
import type { Fleet } from '../devices/fleet';
import type { Logger } from '../log';
import type { OwnedFiles } from './file-intake';
import { FolderWatcher } from './folder-watcher';
import type { SessionImages } from './session-images';
import type { UploadStore } from './upload-store';

const WATCH_SETTING = 'uploads.watch.';

interface WatchEntry {
  watcher: FolderWatcher;
  view: FolderWatch;
}

interface TimelapseEntry {
  view: Timelapse;
  timer: NodeJS.Timeout | null;
}

/**
 * Where images come from besides the file picker: a watched folder and the printers' cameras
 * (one snapshot on demand, or a timelapse while a print runs). New images go to the server's
 * active session.
 */
export class ImageSources {
  private readonly watches = new Map<string, WatchEntry>();
  private readonly timelapses = new Map<string, TimelapseEntry>();
  private readonly unsubscribeFleet: () => void;

  constructor(
    private readonly store: UploadStore,
    private readonly sessions: SessionImages,
    private readonly fleet: Fleet,
    private readonly owned: OwnedFiles,
    private readonly log: Logger,
    private readonly changed: () => void,
  ) {
    this.unsubscribeFleet = fleet.onChange((change) => {
      if (change.type === 'status') this.onStatus(change.status);
      else this.stopTimelapseTimer(change.deviceId, 'The printer was removed.');
    });
  }

  /** Resumes the folder watches that were on when Printdeck last ran. */
  async start(): Promise<void> {
    for (const { key, value } of this.store.settingsWithPrefix(WATCH_SETTING)) {
      await this.watch(key.slice(WATCH_SETTING.length), value).catch((err: unknown) => this.log.warn(`cannot resume watching ${value}`, err));
    }
  }

  stop(): void {
    this.unsubscribeFleet();
    for (const w of this.watches.values()) w.watcher.stop();
    for (const t of this.timelapses.values()) if (t.timer) clearInterval(t.timer);
  }

  watchList(): FolderWatch[] {
    return [...this.watches.values()].map((w) => ({ ...w.view }));
  }

  timelapseList(): Timelapse[] {
    return [...this.timelapses.values()].map((t) => ({ ...t.view }));
  }

  // ---------- folder watch ----------

  async watch(connectionId: string, folder: string | null): Promise<void> {
    this.watches.get(connectionId)?.watcher.stop();
    this.watches.delete(connectionId);
    if (folder === null) {
      this.store.setSetting(WATCH_SETTING + connectionId, null);
      this.changed();
      return;
    }
    if (!path.isAbsolute(folder)) throw new AppError('BAD_REQUEST', 'The folder must be an absolute path.', 'folder');
    const view: FolderWatch = { connectionId, folder, watching: true, imagesAdded: 0, message: null };
    const watcher = new FolderWatcher({
      folder,
      onImage: async (file) => {
        const sessionId = this.sessions.activeSessionId(connectionId);
        if (!sessionId) {
          view.message = `${path.basename(file)} was not added: there is no active session. Start one to collect images.`;
          this.changed();
          return;
        }
        const added = await this.sessions.addOne(connectionId, sessionId, { path: file, name: path.basename(file), source: 'watch', owned: false }).catch((err: unknown) => {
          view.message = `${path.basename(file)} was not added: ${(err as Error).message}`;
          return null;
        });
        if (added) {
          view.imagesAdded += 1;
          view.message = null;
          this.sessions.emitSession(connectionId, sessionId);
        }
        this.changed();
      },
      onProblem: (message) => {
        if (message === view.message) return;
        view.watching = message === null;
        view.message = message;
        this.changed();
      },
    });
    try {
      await watcher.start();
    } catch (err) {
      throw new AppError('NOT_FOUND', `The folder ${folder} cannot be watched: ${(err as Error).message}`);
    }
    this.watches.set(connectionId, { watcher, view });
    this.store.setSetting(WATCH_SETTING + connectionId, folder);
    this.changed();
  }

  // ---------- cameras ----------

  async capture(connectionId: string, sessionId: string, deviceId: string): Promise<SessionImage> {
    this.sessions.requireOpenSession(connectionId, sessionId);
    const driver = this.fleet.driver(deviceId);
    const status = driver.status();
    if (!status.capabilities.camera) throw new AppError('UNSUPPORTED', `${status.name} has no camera Printdeck can read.`);
    const frame = await driver.captureSnapshot();
    if (frame.data.length === 0 || frame.data.length > 16 * 1024 * 1024) throw new AppError('DEVICE_ERROR', `${status.name} sent an unusable snapshot.`);
    const ext = frame.mime === 'image/png' ? 'png' : 'jpg';
    const name = `${safeName(status.name)}-${new Date(frame.at || Date.now()).toISOString().replace(/[:.]/g, '-')}.${ext}`;
    const file = await this.owned.writeIn(frame.data, name);
    const takenAt = frame.at > 0 ? Math.trunc(frame.at) : Date.now();
    const added = await this.sessions.addOne(connectionId, sessionId, { path: file, name, source: 'camera', owned: true, takenAt }).catch(async (err: unknown) => {
      await rm(file, { force: true });
      throw err;
    });
    if (!added) {
      await rm(file, { force: true });
      throw new AppError('CONFLICT', 'That snapshot is identical to one already in the session.');
    }
    this.sessions.emitSession(connectionId, sessionId);
    return added;
  }

  setTimelapse(connectionId: string, deviceId: string, intervalSec: number | null): void {
    this.stopTimelapseTimer(deviceId, null);
    this.timelapses.delete(deviceId);
    if (intervalSec !== null) {
      const status = this.fleet.driver(deviceId).status();
      if (!status.capabilities.camera) throw new AppError('UNSUPPORTED', `${status.name} has no camera Printdeck can read.`);
      this.timelapses.set(deviceId, { view: { connectionId, deviceId, intervalSec, capturing: false, captured: 0, message: null }, timer: null });
      this.onStatus(status);
    }
    this.changed();
  }

  private onStatus(status: DeviceStatus): void {
    const entry = this.timelapses.get(status.deviceId);
    if (!entry) return;
    const printing = isPrinting(status.state) && !isUnreachable(status.link);
    if (printing && !entry.timer) {
      entry.view.capturing = true;
      entry.view.message = null;
      entry.timer = setInterval(() => void this.timelapseShot(entry), entry.view.intervalSec * 1000);
      entry.timer.unref?.();
      void this.timelapseShot(entry);
      this.changed();
    } else if (!printing && entry.timer) {
      this.stopTimelapseTimer(status.deviceId, null);
      this.changed();
    }
  }

  private async timelapseShot(entry: TimelapseEntry): Promise<void> {
    const { connectionId, deviceId } = entry.view;
    const sessionId = this.sessions.activeSessionId(connectionId);
    try {
      if (!sessionId) throw new Error('There is no active session to put timelapse frames into.');
      await this.capture(connectionId, sessionId, deviceId);
      entry.view.captured += 1;
      entry.view.message = null;
    } catch (err) {
      entry.view.message = (err as Error).message;
    }
    this.changed();
  }

  private stopTimelapseTimer(deviceId: string, message: string | null): void {
    const entry = this.timelapses.get(deviceId);
    if (!entry) return;
    if (entry.timer) clearInterval(entry.timer);
    entry.timer = null;
    entry.view.capturing = false;
    if (message) entry.view.message = message;
  }
}

function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'printer';
}
