import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { TransferProgress } from '../../shared/contract';
import { AppError } from '../../shared/rpc/result';
import type { Fleet } from './fleet';
import type { EventHub } from '../events/event-hub';
import type { FileStaging } from '../files/staging';
import type { Logger } from '../log';
import type { NotificationCenter } from '../notifications/notification-center';
import type { AdmittedSource } from '../files/picked-files';
import { Listeners } from '../../shared/async';

/** Who asked for a print, for the history of prints. */
export type PrintOrigin = 'desktop' | 'browser' | 'queue' | 'site';

/** Told when a file starts on its way to a printer (the history attributes the print that follows). */
export interface TransferSending {
  deviceId: string;
  fileName: string;
  origin: PrintOrigin;
  at: number;
}

const PRINTABLE = new Set(['.gcode', '.gco', '.g', '.3w']);

/**
 * Sends files to printers: one transfer per device at a time, progress streamed as coalesced
 * events, cancellable, and every outcome reported in words.
 */
export class TransferService {
  private readonly current = new Map<
    string,
    { controller: AbortController; progress: TransferProgress; stagedId: string | null }
  >();
  private readonly sendingListeners = new Listeners<[TransferSending]>();
  private readonly acceptedListeners = new Listeners<[TransferSending]>();

  constructor(
    private readonly fleet: Fleet,
    private readonly staging: FileStaging,
    private readonly events: EventHub,
    private readonly notifications: NotificationCenter,
    private readonly log: Logger,
  ) {}

  /** Starts sending a file; a staged file named by a call that fails is released, not left holding its slot. */
  start(deviceId: string, source: AdmittedSource, name: string | undefined, viaBrowser: boolean): Promise<string> {
    const staged = source.kind === 'staged' ? [source.stagedId] : [];
    return this.staging.releaseOnFailure(staged, () => this.startNow(deviceId, source, name, viaBrowser));
  }

  private async startNow(
    deviceId: string,
    source: AdmittedSource,
    name: string | undefined,
    viaBrowser: boolean,
  ): Promise<string> {
    const driver = this.fleet.driver(deviceId);
    const status = driver.status();
    if (!status.capabilities.print)
      throw new AppError('UNSUPPORTED', `${status.name} cannot be sent files from Printdeck.`);
    const running = this.current.get(deviceId);
    if (running && !isFinal(running.progress.phase))
      throw new AppError('CONFLICT', `${status.name} is already receiving ${running.progress.fileName}.`);

    const file = await this.resolve(source, viaBrowser);
    const fileName = name ?? file.name;
    // A local file is judged by its real name, not by the label the caller gives it.
    const realName = source.kind === 'path' ? file.path : fileName;
    if (!PRINTABLE.has(path.extname(fileName).toLowerCase()) || !PRINTABLE.has(path.extname(realName).toLowerCase())) {
      throw new AppError('BAD_REQUEST', `Printdeck prints .gcode and .3w files; "${fileName}" is neither.`, 'file');
    }
    return this.begin(
      deviceId,
      { path: file.path, name: fileName, size: file.size },
      viaBrowser ? 'browser' : 'desktop',
      source.kind === 'staged' ? source.stagedId : null,
    ).transferId;
  }

  /**
   * Sends a file this process owns (the print queue's copy) and resolves once the printer accepted
   * the job, or rejects with the reason in words. Same path, progress events and notices as printers.print.
   */
  async send(deviceId: string, file: { path: string; name: string }, origin: PrintOrigin): Promise<void> {
    await this.sendOwned(deviceId, file, origin).done;
  }

  /**
   * The same as `send`, but answers at once with the transfer's id and a promise of its end: one
   * file this process holds may go to several printers at a time (the fleet's "send to selected").
   * Throws at once when the printer cannot take it.
   */
  sendOwned(
    deviceId: string,
    file: { path: string; name: string; size?: number },
    origin: PrintOrigin,
  ): { transferId: string; done: Promise<void> } {
    const status = this.fleet.driver(deviceId).status();
    if (!status.capabilities.print)
      throw new AppError('UNSUPPORTED', `${status.name} cannot be sent files from Printdeck.`);
    const running = this.current.get(deviceId);
    if (running && !isFinal(running.progress.phase))
      throw new AppError('CONFLICT', `${status.name} is already receiving ${running.progress.fileName}.`);
    return this.begin(deviceId, file, origin, null);
  }

