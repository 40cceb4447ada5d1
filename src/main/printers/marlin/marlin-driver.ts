import { stat } from 'node:fs/promises';
import type { DeviceProblem, DeviceStatus, PrinterState } from '../../../shared/domain/device';
import { AppError } from '../../../shared/rpc/result';
import type { Logger } from '../../log';
import type { CameraFrame, MaintenanceAction, PrinterDriver, PrintRequest, TransferProgress } from '../../devices/driver';
import type { DriverContext } from '../../devices/fleet';
import { parseMarlinAddress, type MarlinAddress } from './address';
import { connectMarlin } from './connect';
import type { HandshakeOptions } from './engine/handshake';
import type { StreamerOptions } from './engine/streamer';
import { FileLines } from './file-lines';
import { ParkState } from './park';
import { commandWord } from './protocol/framing';
import { describeFatal, type MarlinReply } from './protocol/replies';
import { openSerialLink, resetsOnOpen, type OpenLink } from './serial-link';
import { MarlinSession } from './session';
import { initialMarlinStatus, mergeTemperatures } from './status';

export interface MarlinDriverOptions {
  openLink?: OpenLink;
  handshake?: HandshakeOptions;
  streamer?: StreamerOptions;
  reconnectInitialMs?: number;
  reconnectMaxMs?: number;
  /** Minimum spacing of status snapshots (default 250 ms). */
  statusIntervalMs?: number;
}

interface Job {
  name: string;
  lines: FileLines;
  totalBytes: number;
  ackedBytes: number;
  startedAt: number;
  park: ParkState;
}

/**
 * A Marlin printer on a serial port. Printing is host streaming: the file is read a piece at a
 * time and sent line by line (numbered, checksummed), so the job lives here, not on the printer;
 * pause, resume and cancel are the host's, with the head parked and heaters switched off on cancel.
 */
export class MarlinDriver implements PrinterDriver {
  readonly deviceId: string;
  private readonly address: MarlinAddress;
  private readonly log: Logger;
  private readonly openLink: OpenLink;
  private current: DeviceStatus;
  private readonly listeners = new Set<(s: DeviceStatus) => void>();
  private session: MarlinSession | null = null;
  private stopped = true;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private reconnectMs: number;
  private baud: number | null = null;
  private caps = new Map<string, boolean>();
  private pollTimer: NodeJS.Timeout | null = null;
  private emitTimer: NodeJS.Timeout | null = null;
  private lastEmitAt = 0;
  private job: Job | null = null;
  private fatalTexts: string[] = [];
  private halted = false;
  private busyWith: Promise<void> = Promise.resolve();
  private strayOks = 0;

  constructor(
    ctx: DriverContext,
    private readonly options: MarlinDriverOptions = {},
  ) {
    this.current = initialMarlinStatus(ctx.connection);
    this.deviceId = this.current.deviceId;
    this.address = parseMarlinAddress(ctx.connection.address);
    this.log = ctx.log;
    this.openLink = options.openLink ?? openSerialLink;
    this.reconnectMs = options.reconnectInitialMs ?? 2_000;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    this.stopPolling();
    if (this.emitTimer) clearTimeout(this.emitTimer);
    this.emitTimer = null;
    await this.endJob();
    const session = this.session;
    this.session = null;
    await session?.close();
  }

  status(): DeviceStatus {
    return this.current;
  }

