/**
 * The printer behind the simulated OctoPrint: connection states, heaters that drift towards their
 * targets, and a job that works through an uploaded G-code file over simulated time. It reports
 * what happens as OctoPrint events and serial log lines; the server turns them into push messages.
 */

export type StateText =
  | 'Offline'
  | 'Opening serial connection'
  | 'Connecting'
  | 'Operational'
  | 'Starting'
  | 'Printing'
  | 'Pausing'
  | 'Paused'
  | 'Resuming'
  | 'Cancelling'
  | 'Finishing'
  | 'Offline after error';

export interface StoredFile {
  path: string;
  name: string;
  size: number;
  date: number;
  /** The file as uploaded, served back by `/downloads/files/local/<path>`. */
  bytes: Buffer;
  /** Non-comment command lines; the job "prints" one at a time. */
  commands: string[];
  toolTarget: number | null;
  bedTarget: number | null;
}

export interface Heater {
  actual: number;
  target: number;
  offset: number;
}

export interface PrinterEvents {
  event(type: string, payload: Record<string, unknown> | null): void;
  log(line: string): void;
  message(line: string): void;
  marking(type: string, label: string): void;
}

const AMBIENT = 21;
/** Real milliseconds per G-code command at time scale 1. */
const MS_PER_COMMAND = 120;
export const PORTS = ['/dev/ttyUSB0', 'VIRTUAL'];
export const BAUDRATES = [250000, 230400, 115200, 57600, 38400, 19200, 9600];

const FLAG_STATES: Record<StateText, Partial<Record<string, boolean>>> = {
  Offline: { closedOrError: true },
  'Opening serial connection': {},
  Connecting: {},
  Operational: { operational: true, ready: true },
  Starting: { operational: true, printing: true },
  Printing: { operational: true, printing: true },
  Pausing: { operational: true, printing: true, pausing: true },
  Paused: { operational: true, paused: true },
  Resuming: { operational: true, printing: true, resuming: true },
  Cancelling: { operational: true, printing: true, cancelling: true },
  Finishing: { operational: true, printing: true, finishing: true },
  'Offline after error': { closedOrError: true },
};

const STATE_IDS: Record<StateText, string> = {
  Offline: 'OFFLINE',
  'Opening serial connection': 'OPEN_SERIAL',
  Connecting: 'CONNECTING',
  Operational: 'OPERATIONAL',
  Starting: 'STARTING',
  Printing: 'PRINTING',
  Pausing: 'PAUSING',
  Paused: 'PAUSED',
  Resuming: 'RESUMING',
  Cancelling: 'CANCELLING',
  Finishing: 'FINISHING',
  'Offline after error': 'CLOSED_WITH_ERROR',
};

export class SimError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export class VirtualPrinter {
  state: StateText = 'Offline';
  error = '';
  port: string | null = null;
  baudrate: number | null = null;
  readonly tool: Heater = { actual: AMBIENT, target: 0, offset: 0 };
  readonly bed: Heater = { actual: AMBIENT, target: 0, offset: 0 };
  selected: StoredFile | null = null;
  owner = 'admin';
  /** Index of the next command of the job. */
  private line = 0;
  private printMs = 0;
  private jobStartedAt = 0;
  private lineNumber = 0;
  /** A pending transition: the state after `afterMs` more simulated time. */
  private transition: { afterMs: number; run: () => void } | null = null;
  currentZ: number | null = null;

  constructor(
    private readonly out: PrinterEvents,
    private readonly timeScale: number,
  ) {}

  flags(): Record<string, boolean> {
    const set = FLAG_STATES[this.state];
    const names = ['operational', 'printing', 'cancelling', 'pausing', 'resuming', 'finishing', 'closedOrError', 'error', 'paused', 'ready', 'sdReady'];
    const flags: Record<string, boolean> = {};
    for (const n of names) flags[n] = set[n] === true;
    // After a firmware error OctoPrint reports closedOrError without the error flag [verified].
    return flags;
  }

  get operational(): boolean {
    return this.flags().operational === true;
  }

  get printing(): boolean {
    return this.flags().printing === true;
  }

  get jobActive(): boolean {
    return this.printing || this.state === 'Paused';
  }