  /** The file being sent to a printer now, if any. */
  receiving(deviceId: string): string | null {
    const running = this.current.get(deviceId);
    return running && !isFinal(running.progress.phase) ? running.progress.fileName : null;
  }

  onSending(listener: (sending: TransferSending) => void): () => void {
    return this.sendingListeners.add(listener);
  }

  /** The printer took the file and was told to print it (whatever the origin), before any status shows it. */
  onAccepted(listener: (accepted: TransferSending) => void): () => void {
    return this.acceptedListeners.add(listener);
  }

  private begin(
    deviceId: string,
    file: { path: string; name: string; size?: number },
    origin: PrintOrigin,
    stagedId: string | null,
  ): { transferId: string; done: Promise<void> } {
    const driver = this.fleet.driver(deviceId);
    const status = driver.status();
    const fileName = file.name;
    const transferId = randomUUID();
    const controller = new AbortController();
    const progress: TransferProgress = {
      deviceId,
      transferId,
      fileName,
      phase: 'preparing',
      sentBytes: 0,
      totalBytes: file.size ?? 0,
      message: null,
    };
    const entry = { controller, progress, stagedId };
    this.current.set(deviceId, entry);
    this.publish(entry.progress);
    this.sendingListeners.emit({ deviceId, fileName, origin, at: Date.now() });

    const done = Promise.resolve()
      .then(() =>
        driver.print(
          { path: file.path, name: fileName },
          (p) => {
            entry.progress = { ...entry.progress, phase: p.phase, sentBytes: p.sentBytes, totalBytes: p.totalBytes };
            this.publish(entry.progress);
          },
          controller.signal,
        ),
      )
      .then(
        () => {
          entry.progress = { ...entry.progress, phase: 'done', sentBytes: entry.progress.totalBytes, message: null };
          this.publish(entry.progress);
          this.acceptedListeners.emit({ deviceId, fileName, origin, at: Date.now() });
        },
        (err: unknown) => {
          const cancelled = controller.signal.aborted;
          const message = err instanceof AppError ? err.message : err instanceof Error ? err.message : String(err);
          entry.progress = {
            ...entry.progress,
            phase: cancelled ? 'cancelled' : 'failed',
            message: cancelled ? 'Cancelled.' : message,
          };
          this.publish(entry.progress);
          if (!cancelled) {
            this.log.warn(`sending ${fileName} to ${status.name} failed`, message);
            this.notifications.notify({
              level: 'error',
              title: `Could not send ${fileName} to ${status.name}`,
              body: message,
              route: `devices/${deviceId}`,
            });
          }
          throw new AppError('UNAVAILABLE', cancelled ? 'Cancelled.' : message);
        },
      )
      .finally(() => {
        if (entry.stagedId) void this.staging.release(entry.stagedId);
      });
    // printers.print reports the outcome through events; nobody awaits `done` there.
    done.catch(() => undefined);
    return { transferId, done };
  }

  cancel(deviceId: string): void {
    const entry = this.current.get(deviceId);
    if (!entry || isFinal(entry.progress.phase))
      throw new AppError('NOT_FOUND', 'Nothing is being sent to that printer.');
    entry.controller.abort();
  }

  list(): TransferProgress[] {
    return [...this.current.values()].map((e) => e.progress);
  }

  forget(deviceId: string): void {
    this.current.get(deviceId)?.controller.abort();
    this.current.delete(deviceId);
  }

  private async resolve(
    source: AdmittedSource,
    viaBrowser: boolean,
  ): Promise<{ path: string; name: string; size: number }> {
    if (source.kind === 'staged') return this.staging.resolve(source.stagedId);
    // A browser must not name files on the host's disk; it sends them with files.stage*.
    if (viaBrowser)
      throw new AppError(
        'FORBIDDEN',
        'Over the network, send the file itself (files.stageBegin/Chunk/Finish), not a path.',
      );
    if (!path.isAbsolute(source.path)) throw new AppError('BAD_REQUEST', 'The file path must be absolute.', 'file');
    const info = await stat(source.path).catch(() => null);
    if (!info || !info.isFile()) throw new AppError('NOT_FOUND', `There is no file at ${source.path}.`);
    return { path: source.path, name: path.basename(source.path), size: info.size };
  }

  private publish(progress: TransferProgress): void {
    this.events.emit('printers.transfer', progress);
  }
}

function isFinal(phase: TransferProgress['phase']): boolean {
  return phase === 'done' || phase === 'failed' || phase === 'cancelled';
}
