import { stat } from 'node:fs/promises';
import { Listeners, Throttle } from '../../../shared/async';
import type { TemperatureSample } from '../../../shared/contract';
import type { DeviceStatus } from '../../../shared/domain/device';
import { AppError } from '../../../shared/rpc/result';
import type { Logger } from '../../log';
import type { CameraFrame, MaintenanceAction, PastJob, PrinterDriver, PrintRequest, TransferProgress } from '../../devices/driver';
import type { DriverContext } from '../../devices/fleet';
import { KEY_CHECK_INTERVAL_MS, KeyWatch } from './key-watch';
import { isKeyInvalid, OctoPrintApi, transportAppError } from './octoprint-api';
import { pastJobsOf, readEvent, samplesFromPoints, TemperatureRing, webcamUrls, type CurrentPayload, type EventEnvelope, type PushMessage } from './protocol';
import { PushSession } from './push-session';
import { sockjsConnector, type PushConnector } from './push-socket';
import { initialStatus, KEY_INVALID_PROBLEM, NOT_PAIRED_PROBLEM, statusFromPayload, statusOffline } from './status-builder';

export interface OctoPrintDriverOptions {
  connector?: PushConnector;
  backoffInitialMs?: number;
  backoffMaxMs?: number;
  /** After a refused key, check again this much later (default 5 min). */
  keyRecheckMs?: number;
  /** While push is up, check the key with one GET this often (default 90 s; push alone never tells). */
  keyCheckMs?: number;
  silenceMs?: number;
  /**
   * Minimum spacing of status snapshots (default 0: each change goes out at once, and the event
   * hub merges what one device sends within its tick; holding here only added latency).
   */
  statusIntervalMs?: number;
}

export interface ServerFileUpload {
  filePath: string;
  fileName: string;
  select: boolean;
  print: boolean;
  onProgress(sent: number, total: number): void;
  signal: AbortSignal;
}

const LOG_BACKLOG = 500;
const SNAPSHOT_MAX_BYTES = 8 * 1024 * 1024;
const TEMPERATURE_RING = 2_700;

/**
 * One OctoPrint server as a printer: the push session feeds status (≤ 2 Hz snapshots with
 * temperatures), REST does the controlling. Terminal lines, file-list changes and temperature
 * samples are offered to the OctoPrint module through small listener sets.
 */
export class OctoPrintDriver implements PrinterDriver {
  readonly deviceId: string;
  readonly baseUrl: string;
  private readonly api: OctoPrintApi;
  private readonly session: PushSession | null;
  private readonly log: Logger;
  private current: DeviceStatus;
  private readonly statusListeners: Listeners<[DeviceStatus]>;
  private readonly logListeners: Listeners<[string[]]>;
  private readonly filesListeners: Listeners<[]>;
  private readonly logBacklog: string[] = [];
  readonly temperatures = new TemperatureRing(TEMPERATURE_RING);
  private lastPayload: CurrentPayload | null = null;
  private offsets: Record<string, number> = {};
  private busyFiles = new Set<string>();
  private printDone = false;
  private serverVersion: string | null = null;
  private keyRefused = false;
  /** Status snapshots go out at most every `statusIntervalMs`, the newest one last. */
  private readonly emits: Throttle;
  private readonly keyRecheckMs: number;
  private invalidFrames = 0;
  private readonly keyWatch: KeyWatch;
  /** Bumped per settings read, so an older answer never overrides a newer one. */
  private webcamReads = 0;