  connect(port: string | undefined, baudrate: number | undefined): void {
    if (port !== undefined && !PORTS.includes(port)) throw new SimError(400, 'port is invalid');
    if (baudrate !== undefined && !BAUDRATES.includes(baudrate)) throw new SimError(400, 'baudrate is invalid');
    if (this.state !== 'Offline' && this.state !== 'Offline after error') this.disconnect();
    this.port = port ?? 'VIRTUAL';
    this.baudrate = baudrate ?? 115200;
    this.error = '';
    this.out.event('Connecting', null);
    this.setState('Opening serial connection');
    this.later(200, () => {
      this.setState('Connecting');
      this.later(300, () => {
        this.setState('Operational');
        this.out.event('Connected', { port: this.port, baudrate: this.baudrate });
        this.out.marking('connected', 'Connected');
        this.out.event('FirmwareData', { name: 'Virtual Marlin 1.0', data: { FIRMWARE_NAME: 'Virtual Marlin 1.0' } });
        this.out.event('UpdatedFiles', { type: 'printables' });
      });
    });
  }

  disconnect(): void {
    if (this.state === 'Offline') return;
    this.transition = null;
    this.out.event('Disconnecting', null);
    this.resetJob();
    this.port = null;
    this.baudrate = null;
    this.tool.target = 0;
    this.bed.target = 0;
    this.out.event('Disconnected', null);
    this.out.marking('disconnected', 'Disconnected');
    this.setState('Offline');
  }

  select(file: StoredFile | null): void {
    if (this.jobActive) throw new SimError(409, 'Printer already has an active print job');
    this.selected = file;
    this.line = 0;
    this.printMs = 0;
    if (file) this.out.event('FileSelected', this.filePayload(file));
    else this.out.event('FileDeselected', null);
  }

  start(): void {
    this.requireOperational();
    if (this.jobActive) throw new SimError(409, "Printer already has an active print job, did you mean 'restart'?");
    const file = this.selected;
    if (!file) throw new SimError(409, 'Cannot start printing, no file selected');
    this.line = 0;
    this.printMs = 0;
    this.lineNumber = 0;
    this.jobStartedAt = Date.now() / 1000;
    this.setState('Starting');
    if (file.toolTarget !== null) this.tool.target = file.toolTarget;
    if (file.bedTarget !== null) this.bed.target = file.bedTarget;
    this.out.event('PrintStarted', { ...this.filePayload(file), user: this.owner });
    this.out.marking('print', 'Start');
    this.later(300, () => this.setState('Printing'));
  }

  pause(action: 'pause' | 'resume' | 'toggle'): void {
    this.requireOperational();
    if (!this.jobActive) throw new SimError(409, `Printer is neither printing nor paused, '${action === 'toggle' ? 'pause' : action}' command cannot be performed`);
    const wantPause = action === 'toggle' ? this.state !== 'Paused' : action === 'pause';
    const file = this.selected;
    if (!file) return;
    if (wantPause && this.state === 'Printing') {
      this.setState('Pausing');
      this.later(300, () => {
        this.out.event('PrintPaused', { ...this.stoppedPayload(file) });
        this.out.marking('pause', 'Pause');
        this.setState('Paused');
      });
    } else if (!wantPause && this.state === 'Paused') {
      this.setState('Resuming');
      this.later(300, () => {
        this.out.event('PrintResumed', { ...this.filePayload(file), user: this.owner });
        this.out.marking('resume', 'Resume');
        this.setState('Printing');
      });
    }
  }

  cancel(): void {
    this.requireOperational();
    if (!this.jobActive) throw new SimError(409, "Printer is neither printing nor paused, 'cancel' command cannot be performed");
    const file = this.selected;
    if (!file) return;
    this.out.event('PrintCancelling', { ...this.filePayload(file), user: this.owner });
    this.setState('Cancelling');
    this.later(400, () => {
      const payload = this.stoppedPayload(file);
      this.out.event('PrintCancelled', payload);
      this.out.event('PrintFailed', { ...payload, reason: 'cancelled' });
      this.out.marking('cancel', 'Cancel');
      this.tool.target = 0;
      this.bed.target = 0;
      this.resetJob();
      this.setState('Operational');
    });
  }

