import { appendFile, mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { DeviceStatus } from '../../shared/domain/device';
import { isPrinterBusy } from '../../shared/domain/device-state';
import { AppError, type ErrorCode } from '../../shared/rpc/result';
import { formatOf } from '../devices/print-profiles';
import type { Logger } from '../log';
import type { ChunkProperties, PrintBody } from './payloads';
import { sha256Of } from './sha256';

/** What receiving a print needs from this host: a printer's status, and the local print path. */
export interface ReceiverPort {
  status(deviceId: string): DeviceStatus | null;
  /** Sends the file to the printer with the same checks and events as a local print; resolves once it took the job. */
  print(deviceId: string, file: { path: string; name: string }): Promise<void>;
}

export interface ReceiverOptions {
  /** The largest file another site may send (bytes). */
  maxBytes?: number;
  /** An upload nobody added to for this long is dropped with its partial file. */
  idleMs?: number;
  /** At most this many uploads are being received at once (one per printer in any case). */
  maxUploads?: number;
}

/** What every `print` message is answered with: an error in the API's codes or none, and the bytes held. */
export interface ReceiveReply {
  error: { code: ErrorCode; message: string } | null;
  received: number;
}

type UploadState = 'receiving' | 'starting' | 'settled';

interface Upload {
  id: string;
  deviceId: string;
  name: string;
  size: number;
  sha256: string;
  file: string;
  received: number;
  state: UploadState;
  /** The one start of this upload; a repeated commit waits for it instead of printing again. */
  started: Promise<void> | null;
  lastAt: number;
  /** Messages of one upload are applied one after the other. */
  chain: Promise<unknown>;
}

export const DEFAULT_MAX_PRINT_BYTES = 256 * 1024 * 1024;
const DEFAULT_IDLE_MS = 10 * 60_000;
/** How long a finished upload's id is remembered, so a commit repeated after a broker cut is answered, not re-run. */
const REMEMBER_SETTLED_MS = 60 * 60_000;

/**
 * Takes files other sites' queues send for this host's printers (docs/mqtt.md, "Printing from
 * another site"): `begin` checks the printer and the size and opens a partial file (or says how much
 * of it is already here, to resume), chunks are appended strictly in order (a repeated chunk is
 * acknowledged, not written twice), `commit` checks the length and the SHA-256 and prints through
 * the same path as a local print, exactly once per upload id.
 */
export class PrintReceiver {
  private readonly uploads = new Map<string, Upload>();
  private readonly maxBytes: number;
  private readonly idleMs: number;
  private readonly maxUploads: number;

  constructor(
    private readonly dir: string,
    private readonly port: ReceiverPort,
    private readonly log: Logger,
    options: ReceiverOptions = {},
  ) {
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_PRINT_BYTES;
    this.idleMs = options.idleMs ?? DEFAULT_IDLE_MS;
    this.maxUploads = options.maxUploads ?? 4;
  }

  handle(deviceId: string, body: PrintBody): Promise<ReceiveReply> {
    if (body.op === 'begin') return this.answer(() => this.begin(deviceId, body));
    const upload = this.uploads.get(body.upload);
    if (!upload || upload.deviceId !== deviceId) return Promise.resolve(unknownUpload());
    return this.serial(upload, () => (body.op === 'commit' ? this.commit(upload) : this.abort(upload)));
  }

  chunk(deviceId: string, props: ChunkProperties, data: Buffer): Promise<ReceiveReply> {
    const upload = this.uploads.get(props.upload);
    if (!upload || upload.deviceId !== deviceId) return Promise.resolve(unknownUpload());
    return this.serial(upload, () => this.append(upload, props.offset, data));
  }

  /** Drops every partial file (the host is stopping; senders see the broker go and fail cleanly). */
  async dispose(): Promise<void> {
    const files = [...this.uploads.values()].filter((u) => u.state === 'receiving').map((u) => u.file);
    this.uploads.clear();
    await Promise.all(files.map((f) => rm(f, { force: true })));
  }

  private async begin(deviceId: string, body: Extract<PrintBody, { op: 'begin' }>): Promise<ReceiveReply> {
    await this.sweep();
    const known = this.uploads.get(body.upload);
    if (known) {
      if (known.deviceId !== deviceId || known.size !== body.size || known.sha256 !== body.sha256) {
        throw new AppError('CONFLICT', 'That upload id is already used for another file.');
      }
      known.lastAt = Date.now();
      return { error: null, received: known.received };
    }
    if (body.size > this.maxBytes) {
      throw new AppError('BAD_REQUEST', `${body.name} is ${mib(body.size)}; this host takes files up to ${mib(this.maxBytes)} from other sites.`);
    }
    if (!formatOf(body.name)) throw new AppError('BAD_REQUEST', `Printdeck prints .gcode and .3w files; "${body.name}" is neither.`);
    this.ready(deviceId);
    const active = [...this.uploads.values()].filter((u) => u.state !== 'settled');
    if (active.some((u) => u.deviceId === deviceId)) throw new AppError('CONFLICT', 'Another file is on its way to that printer.');
    if (active.length >= this.maxUploads) throw new AppError('CONFLICT', 'This host is receiving as many files as it takes at once; try again shortly.');
    await mkdir(this.dir, { recursive: true });
    const file = path.join(this.dir, `${body.upload}.part`);
    await writeFile(file, new Uint8Array(0));
    const upload: Upload = { id: body.upload, deviceId, name: body.name, size: body.size, sha256: body.sha256, file, received: 0, state: 'receiving', started: null, lastAt: Date.now(), chain: Promise.resolve() };
    this.uploads.set(upload.id, upload);
    this.log.info(`receiving ${body.name} (${mib(body.size)}) from another site for ${this.port.status(deviceId)?.name ?? deviceId}`);
    return { error: null, received: 0 };
  }

  private async append(upload: Upload, offset: number, data: Buffer): Promise<ReceiveReply> {
    upload.lastAt = Date.now();
    // After a cut the sender repeats what it is not sure arrived: acknowledge, never write twice.
    if (upload.state !== 'receiving' || offset < upload.received) return { error: null, received: upload.received };
    if (offset > upload.received) {
      return { error: { code: 'CONFLICT', message: `Expected the bytes from ${upload.received}.` }, received: upload.received };
    }
    if (offset + data.length > upload.size) {
      await this.drop(upload);
      throw new AppError('BAD_REQUEST', `More bytes than the ${upload.size} announced; the upload is dropped.`);
    }
    await appendFile(upload.file, data);
    upload.received += data.length;
    return { error: null, received: upload.received };
  }

  private async commit(upload: Upload): Promise<ReceiveReply> {
    upload.lastAt = Date.now();
    if (!upload.started) {
      if (upload.received !== upload.size) {
        return { error: { code: 'CONFLICT', message: `Only ${upload.received} of ${upload.size} bytes arrived.` }, received: upload.received };
      }
      if ((await sha256Of(upload.file)) !== upload.sha256) {
        await this.drop(upload);
        throw new AppError('BAD_REQUEST', `${upload.name} arrived damaged (its SHA-256 differs); nothing was printed.`);
      }
      try {
        this.ready(upload.deviceId);
      } catch (err) {
        await this.drop(upload);
        throw err;
      }
      upload.state = 'starting';
      upload.started = this.port.print(upload.deviceId, { path: upload.file, name: upload.name }).finally(() => {
        upload.state = 'settled';
        upload.lastAt = Date.now();
        void rm(upload.file, { force: true });
      });
    }
    await upload.started;
    return { error: null, received: upload.size };
  }

  private async abort(upload: Upload): Promise<ReceiveReply> {
    if (upload.state === 'receiving') await this.drop(upload);
    return { error: null, received: 0 };
  }

  /** The same readiness a local print needs: connected, able to take files, not busy. */
  private ready(deviceId: string): void {
    const status = this.port.status(deviceId);
    if (!status) throw new AppError('NOT_FOUND', 'No such printer on this host.');
    if (status.link !== 'online') throw new AppError('UNAVAILABLE', `${status.name} is ${status.link}.`);
    if (!status.capabilities.print) throw new AppError('UNSUPPORTED', `${status.name} cannot be sent files from Printdeck.`);
    if (isPrinterBusy(status.state) || status.state === 'error' || status.state === 'unknown' || status.state === 'offline') {
      throw new AppError('CONFLICT', `${status.name} is ${status.stateText.toLowerCase() || status.state}.`);
    }
  }

  private async drop(upload: Upload): Promise<void> {
    this.uploads.delete(upload.id);
    await rm(upload.file, { force: true });
  }

  /** Drops idle partial uploads and forgets long-finished ones (on each begin, and from the module's timer). */
  async sweep(): Promise<void> {
    const now = Date.now();
    for (const u of [...this.uploads.values()]) {
      if (u.state === 'receiving' && now - u.lastAt > this.idleMs) {
        this.log.info(`dropped ${u.name}: nothing more arrived from the sending site`);
        await this.drop(u);
      } else if (u.state === 'settled' && now - u.lastAt > REMEMBER_SETTLED_MS) this.uploads.delete(u.id);
    }
  }

  private serial(upload: Upload, step: () => Promise<ReceiveReply>): Promise<ReceiveReply> {
    const next = upload.chain.then(() => this.answer(step));
    upload.chain = next;
    return next;
  }

  private async answer(step: () => Promise<ReceiveReply>): Promise<ReceiveReply> {
    try {
      return await step();
    } catch (err) {
      if (err instanceof AppError) return { error: { code: err.code, message: err.message.slice(0, 1000) }, received: 0 };
      this.log.error('receiving a print from another site failed', err);
      return { error: { code: 'INTERNAL', message: 'Receiving the file failed; see the host log.' }, received: 0 };
    }
  }
}

function unknownUpload(): ReceiveReply {
  return { error: { code: 'NOT_FOUND', message: 'This host has no such upload (it restarted or dropped it); begin again.' }, received: 0 };
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
