import { Listeners, SingleFlight, stepDelay } from '../../../../shared/async';
import type { CameraFrame, MaintenanceAction, PrinterDriver, PrintRequest, TransferProgress } from '../../../devices/driver';
import type { DriverContext } from '../../../devices/fleet';
import type { DeviceProblem, DeviceStatus, LinkState } from '../../../../shared/domain/device';
import { AppError } from '../../../../shared/rpc/result';
import type { Logger } from '../../../log';
import type { XyzModel } from '../models';
import { normaliseStateCode, type XyzJobControl, type XyzStatus } from '../protocol';
import { XyzTransportError } from '../transport';
import { parseXyzAddress, type XyzAddress } from './address';
import { XyzRejectedError, type XyzActionCommand, type XyzBackend, type XyzWireProtocol } from './backend';
import { connectBackend, type ConnectDeps } from './connect';
import { buildDeviceStatus, modelOfStatus } from './device-status';
import { toAppError, withBusyRetry } from './errors';
import { readSettings, type XyzConnectionSettings, type XyzDriverTimings } from './options';
import { runPrint } from './print-flow';
import { isPrinterBusy } from '../../../../shared/domain/device-state';

export interface XyzDriverDeps extends ConnectDeps {
  /** Base timings before connection options apply (tests shorten them). */
  timings?: XyzDriverTimings;
}


/**
 * A da Vinci printer: connects and identifies it, polls its status (fast while it works, slow when
 * idle), reconnects with back-off when the link breaks, and runs prints, job control and maintenance.
 * Every failure becomes link state + a problem in words; nothing a printer sends can throw out of here.
 */
export class XyzDriver implements PrinterDriver {
  readonly deviceId: string;
  private readonly name: string;
  private readonly address: XyzAddress | null;
  private readonly settings: XyzConnectionSettings;
  private readonly listeners: Listeners<[DeviceStatus]>;
  private snapshot: DeviceStatus;
  private link: LinkState = 'connecting';
  private linkProblem: DeviceProblem | null = null;
  private xyz: XyzStatus | null = null;
  private backendRef: XyzBackend | null = null;
  private protocol: XyzWireProtocol | null = null;
  private jobName: string | null = null;
  private running = false;
  private timer: NodeJS.Timeout | null = null;
  private reconnectAttempt = 0;
  private failures = 0;
  /** Status polls: at most one at a time (the timer's and a command's share one). */
  private readonly statusPoll = new SingleFlight(() => this.fetchStatus());
  private printing = false;
  private readonly log: Logger;

  constructor(
    private readonly ctx: DriverContext,
    private readonly deps: XyzDriverDeps = {},
  ) {
    this.deviceId = `xyz:${ctx.connection.id}`;
    this.name = ctx.connection.name;
    this.log = ctx.log;
    this.listeners = new Listeners((err) => this.log.error('status listener failed', err));
    this.settings = readSettings(ctx.connection.options, deps.timings);
    let address: XyzAddress | null = null;
    try {
      address = parseXyzAddress(ctx.connection.address);
    } catch (err) {
      this.link = 'error';
      this.linkProblem = { code: 'xyz-address', message: err instanceof Error ? err.message : String(err) };
    }
    this.address = address;
    this.snapshot = this.build();
  }

  get timings(): XyzDriverTimings {
    return this.settings.timings;
  }

  start(): void {
    if (this.running || !this.address) return;
    this.running = true;
    this.schedule(0, () => this.connect());
  }

  async stop(): Promise<void> {
    this.running = false;
    this.clearTimer();
    const backend = this.backendRef;
    this.backendRef = null;
    await backend?.close().catch(() => undefined);
  }

  status(): DeviceStatus {
    return this.snapshot;
  }

  onStatus(listener: (status: DeviceStatus) => void): () => void {
    return this.listeners.add(listener);
  }

  async print(request: PrintRequest, onProgress: (p: TransferProgress) => void, signal: AbortSignal): Promise<void> {
    if (!this.snapshot.capabilities.print) throw this.unavailable('print');
    if (this.printing) throw new AppError('CONFLICT', `${this.name} is already receiving a file.`);
    this.printing = true;
    try {
      await runPrint(
        {
          name: this.name,
          timings: this.timings,
          backend: () => this.backend(),
          model: () => this.model(),
          refresh: () => this.refreshNow(),
          setJobName: (name) => {
            this.jobName = name;
          },
        },
        request,
        onProgress,
        signal,
      );
    } catch (err) {
      throw toAppError(this.name, err);
    } finally {
      this.printing = false;
      void this.refreshNow().catch(() => undefined);
    }
  }