  /** M112 or an injected firmware fault: the state the spec saw on a real server. */
  firmwareError(text: string): void {
    if (this.state === 'Offline') return;
    const file = this.selected;
    if (this.jobActive && file) this.out.event('PrintFailed', { ...this.stoppedPayload(file), reason: 'error' });
    this.transition = null;
    this.resetJob();
    this.error = text;
    this.out.event('Error', { error: text, reason: 'firmware', consequence: 'emergency', faq: 'firmware-error', logs: [`Recv: Error:${text}`] });
    this.out.event('Disconnected', null);
    this.port = null;
    this.baudrate = null;
    this.tool.target = 0;
    this.bed.target = 0;
    this.setState('Offline after error');
  }

  gcode(command: string): void {
    this.requireOperational();
    const upper = command.trim().toUpperCase();
    this.out.log(`Send: ${command}`);
    const s = /S(-?\d+(\.\d+)?)/.exec(upper);
    if (/^M10[49]\b/.test(upper) && s) this.tool.target = Number(s[1]);
    if (/^M1(40|90)\b/.test(upper) && s) this.bed.target = Number(s[1]);
    if (/^G28\b/.test(upper)) this.out.event('Home', null);
    if (/^M112\b/.test(upper)) {
      this.firmwareError('Printer halted. kill() called!');
      return;
    }
    if (/^M105\b/.test(upper)) this.out.log(`Recv: ${this.temperatureLine()}`);
    else if (/^M114\b/.test(upper)) this.out.log('Recv: X:0.00 Y:0.00 Z:0.00 E:0.00 Count X:0 Y:0 Z:0');
    this.out.log('Recv: ok');
  }

  setToolTarget(value: number): void {
    this.requireOperational();
    this.tool.target = value;
    this.out.log(`Send: M104 T0 S${value}`);
    this.out.log('Recv: ok');
  }

  setBedTarget(value: number): void {
    this.requireOperational();
    this.bed.target = value;
    this.out.log(`Send: M140 S${value}`);
    this.out.log('Recv: ok');
  }

  jog(axes: Record<string, number>): void {
    this.requireOperational();
    if (this.jobActive) throw new SimError(409, 'Printer is currently printing');
    const moves = Object.entries(axes)
      .map(([a, v]) => `${a.toUpperCase()}${v}`)
      .join(' ');
    this.out.log(`Send: G91`);
    this.out.log(`Send: G1 ${moves} F6000`);
    this.out.log(`Send: G90`);
    this.out.log('Recv: ok');
  }

  home(axes: string[]): void {
    this.requireOperational();
    if (this.jobActive) throw new SimError(409, 'Printer is currently printing');
    this.out.log(`Send: G28 ${axes.map((a) => `${a.toUpperCase()}0`).join(' ')}`);
    this.out.log('Recv: ok');
    this.out.event('Home', null);
  }

  requireOperational(): void {
    if (!this.operational) throw new SimError(409, 'Printer is not operational');
  }

  /** Advances simulated time by `realMs` of wall clock. */
  tick(realMs: number): void {
    const ms = realMs * this.timeScale;
    this.heat(this.tool, ms, 3);
    this.heat(this.bed, ms, 1);
    if (this.transition) {
      this.transition.afterMs -= realMs;
      if (this.transition.afterMs <= 0) {
        const run = this.transition.run;
        this.transition = null;
        run();
      }
    }
    if (this.state === 'Printing') this.advanceJob(ms);
  }

  temperatureLine(): string {
    return `T:${this.tool.actual.toFixed(2)} /${this.tool.target.toFixed(2)} B:${this.bed.actual.toFixed(2)} /${this.bed.target.toFixed(2)}`;
  }

  job(): Record<string, unknown> {
    const f = this.selected;
    const estimate = f ? (f.commands.length * MS_PER_COMMAND) / 1000 : null;
    return {
      file: f
        ? { name: f.name, path: f.path, display: f.name, origin: 'local', size: f.size, date: f.date }
        : { name: null, path: null, display: null, origin: null, size: null, date: null },
      estimatedPrintTime: estimate,
      averagePrintTime: null,
      lastPrintTime: null,
      filament: f ? { tool0: { length: f.commands.length * 0.5, volume: 0 } } : { length: null, volume: null },
      user: f ? this.owner : null,
    };
  }

