import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { OctoprintUploadProgress } from '../../../shared/contract';
import { AppError } from '../../../shared/rpc/result';
import type { EventHub } from '../../events/event-hub';
import type { FileStaging } from '../../files/staging';
import type { Logger } from '../../log';
import type { OctoPrintDriver } from './octoprint-driver';
import type { AdmittedSource } from '../../files/picked-files';

/** What OctoPrint stores without a slicer [verified: others are 415]. */
const ACCEPTED = new Set(['.gcode', '.gco', '.g']);

type UploadOptions = { name?: string | undefined; select?: boolean | undefined; print?: boolean | undefined };

/**
 * Uploads to an OctoPrint's file list (without necessarily printing): one per device at a time,
 * progress as coalesced `octoprint.upload` events, cancellable. Files come from the staging area
 * (browsers) or a local path (desktop only; paths are refused over the WebSocket, as for printing).
 */
export class ServerUploads {
  private readonly current = new Map<string, { controller: AbortController; progress: OctoprintUploadProgress }>();

  constructor(
    private readonly events: EventHub,
    private readonly staging: FileStaging,
    private readonly log: Logger,
  ) {}

  /** Starts an upload; a staged file named by a call that fails is released, not left holding its slot. */
  start(driver: OctoPrintDriver, source: AdmittedSource, options: UploadOptions, viaBrowser: boolean): Promise<string> {
    const staged = source.kind === 'staged' ? [source.stagedId] : [];
    return this.staging.releaseOnFailure(staged, () => this.startNow(driver, source, options, viaBrowser));
  }

  private async startNow(driver: OctoPrintDriver, source: AdmittedSource, options: UploadOptions, viaBrowser: boolean): Promise<string> {
    const deviceId = driver.deviceId;
    const running = this.current.get(deviceId);
    if (running && running.progress.phase === 'uploading') {
      throw new AppError('CONFLICT', `${running.progress.fileName} is still being uploaded to this OctoPrint.`);
    }
    const file = await this.resolve(source, viaBrowser);
    const fileName = options.name ?? file.name;
    // A local file is judged by its real name, not by the label the caller gives it.
    const realName = source.kind === 'path' ? file.path : fileName;
    if (!ACCEPTED.has(path.extname(fileName).toLowerCase()) || !ACCEPTED.has(path.extname(realName).toLowerCase())) {
      throw new AppError('BAD_REQUEST', `OctoPrint stores G-code (.gcode, .gco, .g); "${fileName}" is not.`, 'name');
    }
    const uploadId = randomUUID();
    const controller = new AbortController();
    const entry = {
      controller,
      progress: { deviceId, uploadId, fileName, phase: 'uploading', sentBytes: 0, totalBytes: file.size, message: null } as OctoprintUploadProgress,
    };
    this.current.set(deviceId, entry);
    this.publish(entry.progress);
    const staged = source.kind === 'staged' ? source.stagedId : null;
    driver
      .uploadToServer({
        filePath: file.path,
        fileName,
        select: options.select ?? false,
        print: options.print ?? false,
        signal: controller.signal,
        onProgress: (sent, total) => {
          entry.progress = { ...entry.progress, sentBytes: sent, totalBytes: total };
          this.publish(entry.progress);
        },
      })
      .then(
        (reply) => {
          const wanted = options.print === true && !reply.effectivePrint;
          entry.progress = {
            ...entry.progress,
            phase: 'done',
            sentBytes: entry.progress.totalBytes,
            message: wanted ? 'Uploaded, but not started: the printer is not ready.' : null,
          };
          this.publish(entry.progress);
        },
        (err: unknown) => {
          const cancelled = controller.signal.aborted;
          const message = err instanceof Error ? err.message : String(err);
          if (!cancelled) this.log.warn(`upload of ${fileName} failed`, message);
          entry.progress = { ...entry.progress, phase: cancelled ? 'cancelled' : 'failed', message: cancelled ? 'Cancelled.' : message.slice(0, 1000) };
          this.publish(entry.progress);
        },
      )
      .finally(() => {
        if (staged) void this.staging.release(staged);
      });
    return uploadId;
  }

  cancel(deviceId: string): void {
    const entry = this.current.get(deviceId);
    if (!entry || entry.progress.phase !== 'uploading') throw new AppError('NOT_FOUND', 'Nothing is being uploaded to that OctoPrint.');
    entry.controller.abort();
  }

  forget(deviceId: string): void {
    this.current.get(deviceId)?.controller.abort();
    this.current.delete(deviceId);
  }

  dispose(): void {
    for (const id of [...this.current.keys()]) this.forget(id);
  }

  private async resolve(source: AdmittedSource, viaBrowser: boolean): Promise<{ path: string; name: string; size: number }> {
    if (source.kind === 'staged') return this.staging.resolve(source.stagedId);
    if (viaBrowser) throw new AppError('FORBIDDEN', 'Over the network, send the file itself (files.stageBegin/Chunk/Finish), not a path.');
    if (!path.isAbsolute(source.path)) throw new AppError('BAD_REQUEST', 'The file path must be absolute.', 'file');
    const info = await stat(source.path).catch(() => null);
    if (!info?.isFile()) throw new AppError('NOT_FOUND', `There is no file at ${source.path}.`);
    return { path: source.path, name: path.basename(source.path), size: info.size };
  }

  private publish(progress: OctoprintUploadProgress): void {
    this.events.emit('octoprint.upload', progress);
  }
}
