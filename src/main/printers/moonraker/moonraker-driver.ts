import { stat } from 'node:fs/promises';
import type { z } from 'zod';
import { Listeners, Throttle } from '../../../shared/async';
import type { DeviceStatus } from '../../../shared/domain/device';
import { AppError } from '../../../shared/rpc/result';
import type { Logger } from '../../log';
import type { CameraFrame, MaintenanceAction, PastJob, PrinterDriver, PrintRequest, TransferProgress } from '../../devices/driver';
import type { DriverContext } from '../../devices/fleet';
import { KlippySession } from './klippy-session';
import { MoonrakerHttp } from './moonraker-http';
import { baseUrlOf, FileList, HistoryList, maintenanceScript, OkReply, pastJobOf, resolveWebcamUrl, temperatureScript, WebcamList, type HeaterName } from './protocol';
import { RpcCallError, SocketError } from './rpc-socket';
import { initialStatus, statusFromView, statusOffline } from './status-builder';
import { normalizeAddress } from '../../../shared/contract';


export interface MoonrakerDriverOptions {
  backoffInitialMs?: number;
  backoffMaxMs?: number;
  klippyPollMs?: number;
  authRecheckMs?: number;
  pingIntervalMs?: number;
  /**
   * Minimum spacing of status snapshots (default 0: each change goes out at once, and the event
   * hub merges what one device sends within its tick; holding here only added latency).
   */
  statusIntervalMs?: number;
}

export interface HistoryQuery {
  limit?: number;
  start?: number;
  since?: number;
  before?: number;
  order?: 'asc' | 'desc';
}

const PAST_JOBS_PAGE = 100;
const PAST_JOBS_MAX = 1000;

/** Job control macros (PAUSE parks the head, CANCEL_PRINT may too) can take a while. */
const JOB_CONTROL_TIMEOUT_MS = 120_000;
/** G28 or a heat-and-wait can take minutes; Moonraker answers only when the script is done. */
const SCRIPT_TIMEOUT_MS = 330_000;

/**
 * One Klipper printer behind Moonraker. The session keeps the WebSocket, Klippy's lifecycle and
 * the subscribed objects; this class turns them into status snapshots and does the controlling
 * (JSON-RPC for job control and G-code, HTTP for uploads and the camera).
 */
export class MoonrakerDriver implements PrinterDriver {
  readonly deviceId: string;
  readonly baseUrl: string;
  private readonly session: KlippySession;
  private readonly http: MoonrakerHttp;
  private readonly log: Logger;
  private current: DeviceStatus;
  private readonly statusListeners: Listeners<[DeviceStatus]>;
  private readonly historyListeners = new Set<() => void>();
  /** Status snapshots go out at most every `statusIntervalMs`, the newest one last. */
  private readonly emits: Throttle;
  private authRefused: string | null = null;

  constructor(ctx: DriverContext, options: MoonrakerDriverOptions = {}) {
    this.current = initialStatus(ctx.connection);
    this.deviceId = this.current.deviceId;
    this.baseUrl = baseUrlOf(normalizeAddress('moonraker', ctx.connection.address));
    this.log = ctx.log;
    this.statusListeners = new Listeners((err) => this.log.error('status listener failed', err));
    this.emits = new Throttle(options.statusIntervalMs ?? 0, () => this.emitNow());
    this.http = new MoonrakerHttp(this.baseUrl, ctx.secret);
    this.session = new KlippySession(
      {
        baseUrl: this.baseUrl,
        apiKey: ctx.secret,
        log: ctx.log,
        ...pick(options, ['backoffInitialMs', 'backoffMaxMs', 'klippyPollMs', 'authRecheckMs', 'pingIntervalMs']),
      },
      {
        connecting: (attempt) => {
          if (attempt === 0 && this.current.link !== 'online') this.update(statusOffline(this.current, 'connecting', 'Connecting to Moonraker', null));
        },
        view: (view) => {
          this.authRefused = null;
          this.update(statusFromView(this.current, view));
        },
        offline: (reason, retryInMs) =>
          this.update(statusOffline(this.current, 'offline', `Cannot reach Moonraker; retrying in ${Math.ceil(retryInMs / 1000)} s`, { code: 'moonraker.unreachable', message: reason.slice(0, 1000) })),
        authRefused: (message) => {
          this.authRefused = message;
          this.log.warn('Moonraker refused the credentials');
          this.update(statusOffline(this.current, 'error', 'API key refused', { code: 'moonraker.keyInvalid', message: message.slice(0, 1000) }));
        },
        notification: (method) => {
          if (method === 'notify_history_changed') for (const l of this.historyListeners) l();
        },
      },
    );
  }