  constructor(ctx: DriverContext, options: OctoPrintDriverOptions = {}) {
    this.current = initialStatus(ctx.connection);
    this.deviceId = this.current.deviceId;
    this.baseUrl = ctx.connection.address.replace(/\/+$/, '');
    this.log = ctx.log;
    this.statusListeners = new Listeners((err) => this.log.error('status listener failed', err));
    this.logListeners = new Listeners((err) => this.log.error('log listener failed', err));
    this.filesListeners = new Listeners((err) => this.log.error('files listener failed', err));
    this.api = new OctoPrintApi(this.baseUrl, ctx.secret);
    this.emits = new Throttle(options.statusIntervalMs ?? 0, () => this.emitNow());
    this.keyRecheckMs = options.keyRecheckMs ?? 5 * 60_000;
    this.keyWatch = new KeyWatch(() => this.api.jobState(), options.keyCheckMs ?? KEY_CHECK_INTERVAL_MS, () => this.onKeyRefused(), ctx.log);
    if (ctx.secret === null) {
      this.session = null;
      this.current = statusOffline(this.current, 'error', 'Not paired', NOT_PAIRED_PROBLEM);
      return;
    }
    this.session = new PushSession(
      {
        api: this.api,
        baseUrl: this.baseUrl,
        connector: options.connector ?? sockjsConnector,
        log: ctx.log,
        ...(options.backoffInitialMs === undefined ? {} : { backoffInitialMs: options.backoffInitialMs }),
        ...(options.backoffMaxMs === undefined ? {} : { backoffMaxMs: options.backoffMaxMs }),
        ...(options.silenceMs === undefined ? {} : { silenceMs: options.silenceMs }),
      },
      {
        connecting: (attempt) => {
          if (attempt === 0 && this.current.link !== 'online') this.update(statusOffline(this.current, 'connecting', 'Connecting to OctoPrint', null));
        },
        online: (version) => {
          this.serverVersion = version;
          this.keyRefused = false;
          this.current = { ...this.current, firmware: `OctoPrint ${version}`.slice(0, 128) };
          this.keyWatch.start();
          void this.readWebcam();
        },
        message: (message) => this.onMessage(message),
        offline: (reason, retryInMs) => {
          this.keyWatch.stop();
          this.update(statusOffline(this.current, 'offline', `Cannot reach OctoPrint; retrying in ${Math.ceil(retryInMs / 1000)} s`, { code: 'octoprint.unreachable', message: reason.slice(0, 1000) }));
        },
        keyRejected: () => this.onKeyRefused(),
      },
    );
  }

  start(): void {
    this.session?.start();
    if (this.session === null) this.emits.runNow();
  }

  async stop(): Promise<void> {
    this.keyWatch.stop();
    this.session?.stop();
    this.emits.cancel();
  }

  status(): DeviceStatus {
    return this.current;
  }

  onStatus(listener: (status: DeviceStatus) => void): () => void {
    return this.statusListeners.add(listener);
  }

  onLogs(listener: (lines: string[]) => void): () => void {
    return this.logListeners.add(listener);
  }

  onFilesChanged(listener: () => void): () => void {
    return this.filesListeners.add(listener);
  }

  terminalBacklog(): string[] {
    return [...this.logBacklog];
  }

  /** OctoPrint's own backlog (its `history` message, then every `current`), on OctoPrint's clock. */
  temperatureHistory(): TemperatureSample[] {
    return this.temperatures.toArray().map((s) => ({ t: Math.round(s.time * 1000), sensor: s.sensor, actual: s.actual, target: s.target }));
  }

  // ---- the generic printer surface ----

  async print(request: PrintRequest, onProgress: (p: TransferProgress) => void, signal: AbortSignal): Promise<void> {
    const info = await stat(request.path).catch(() => null);
    if (!info?.isFile()) throw new AppError('NOT_FOUND', `There is no file at ${request.path}.`);
    const total = info.size;
    onProgress({ phase: 'uploading', sentBytes: 0, totalBytes: total });
    const reply = await this.uploadToServer({
      filePath: request.path,
      fileName: request.name,
      select: true,
      print: true,
      onProgress: (sent) => onProgress({ phase: 'uploading', sentBytes: sent, totalBytes: total }),
      signal,
    });
    onProgress({ phase: 'starting', sentBytes: total, totalBytes: total });
    if (!reply.effectivePrint) {
      throw new AppError(
        'CONFLICT',
        `${request.name} is on the server, but OctoPrint did not start it: the printer is not ready (${this.current.stateText}). Connect the printer, then print it from the file list.`,
      );
    }
  }

  pause(): Promise<void> {
    return this.guard(() => this.api.job({ command: 'pause', action: 'pause' }));
  }

  resume(): Promise<void> {
    return this.guard(() => this.api.job({ command: 'pause', action: 'resume' }));
  }

  cancel(): Promise<void> {
    return this.guard(() => this.api.job({ command: 'cancel' }));
  }

  async maintenance(action: MaintenanceAction): Promise<void> {
    if (action.type === 'home') return this.home(['x', 'y', 'z']);
    if (action.type === 'jog') return this.jog({ [action.axis]: action.mm });
    throw new AppError('UNSUPPORTED', 'OctoPrint has no such maintenance action; use the terminal for firmware-specific commands.');
  }