  pause(): Promise<void> {
    return this.jobControl('pause');
  }

  resume(): Promise<void> {
    return this.jobControl('resume');
  }

  cancel(): Promise<void> {
    return this.jobControl('cancel');
  }

  async maintenance(action: MaintenanceAction): Promise<void> {
    const caps = this.snapshot.capabilities;
    const allowed =
      action.type === 'home' ? caps.home : action.type === 'jog' ? caps.jog : action.type === 'loadFilament' ? caps.loadFilament : action.type === 'unloadFilament' ? caps.unloadFilament : caps.calibrate;
    if (!allowed) throw this.unavailable(action.type);
    const command = this.actionFor(action);
    await this.command(() => this.backend().action(command));
  }

  async captureSnapshot(): Promise<CameraFrame> {
    if (!this.snapshot.capabilities.camera) throw this.unavailable('camera');
    try {
      const data = await withBusyRetry(() => this.backend().snapshot(), this.timings.busyBackoffMs, 2);
      return { mime: 'image/jpeg', data, at: Date.now() };
    } catch (err) {
      throw toAppError(this.name, err);
    }
  }

  // --- commands ---

  private async jobControl(control: XyzJobControl): Promise<void> {
    const caps = this.snapshot.capabilities;
    if (!(control === 'cancel' ? caps.cancel : caps.pause)) throw this.unavailable(control);
    await this.command(() => this.backend().jobControl(control));
  }

  private async command(run: () => Promise<void>): Promise<void> {
    try {
      await withBusyRetry(run, this.timings.busyBackoffMs, this.timings.busyMaxTries);
    } catch (err) {
      throw toAppError(this.name, err);
    }
    await this.refreshNow().catch(() => undefined);
  }

  /** The generic page has one button per action; the printer's current step decides what it means. */
  private actionFor(action: MaintenanceAction): XyzActionCommand {
    const state = this.xyz?.state;
    const code = state ? normaliseStateCode(state.code) : null;
    switch (action.type) {
      case 'home':
        return { kind: 'home' };
      case 'jog': {
        const mm = Math.round(Math.abs(action.mm));
        if (mm < 1) throw new AppError('BAD_REQUEST', 'Jog at least 1 mm (da Vinci printers move in whole millimetres).');
        return { kind: 'jog', axis: action.axis, direction: action.mm < 0 ? '-' : '+', mm };
      }
      case 'loadFilament':
        return { kind: 'load', step: code === 9530 ? 'cancel' : 'new' };
      case 'unloadFilament':
        return { kind: 'unload', step: code === 9531 ? 'cancel' : 'new' };
      case 'calibrate':
        if (code === 9535 && state?.substate === 41) return { kind: 'calibrate', step: 'detectorok' };
        if (code === 9535 && state?.substate === 44) return { kind: 'calibrate', step: 'release' };
        return { kind: 'calibrate', step: 'new' };
    }
  }

  private backend(): XyzBackend {
    const backend = this.backendRef;
    if (!backend || this.link !== 'online') {
      throw new AppError('UNAVAILABLE', `${this.name} is offline${this.linkProblem ? `: ${this.linkProblem.message}` : '.'}`);
    }
    return backend;
  }

  private model(): XyzModel | undefined {
    return modelOfStatus(this.xyz, this.settings.model);
  }

  private unavailable(what: string): AppError {
    if (this.link !== 'online') return new AppError('UNAVAILABLE', `${this.name} is offline${this.linkProblem ? `: ${this.linkProblem.message}` : '.'}`);
    return new AppError('UNSUPPORTED', `${this.snapshot.model ?? this.name} cannot ${what} from Printdeck.`);
  }

  // --- link and polling ---