  start(): void {
    this.session.start();
  }

  async stop(): Promise<void> {
    this.session.stop();
    this.emits.cancel();
  }

  status(): DeviceStatus {
    return this.current;
  }

  onStatus(listener: (status: DeviceStatus) => void): () => void {
    return this.statusListeners.add(listener);
  }

  /** Moonraker's job history changed (a job started or finished), for the history import. */
  onHistoryChanged(listener: () => void): () => void {
    this.historyListeners.add(listener);
    return () => this.historyListeners.delete(listener);
  }

  // ---- the generic printer surface ----

  async print(request: PrintRequest, onProgress: (p: TransferProgress) => void, signal: AbortSignal): Promise<void> {
    const info = await stat(request.path).catch(() => null);
    if (!info?.isFile()) throw new AppError('NOT_FOUND', `There is no file at ${request.path}.`);
    this.requireReady();
    // With print=true Moonraker stores the file but silently does not start it while a job is
    // printing or paused; say so before sending megabytes.
    const job = this.session.current().objects.print_stats?.state;
    if (job === 'printing' || job === 'paused') throw new AppError('CONFLICT', `The printer is ${job} already; cancel that print first.`);
    const total = info.size;
    onProgress({ phase: 'uploading', sentBytes: 0, totalBytes: total });
    const reply = await this.http.upload(request.path, request.name, total, (sent) => onProgress({ phase: 'uploading', sentBytes: sent, totalBytes: total }), signal);
    onProgress({ phase: 'starting', sentBytes: total, totalBytes: total });
    if (!reply.print_started) {
      throw new AppError('CONFLICT', `${request.name} is on the printer, but Klipper did not start it (${this.current.stateText}). Start it once the printer is ready.`);
    }
  }

  pause(): Promise<void> {
    return this.command('printer.print.pause', JOB_CONTROL_TIMEOUT_MS);
  }

  resume(): Promise<void> {
    return this.command('printer.print.resume', JOB_CONTROL_TIMEOUT_MS);
  }

  cancel(): Promise<void> {
    return this.command('printer.print.cancel', JOB_CONTROL_TIMEOUT_MS);
  }

  async maintenance(action: MaintenanceAction): Promise<void> {
    const script = maintenanceScript(action);
    if (script === null) throw new AppError('UNSUPPORTED', 'Klipper has no generic command for this; use a macro from Mainsail or Fluidd.');
    // Klipper refuses moves on unhomed axes and stops the script there, which would leave the
    // jog's relative mode set; asking first keeps the printer's state as it was.
    const homed = this.session.current().objects.toolhead?.homed_axes;
    if (action.type === 'jog' && homed !== undefined && !homed.includes(action.axis)) {
      throw new AppError('CONFLICT', `Home the printer first: Klipper does not know where ${action.axis.toUpperCase()} is.`);
    }
    await this.gcode(script);
  }

  /** Sets a heater's target (0 turns it off). */
  async setTemperature(heater: HeaterName, target: number): Promise<void> {
    let script: string;
    try {
      script = temperatureScript(heater, target);
    } catch (err) {
      throw new AppError('BAD_REQUEST', (err as Error).message);
    }
    await this.gcode(script);
  }