  onStatus(listener: (status: DeviceStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Capabilities the firmware reported in its M115 answer. */
  capability(name: string): boolean {
    return this.caps.get(name) ?? false;
  }

  async print(request: PrintRequest, onProgress: (p: TransferProgress) => void, signal: AbortSignal): Promise<void> {
    const session = this.requireReady();
    if (this.job) throw new AppError('CONFLICT', `${this.current.name} is already printing ${this.job.name}.`);
    const size = (await stat(request.path)).size;
    onProgress({ phase: 'starting', sentBytes: 0, totalBytes: size });
    const park = new ParkState();
    const lines = await FileLines.open(request.path, (command) => park.observe(command));
    if (signal.aborted) {
      await lines.close();
      throw new AppError('CANCELLED', 'Cancelled.');
    }
    this.job = { name: request.name, lines, totalBytes: size, ackedBytes: 0, startedAt: Date.now(), park };
    session.streamer.setJob(lines);
    session.pump();
    this.update({ state: 'printing', stateText: 'Printing', problem: null, job: this.jobProgress() });
    onProgress({ phase: 'starting', sentBytes: size, totalBytes: size });
  }

  pause(): Promise<void> {
    return this.serially(async () => {
      const session = this.requireReady();
      const job = this.job;
      if (!job || this.current.state !== 'printing') throw new AppError('CONFLICT', `${this.current.name} is not printing.`);
      this.update({ state: 'pausing', stateText: 'Pausing' });
      session.streamer.holdJob(true);
      await this.drained(session);
      // Parked with a relative move, then the file's own modes are put back.
      for (const c of job.park.parkCommands()) await session.command(c);
      this.update({ state: 'paused', stateText: 'Paused' });
    });
  }

  resume(): Promise<void> {
    return this.serially(async () => {
      const session = this.requireReady();
      const job = this.job;
      if (!job || this.current.state !== 'paused') throw new AppError('CONFLICT', `${this.current.name} is not paused.`);
      this.update({ state: 'resuming', stateText: 'Resuming' });
      for (const c of job.park.unparkCommands()) await session.command(c);
      session.streamer.holdJob(false);
      session.pump();
      this.update({ state: 'printing', stateText: 'Printing' });
    });
  }

  cancel(): Promise<void> {
    return this.serially(async () => {
      const session = this.requireReady();
      const job = this.job;
      if (!job) throw new AppError('CONFLICT', `${this.current.name} is not printing.`);
      this.update({ state: 'cancelling', stateText: 'Cancelling' });
      session.streamer.holdJob(true);
      // A heat-up wait (M109/M190) would hold the queue for minutes; M108 ends it where the
      // firmware acts on it as it arrives.
      if (this.capability('EMERGENCY_PARSER') && session.streamer.inFlight.some((s) => ['M109', 'M190'].includes(commandWord(s.command)))) session.emergency('M108');
      await this.drained(session);
      const parked = this.current.state === 'paused' || job.park.parked;
      await this.endJob();
      for (const c of ['M104 S0', 'M140 S0', 'M107', ...(parked ? [] : job.park.parkCommands(10))]) await session.command(c);
      this.update({ state: 'idle', stateText: 'Cancelled', job: null });
    });
  }

  maintenance(action: MaintenanceAction): Promise<void> {
    return this.serially(async () => {
      const session = this.requireReady();
      if (this.job) throw new AppError('CONFLICT', `${this.current.name} is printing.`);
      switch (action.type) {
        case 'home':
          await session.command('G28');
          return;
        case 'jog':
          for (const c of ['G91', `G1 ${action.axis.toUpperCase()}${action.mm} F3000`, 'G90']) await session.command(c);
          return;
        default:
          throw new AppError('UNSUPPORTED', `${this.current.name} cannot do ${action.type} from Printdeck.`);
      }
    });
  }

  captureSnapshot(): Promise<CameraFrame> {
    return Promise.reject(new AppError('UNSUPPORTED', 'A printer on a serial port has no camera.'));
  }

  private serially(task: () => Promise<void>): Promise<void> {
    const run = this.busyWith.then(task, task);
    this.busyWith = run.catch(() => undefined);
    return run;
  }

  private requireReady(): MarlinSession {
    if (this.halted) throw new AppError('UNAVAILABLE', this.current.problem?.message ?? 'The printer has halted.');
    const session = this.session;
    if (!session || session.closed || this.current.link !== 'online') throw new AppError('UNAVAILABLE', `${this.current.name} is not connected.`);
    return session;
  }

  /** Resolves once no print line is in flight any more. */
  private drained(session: MarlinSession): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (session.closed) return reject(new AppError('UNAVAILABLE', 'The printer went away.'));
        if (!session.streamer.jobInFlight) return resolve();
        setTimeout(check, 20);
      };
      check();
    });
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    this.halted = false;
    this.fatalTexts = [];
    this.update({ link: 'connecting', state: this.current.link === 'online' ? this.current.state : 'unknown', stateText: `Connecting to ${this.address.path}` });
    try {
      const connected = await connectMarlin(this.address, this.openLink, {
        ...this.options.handshake,
        preferredBaud: this.baud,
        // Asking the OS which board it is only makes sense for real ports, not injected links.
        ...(this.options.openLink ? {} : { resetsOnOpen }),
      });
      if (this.stopped) {
        await connected.link.close();
        return;
      }
      this.baud = connected.baud;
      const session = new MarlinSession(
        connected.link,
        {
          reply: (reply) => this.onReply(session, reply),
          jobAcked: (bytes) => this.onJobAcked(bytes),
          ended: (reason) => this.onEnded(session, reason),
        },
        this.options.streamer,
      );
      this.session = session;
      this.strayOks = 0;
      this.caps = new Map();
      await session.command('M115');
      if (this.capability('AUTOREPORT_TEMP')) await session.command('M155 S2');
      else this.startPolling(session);
      this.reconnectMs = this.options.reconnectInitialMs ?? 2_000;
      this.update({ link: 'online', state: 'idle', stateText: 'Ready', problem: null });
      this.log.info(`connected on ${connected.link.description}${connected.booted ? ' (the board reset on open)' : ''}`);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.session = null;
      this.scheduleReconnect(message);
    }
  }

  private scheduleReconnect(reason: string): void {
    if (this.stopped) return;
    const waitMs = this.reconnectMs;
    this.reconnectMs = Math.min(this.options.reconnectMaxMs ?? 30_000, this.reconnectMs * 2);
    this.update({
      link: 'offline',
      state: 'offline',
      stateText: `Cannot reach the printer; retrying in ${Math.ceil(waitMs / 1000)} s`,
      temperatures: [],
      problem: { code: 'marlin.unreachable', message: reason.slice(0, 1000) },
    });
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      void this.connect();
    }, waitMs);
  }

  private onReply(session: MarlinSession, reply: MarlinReply): void {
    switch (reply.type) {
      case 'firmware':
        this.update({ firmware: (reply.info.FIRMWARE_NAME ?? '').slice(0, 128) || null, model: (reply.info.MACHINE_TYPE ?? '').slice(0, 200) || null });
        return;
      case 'capability':
        this.caps.set(reply.name, reply.enabled);
        return;
      case 'ok':
        if (session.streamer.counters.strayOks > this.strayOks) {
          this.strayOks = session.streamer.counters.strayOks;
          this.log.warn('an ok matched no line in flight: after a resend, the tail of a cut line may have run out of order (Marlin discards its input after a bad line)');
        }
        if (reply.temperatures) this.update({ temperatures: mergeTemperatures(this.current.temperatures, reply.temperatures) });
        this.checkJobDone(session);
        return;
      case 'temperature':
        this.update({ temperatures: mergeTemperatures(this.current.temperatures, reply.readings) });
        return;
      case 'error':
        if (reply.severity === 'fatal' || reply.severity === 'stopped') this.onFatal(session, reply.text);
        else if (reply.severity === 'command') this.log.warn(`printer: ${reply.text}`);
        return;
      case 'start':
        // The board rebooted under us (reset button, power blip, another program opening the port).
        if (this.job) this.failJob('The printer restarted during the print, so the print cannot go on.');
        void session.close().then(() => this.scheduleReconnect('The printer restarted; connecting again.'));
        return;
      case 'action':
        this.onAction(reply.name);
        return;
      default:
        return;
    }
  }

  private onAction(name: string): void {
    const ignore = (): undefined => undefined;
    if (name === 'pause' && this.current.state === 'printing') void this.pause().catch(ignore);
    else if (name === 'resume' && this.current.state === 'paused') void this.resume().catch(ignore);
    else if (name === 'cancel' && this.job) void this.cancel().catch(ignore);
    else if (name === 'paused' && this.job) this.update({ state: 'paused', stateText: 'Paused on the printer' });
    else if (name === 'resumed' && this.job) this.update({ state: 'printing', stateText: 'Printing' });
  }

  private onFatal(session: MarlinSession, text: string): void {
    this.fatalTexts.push(text);
    const message = describeFatal(this.fatalTexts);
    const wasPrinting = this.job !== null;
    this.halted = true;
    this.stopPolling();
    void this.endJob();
    session.fail(message);
    this.update({
      state: 'error',
      stateText: wasPrinting ? 'Print stopped: the printer halted' : 'The printer halted',
      problem: { code: 'marlin.halted', message: message.slice(0, 1000) },
    });
  }

  private onJobAcked(bytes: number): void {
    if (!this.job) return;
    this.job.ackedBytes += bytes;
    this.update({ job: this.jobProgress() });
  }

  private checkJobDone(session: MarlinSession): void {
    const job = this.job;
    if (!job || !session.streamer.jobFinished) return;
    const failure = job.lines.error;
    void this.endJob();
    if (failure) this.failJob(`Reading ${job.name} failed: ${failure.message}`);
    else this.update({ state: 'done', stateText: 'Print finished', job: { ...this.jobProgressOf(job), progress: 1, remainingSec: 0 } });
  }

  private failJob(message: string): void {
    const problem: DeviceProblem = { code: 'marlin.printFailed', message: message.slice(0, 1000) };
    void this.endJob();
    this.update({ state: 'error', stateText: 'Print failed', problem });
  }

  private async endJob(): Promise<void> {
    const job = this.job;
    this.job = null;
    this.session?.streamer.setJob(null);
    await job?.lines.close();
  }

  private jobProgress(): DeviceStatus['job'] {
    return this.job ? this.jobProgressOf(this.job) : null;
  }

  private jobProgressOf(job: Job): NonNullable<DeviceStatus['job']> {
    const progress = job.totalBytes > 0 ? Math.min(1, job.ackedBytes / job.totalBytes) : null;
    const elapsedSec = (Date.now() - job.startedAt) / 1000;
    const remainingSec = progress && progress > 0.01 ? (elapsedSec / progress) * (1 - progress) : null;
    return { name: job.name.slice(0, 512), progress, elapsedSec, remainingSec, taskId: null };
  }

  private onEnded(session: MarlinSession, reason: string | null): void {
    if (this.session !== session) return;
    this.stopPolling();
    if (this.halted) return;
    this.session = null;
    if (this.job) this.failJob(`The connection to the printer was lost during the print${reason ? `: ${reason}` : ''}.`);
    if (!this.stopped && reason !== null) this.scheduleReconnect(reason);
  }

  /** Without auto-reports, M105 every 5 s, or every 2 s while a heater has a target (as OctoPrint does). */
  private startPolling(session: MarlinSession): void {
    this.stopPolling();
    let last = 0;
    this.pollTimer = setInterval(() => {
      const heating = this.current.temperatures.some((t) => (t.target ?? 0) > 25);
      const now = Date.now();
      if (now - last < (heating ? 2_000 : 5_000) || session.streamer.inFlight.some((s) => s.command === 'M105')) return;
      last = now;
      session.command('M105').catch(() => undefined);
    }, 500);
  }

  private stopPolling(): void {
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.pollTimer = null;
  }

  private update(patch: Partial<DeviceStatus> & { state?: PrinterState }): void {
    this.current = { ...this.current, ...patch, updatedAt: Date.now() };
    const interval = this.options.statusIntervalMs ?? 250;
    const wait = this.lastEmitAt + interval - Date.now();
    if (wait <= 0 || patch.state !== undefined || patch.link !== undefined) {
      this.emitNow();
      return;
    }
    this.emitTimer ??= setTimeout(() => this.emitNow(), wait);
  }

  private emitNow(): void {
    if (this.emitTimer) clearTimeout(this.emitTimer);
    this.emitTimer = null;
    this.lastEmitAt = Date.now();
    for (const l of this.listeners) {
      try {
        l(this.current);
      } catch (err) {
        this.log.error('status listener failed', err);
      }
    }
  }
}