  private async connect(): Promise<void> {
    if (!this.running || !this.address) return;
    try {
      const { backend, status } = await connectBackend(
        this.address,
        { protocol: this.settings.protocol, model: this.settings.model, v3Timeouts: this.timings.v3, v2Timeouts: this.timings.v2 },
        this.deps,
      );
      if (!this.running) {
        await backend.close().catch(() => undefined);
        return;
      }
      this.backendRef = backend;
      this.protocol = backend.protocol;
      backend.onLost((error) => this.lose(backend, error));
      this.xyz = status;
      this.link = 'online';
      this.linkProblem = null;
      this.reconnectAttempt = 0;
      this.failures = 0;
      this.log.info(`connected: ${backend.description}, ${status.modelNumber ?? 'unknown model'} ${status.serial ?? ''}`.trim());
      this.publish();
      this.schedulePoll();
    } catch (err) {
      this.setOffline(err);
      this.scheduleReconnect();
    }
  }

  private lose(backend: XyzBackend, error: unknown): void {
    if (this.backendRef !== backend) return;
    this.backendRef = null;
    void backend.close().catch(() => undefined);
    this.log.warn(`link lost: ${error instanceof Error ? error.message : String(error)}`);
    this.setOffline(error);
    this.scheduleReconnect();
  }

  private setOffline(err: unknown): void {
    const transport = err instanceof XyzTransportError ? err : null;
    this.link = transport?.code === 'permission' ? 'error' : 'offline';
    const message = err instanceof Error ? err.message : String(err);
    this.linkProblem = { code: `xyz-link-${transport?.code ?? 'no-answer'}`, message: message.slice(0, 1000) };
    this.publish();
  }

  private scheduleReconnect(): void {
    const delay = stepDelay(this.timings.reconnectMs, this.reconnectAttempt, 5_000);
    this.reconnectAttempt++;
    this.schedule(delay, () => this.connect());
  }

  private schedulePoll(): void {
    const active = isPrinterBusy(this.snapshot.state) || this.printing;
    this.schedule(active ? this.timings.pollActiveMs : this.timings.pollIdleMs, async () => {
      await this.refresh();
      if (this.backendRef) this.schedulePoll();
    });
  }

  private schedule(delay: number, fn: () => Promise<void>): void {
    this.clearTimer();
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      fn().catch((err: unknown) => this.log.error('xyz driver step failed', err));
    }, delay);
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Polls now (after a command, during a print) and returns the fresh status. */
  private async refreshNow(): Promise<XyzStatus> {
    await this.statusPoll.idle();
    await this.refresh();
    this.backend(); // throws UNAVAILABLE when that poll found the printer gone
    if (!this.xyz) throw new AppError('UNAVAILABLE', `${this.name} has not reported its status.`);
    return this.xyz;
  }

  /** One status poll; at most one at a time. Never throws. */
  private refresh(): Promise<void> {
    return this.statusPoll.run();
  }

  private async fetchStatus(): Promise<void> {
    const backend = this.backendRef;
    if (!backend) return;
    try {
      this.xyz = await backend.status(this.xyz ?? undefined);
      this.failures = 0;
      if (this.linkProblem) this.linkProblem = null;
      if (this.xyz.state && normaliseStateCode(this.xyz.state.code) === 9511 && !this.printing) this.jobName = null;
      this.publish();
    } catch (err) {
      if (err instanceof XyzTransportError) {
        this.lose(backend, err);
        return;
      }
      // `E4$` to a poll: the printer is there but busy (the nano does this while a print ends).
      if (err instanceof XyzRejectedError) {
        this.failures = 0;
        return;
      }
      this.failures++;
      this.log.debug(`status poll failed (${this.failures})`, err instanceof Error ? err.message : err);
      // A sleeping printer may miss one poll; more in a row means it is gone.
      if (this.failures >= 3) this.lose(backend, new XyzTransportError('timeout', `${this.name} stopped answering.`));
    }
  }

  private build(): DeviceStatus {
    return buildDeviceStatus({
      deviceId: this.deviceId,
      connectionId: this.ctx.connection.id,
      name: this.name,
      link: this.link,
      linkProblem: this.linkProblem,
      xyz: this.xyz,
      model: this.model(),
      protocol: this.protocol,
      jobName: this.jobName,
    });
  }

  private publish(): void {
    this.snapshot = this.build();
    this.listeners.emit(this.snapshot);
  }
}