  /** Runs G-code; resolves when Klipper has run all of it. */
  gcode(script: string): Promise<void> {
    this.requireReady();
    return this.rpc('printer.gcode.script', { script }, OkReply, SCRIPT_TIMEOUT_MS).then(() => undefined);
  }

  /** FIRMWARE_RESTART: resets the MCUs and Klippy; the way out of a shutdown. */
  firmwareRestart(): Promise<void> {
    return this.command('printer.firmware_restart', 30_000);
  }

  emergencyStop(): Promise<void> {
    return this.command('printer.emergency_stop', 10_000);
  }

  async captureSnapshot(): Promise<CameraFrame> {
    const { webcams } = await this.rpc('server.webcams.list', undefined, WebcamList);
    const urls = webcams.filter((w) => w.enabled).map((w) => resolveWebcamUrl(w.snapshot_url, this.baseUrl));
    const url = urls.find((u): u is string => u !== null);
    if (url === undefined) throw new AppError('UNAVAILABLE', 'Moonraker lists no webcam with a snapshot URL; add one in Mainsail or Fluidd (or moonraker.conf).');
    return this.http.snapshot(url);
  }

  /** The G-code files on the printer. */
  listFiles(): Promise<z.infer<typeof FileList>> {
    return this.rpc('server.files.list', { root: 'gcodes' }, FileList);
  }

  /** Moonraker's job history, newest first by default; `count` is this page's size, not the total. */
  history(query: HistoryQuery = {}): Promise<z.infer<typeof HistoryList>> {
    const params: Record<string, unknown> = { limit: Math.min(Math.max(query.limit ?? 50, 1), 1000), start: Math.max(query.start ?? 0, 0), order: query.order ?? 'desc' };
    if (query.since !== undefined) params.since = query.since;
    if (query.before !== undefined) params.before = query.before;
    return this.rpc('server.history.list', params, HistoryList);
  }

  /** Finished jobs of Moonraker's history that ended since `since` (ms), newest first, a few pages at most. */
  async pastJobs(since: number | null): Promise<PastJob[]> {
    const out: PastJob[] = [];
    for (let start = 0; start < PAST_JOBS_MAX; start += PAST_JOBS_PAGE) {
      // Moonraker's `since` compares start times; a job that started earlier and ended later is read by the overlap the importer leaves.
      const page = await this.history({ limit: PAST_JOBS_PAGE, start, order: 'desc', ...(since === null ? {} : { since: since / 1000 }) });
      for (const job of page.jobs) {
        const past = pastJobOf(job);
        if (past && (since === null || past.endedAt >= since)) out.push(past);
      }
      if (page.count < PAST_JOBS_PAGE) break;
    }
    return out;
  }

  // ---- internals ----

  private requireReady(): void {
    if (this.authRefused !== null) throw new AppError('AUTH_REQUIRED', this.authRefused, 'moonraker.keyInvalid');
    if (this.current.link !== 'online') throw new AppError('UNAVAILABLE', `The printer is not connected (${this.current.stateText}).`);
    const klippy = this.session.current().klippy;
    if (klippy !== 'ready') throw new AppError('UNAVAILABLE', `Klipper is not ready (${this.current.problem?.message ?? this.current.stateText}).`);
  }

  private async command(method: string, timeoutMs: number): Promise<void> {
    await this.rpc(method, undefined, OkReply, timeoutMs);
  }

  private async rpc<S extends z.ZodType>(method: string, params: Record<string, unknown> | undefined, schema: S, timeoutMs?: number): Promise<z.infer<S>> {
    if (this.authRefused !== null) throw new AppError('AUTH_REQUIRED', this.authRefused, 'moonraker.keyInvalid');
    try {
      return await this.session.call(method, params, schema, timeoutMs);
    } catch (err) {
      if (err instanceof RpcCallError) throw new AppError(err.failure.code, err.failure.message);
      if (err instanceof SocketError) throw new AppError('UNAVAILABLE', err.message);
      throw err;
    }
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

function pick<T extends object, K extends keyof T>(from: T, keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) if (from[k] !== undefined) out[k] = from[k];
  return out;
}