  progress(): Record<string, unknown> {
    const f = this.selected;
    if (!f || (!this.jobActive && this.line === 0)) {
      return { completion: null, filepos: null, printTime: null, printTimeLeft: null, printTimeLeftOrigin: null };
    }
    const total = Math.max(1, f.commands.length);
    const completion = (this.line / total) * 100;
    const left = ((total - this.line) * MS_PER_COMMAND) / 1000;
    const printTime = Math.round(this.printMs / 1000);
    return {
      completion,
      filepos: Math.round((this.line / total) * f.size),
      printTime,
      // Early in a print OctoPrint does not know the time left yet [verified].
      printTimeLeft: printTime < 1 ? null : Math.round(left),
      printTimeLeftOrigin: printTime < 1 ? null : 'estimate',
    };
  }

  private advanceJob(ms: number): void {
    const file = this.selected;
    if (!file) return;
    this.printMs += ms;
    const target = Math.min(file.commands.length, Math.floor(this.printMs / MS_PER_COMMAND));
    const before = this.line;
    // Log a few lines only: a real terminal shows every line, but tests need no flood.
    for (let i = before; i < target && i < before + 3; i++) {
      this.lineNumber++;
      this.out.log(`Send: N${this.lineNumber} ${file.commands[i] ?? ''}`);
      this.out.log('Recv: ok');
    }
    for (let i = before; i < target; i++) {
      const z = /\bZ(\d+(\.\d+)?)/.exec(file.commands[i] ?? '');
      if (z && /^G[01]\b/.test(file.commands[i] ?? '')) {
        const old = this.currentZ;
        this.currentZ = Number(z[1]);
        if (old !== this.currentZ) this.out.event('ZChange', { new: this.currentZ, old });
      }
    }
    this.line = target;
    if (this.line >= file.commands.length) {
      this.setState('Finishing');
      this.later(600, () => {
        this.out.event('PrintDone', { ...this.filePayload(file), time: Date.now() / 1000 - this.jobStartedAt });
        this.out.marking('done', 'Done');
        // PrintDone arrives while the state is still Finishing [verified]; Operational follows.
        this.later(800, () => {
          this.tool.target = 0;
          this.bed.target = 0;
          this.resetJob();
          this.line = file.commands.length;
          this.setState('Operational');
        });
      });
    }
  }

  private resetJob(): void {
    this.line = 0;
    this.printMs = 0;
    this.currentZ = null;
  }

  private heat(h: Heater, ms: number, perSecond: number): void {
    const goal = h.target > 0 ? h.target + h.offset : AMBIENT;
    const step = (perSecond * 3 * ms) / 1000;
    const diff = goal - h.actual;
    h.actual = Math.abs(diff) <= step ? goal : h.actual + Math.sign(diff) * step;
    h.actual = Math.round(h.actual * 100) / 100;
  }

  private later(realMs: number, run: () => void): void {
    this.transition = { afterMs: realMs, run };
  }

  private setState(next: StateText): void {
    this.state = next;
    this.out.event('PrinterStateChanged', { state_id: STATE_IDS[next], state_string: next });
  }

  private filePayload(f: StoredFile): Record<string, unknown> {
    return { name: f.name, path: f.path, origin: 'local', size: f.size, owner: this.owner };
  }

  private stoppedPayload(f: StoredFile): Record<string, unknown> {
    const p = this.progress();
    return {
      ...this.filePayload(f),
      user: this.owner,
      time: Date.now() / 1000 - this.jobStartedAt,
      position: { x: 10, y: 10, z: this.currentZ ?? 0, e: 0, t: 0, f: 6000 },
      fileposition: p.filepos ?? 0,
      progress: typeof p.completion === 'number' ? p.completion / 100 : 0,
    };
  }
}

/** Parses an uploaded G-code file into the stored form the printer works through. */
export function parseGcode(path: string, data: Buffer, date: number): StoredFile {
  const commands: string[] = [];
  let toolTarget: number | null = null;
  let bedTarget: number | null = null;
  for (const raw of data.toString('latin1').split('\n')) {
    const line = raw.replace(/;.*$/, '').trim();
    if (line === '') continue;
    commands.push(line.slice(0, 200));
    const s = /S(\d+(\.\d+)?)/i.exec(line);
    if (s && /^M10[49]\b/i.test(line) && toolTarget === null) toolTarget = Number(s[1]);
    if (s && /^M1(40|90)\b/i.test(line) && bedTarget === null) bedTarget = Number(s[1]);
  }
  const name = path.split('/').pop() ?? path;
  return { path, name, size: data.length, date, bytes: data, commands, toolTarget, bedTarget };
}