  async captureSnapshot(): Promise<CameraFrame> {
    const settings = await this.guard(() => this.api.settings());
    const url = webcamUrls(settings, this.baseUrl).snapshot;
    this.setCamera(url !== null);
    if (url === null) throw new AppError('UNSUPPORTED', 'This OctoPrint has no webcam set up that can take a snapshot (see Settings → Webcam & Timelapse in OctoPrint).');
    // The key stays home: a snapshot URL may point at another host.
    const reply = await this.api.raw({ method: 'GET', path: url, withKey: false, timeoutMs: 10_000, maxBytes: SNAPSHOT_MAX_BYTES });
    if (reply.status !== 200) throw new AppError('UNAVAILABLE', `The webcam answered HTTP ${reply.status}; is a camera set up in OctoPrint?`);
    const bytes = reply.bytes;
    const mime = bytes[0] === 0xff && bytes[1] === 0xd8 ? 'image/jpeg' : bytes[0] === 0x89 && bytes[1] === 0x50 ? 'image/png' : null;
    if (mime === null) throw new AppError('DEVICE_ERROR', 'The webcam sent something that is not a JPEG or PNG image.');
    return { mime, data: new Uint8Array(bytes), at: Date.now() };
  }

  // ---- OctoPrint-specific controls (the octoprint.* calls) ----

  async details() {
    const connection = await this.guard(() => this.api.connection());
    const payload = this.lastPayload;
    return {
      serverVersion: this.serverVersion,
      connectionState: connection.current.state,
      port: connection.current.port,
      baudrate: connection.current.baudrate,
      ports: connection.options.ports.slice(0, 64),
      baudrates: connection.options.baudrates.filter((b) => Number.isInteger(b)).slice(0, 64),
      offsets: { ...this.offsets },
      operational: payload?.state.flags.operational ?? false,
      printing: payload?.state.flags.printing ?? false,
    };
  }

  connectPrinter(port: string | undefined, baudrate: number | undefined): Promise<void> {
    return this.guard(() =>
      this.api.connectionCommand({ command: 'connect', ...(port === undefined ? {} : { port }), ...(baudrate === undefined ? {} : { baudrate }) }),
    );
  }

  disconnectPrinter(): Promise<void> {
    return this.guard(() => this.api.connectionCommand({ command: 'disconnect' }));
  }

  sendGcode(lines: string[]): Promise<void> {
    return this.guard(() => this.api.gcode({ commands: lines }));
  }

  jog(axes: { x?: number; y?: number; z?: number }, speed?: number): Promise<void> {
    return this.guard(() => this.api.printhead({ command: 'jog', ...axes, ...(speed === undefined ? {} : { speed }) }));
  }

  home(axes: ('x' | 'y' | 'z')[]): Promise<void> {
    return this.guard(() => this.api.printhead({ command: 'home', axes }));
  }

  async setTargets(tools: Record<string, number>, bed: number | undefined): Promise<void> {
    if (Object.keys(tools).length > 0) await this.guard(() => this.api.tool({ command: 'target', targets: tools }));
    if (bed !== undefined) await this.guard(() => this.api.bed({ command: 'target', target: bed }));
  }

  async setOffsets(tools: Record<string, number>, bed: number | undefined): Promise<void> {
    if (Object.keys(tools).length > 0) await this.guard(() => this.api.tool({ command: 'offset', offsets: tools }));
    if (bed !== undefined) await this.guard(() => this.api.bed({ command: 'offset', offset: bed }));
  }

  async listFiles() {
    const list = await this.guard(() => this.api.files());
    return { list, busy: new Set(this.busyFiles) };
  }

  /** The last print of each file, from OctoPrint's file statistics (it keeps no job history). */
  async pastJobs(since: number | null): Promise<PastJob[]> {
    return pastJobsOf(await this.guard(() => this.api.files()), since);
  }

  selectFile(path: string, print: boolean): Promise<void> {
    return this.guard(() => this.api.fileCommand(path, { command: 'select', print }));
  }

  deleteFile(path: string): Promise<void> {
    return this.guard(() => this.api.deleteFile(path));
  }

  async uploadToServer(upload: ServerFileUpload) {
    if (this.session === null) throw new AppError('AUTH_REQUIRED', NOT_PAIRED_PROBLEM.message, 'octoprint.notPaired');
    const info = await stat(upload.filePath).catch(() => null);
    if (!info?.isFile()) throw new AppError('NOT_FOUND', `There is no file at ${upload.filePath}.`);
    const total = info.size;
    return this.guard(() =>
      this.api.upload(
        { fileName: upload.fileName, select: upload.select, print: upload.print },
        upload.filePath,
        total,
        (sent) => upload.onProgress(sent, total),
        upload.signal,
      ),
    );
  }

  // ---- internals ----

  /** Runs a REST call; a refused key flips the device to "pair again". */
  private async guard<T>(run: () => Promise<T>): Promise<T> {
    if (this.session === null) throw new AppError('AUTH_REQUIRED', NOT_PAIRED_PROBLEM.message, 'octoprint.notPaired');
    if (this.keyRefused) throw new AppError('AUTH_REQUIRED', KEY_INVALID_PROBLEM.message, 'octoprint.keyInvalid');
    try {
      return await run();
    } catch (err) {
      if (isKeyInvalid(err)) this.onKeyRefused();
      throw transportAppError(err);
    }
  }

  /**
   * Whether the status offers a snapshot follows OctoPrint's webcam settings: a stream or snapshot
   * URL this machine can use (1.11's defaults are empty, and its `webcams` list then says
   * `canSnapshot: false`). Read on every (re)connect and when OctoPrint says its settings changed.
   */
  private async readWebcam(): Promise<void> {
    const read = ++this.webcamReads;
    try {
      const settings = await this.api.settings();
      if (read === this.webcamReads) this.setCamera(webcamUrls(settings, this.baseUrl).snapshot !== null);
    } catch (err) {
      if (isKeyInvalid(err)) return this.onKeyRefused();
      // Without SETTINGS_READ/WEBCAM there is no way to know of a camera: offer none.
      if (read === this.webcamReads) this.setCamera(false);
      this.log.info(`could not read OctoPrint's webcam settings: ${err instanceof Error ? err.message.slice(0, 200) : String(err)}`);
    }
  }

  private setCamera(camera: boolean): void {
    if (this.current.capabilities.camera === camera) return;
    this.update({ ...this.current, capabilities: { ...this.current.capabilities, camera } });
  }

  private onKeyRefused(): void {
    this.keyWatch.stop();
    this.keyRefused = true;
    this.log.warn('OctoPrint refused the API key; waiting for a new pairing');
    this.update(statusOffline(this.current, 'error', 'API key refused', KEY_INVALID_PROBLEM));
    // Stop talking to the server; look again much later in case the key comes back.
    this.session?.retryAfter(this.keyRecheckMs);
  }

  private onMessage(message: PushMessage): void {
    switch (message.type) {
      case 'history':
        this.temperatures.replaceAll(samplesFromPoints(message.payload.temps));
        this.logBacklog.splice(0, this.logBacklog.length, ...message.payload.logs.slice(-LOG_BACKLOG));
        this.applyPayload(message.payload);
        return;
      case 'current':
        this.temperatures.pushAll(samplesFromPoints(message.payload.temps));
        this.addLogs(message.payload.logs);
        this.applyPayload(message.payload);
        return;
      case 'event':
        this.onEvent(message.payload);
        return;
      case 'invalid':
        // A broken frame costs nothing but a line in the log (rate-limited).
        this.invalidFrames++;
        if (this.invalidFrames <= 5 || this.invalidFrames % 100 === 0) {
          this.log.warn(`ignored a malformed push frame (${this.invalidFrames} so far): ${message.reason.slice(0, 200)}`);
        }
        return;
      default:
        // connected, plugin, slicingProgress, timelapse and unknown types: nothing to show.
        return;
    }
  }

  private onEvent(envelope: EventEnvelope): void {
    const event = readEvent(envelope);
    if (event.kind === 'other' && event.name === 'SettingsUpdated') void this.readWebcam();
    if (event.kind !== 'known') return;
    switch (event.name) {
      case 'PrintDone':
        this.printDone = true;
        return;
      case 'PrintStarted':
      case 'FileSelected':
      case 'PrintFailed':
      case 'Disconnected':
        this.printDone = false;
        return;
      case 'FileAdded':
      case 'FileRemoved':
      case 'UpdatedFiles':
        this.filesListeners.emit();
        return;
      case 'Error':
        this.log.warn(`OctoPrint reported an error: ${event.payload.error.slice(0, 300)}`);
        return;
      default:
        return;
    }
  }

  private applyPayload(payload: CurrentPayload): void {
    this.lastPayload = payload;
    if (payload.offsets) this.offsets = payload.offsets;
    if (payload.busyFiles) this.busyFiles = new Set(payload.busyFiles.map((f) => f.path));
    this.update(statusFromPayload(this.current, payload, this.printDone));
  }

  private addLogs(lines: string[]): void {
    if (lines.length === 0) return;
    const bounded = lines.slice(-LOG_BACKLOG).map((l) => l.slice(0, 1000));
    this.logBacklog.push(...bounded);
    if (this.logBacklog.length > LOG_BACKLOG) this.logBacklog.splice(0, this.logBacklog.length - LOG_BACKLOG);
    this.logListeners.emit(bounded);
  }

  /** Keeps the newest status; it goes out at once or at the end of the current interval. */
  private update(next: DeviceStatus): void {
    this.current = next;
    this.emits.request();
  }

  private emitNow(): void {
    this.current = { ...this.current, updatedAt: Date.now() };
    this.statusListeners.emit(this.current);
  }
}

