import { checksum } from '../../src/main/printers/marlin/protocol/framing';

export interface MarlinFirmwareOptions {
  /** `ok N<n> P<free blocks> B<free slots>` instead of `ok` (ADVANCED_OK; off in stock builds). */
  advancedOk?: boolean;
  /** M108/M112/M410 acted on as their bytes arrive, even with the queue full (EMERGENCY_PARSER). */
  emergencyParser?: boolean;
  /** `Cap:AUTOREPORT_TEMP:1` and M155 (on in stock builds). */
  autoreportTemp?: boolean;
  /** `//action:` lines (HOST_ACTION_COMMANDS). */
  hostActions?: boolean;
  /** Command queue (BUFSIZE, 4 by default); the executing command keeps its slot until its ok. */
  bufsize?: number;
  /** Serial receive ring (RX_BUFFER_SIZE, 128 on UART boards); bytes arriving when it is full are lost. */
  rxBufferBytes?: number;
  /** Planner blocks (BLOCK_BUFFER_SIZE, 16). */
  blockBufferSize?: number;
  /** Time to process one command, from taking it off the queue to its ok. */
  turnaroundMs?: number;
  /** Time one planned move takes to run; 0 = moves never fill the planner. */
  moveMs?: number;
  homeMs?: number;
  /** Degrees per second the heaters change by. */
  heatRate?: number;
  /** Marlin 2.1 sends `ok` after `Resend:`; 2.0.x did not. */
  okAfterResend?: boolean;
  /** Silence while the bootloader runs after a reset; input is lost meanwhile. */
  bootMs?: number;
  /** Simulated seconds per real second for dwells and heating. */
  timeScale?: number;
  machineType?: string;
}

type Job = { command: string; n: number | null };

const AMBIENT = 25;

/**
 * The firmware end of a Marlin printer, as Marlin 2.1 behaves on the wire: a byte ring filled by
 * the "UART", lines moved into a BUFSIZE command queue only while a slot is free, numbered lines
 * checked (number, then checksum) with `Error:` + `Resend:` + `ok` after discarding all pending
 * input, one `ok` per command after it ran, planner blocks, heaters, busy lines, auto-reports,
 * kill() on thermal runaway. It records every command it runs, so tests compare with the file.
 */
export class MarlinFirmware {
  readonly opts: Required<MarlinFirmwareOptions>;
  /** Commands run, in order, without line numbers and checksums. */
  readonly executed: string[] = [];
  rxDroppedBytes = 0;
  lineErrors = 0;
  private rx: number[] = [];
  private readonly queue: Job[] = [];
  private executing = false;
  private lastN = 0;
  private booting = false;
  private dead = false;
  private planned = 0;
  private lastMoveEndsAt = 0;
  private readonly hotend = { actual: AMBIENT, target: 0 };
  private readonly bed = { actual: AMBIENT, target: 0 };
  private autoreportSec = 0;
  private busyIntervalMs = 2_000;
  private waitForHeatup = false;
  private readonly timers = new Set<NodeJS.Timeout>();
  private heaterTimer: NodeJS.Timeout | null = null;
  private autoreportTimer: NodeJS.Timeout | null = null;
  private eLine = '';
  private relative = false;
  private relativeE = false;
  readonly position = { X: 0, Y: 0, Z: 0, E: 0 };
  private plannerWaiters: Array<() => void> = [];

  constructor(
    options: MarlinFirmwareOptions,
    private readonly write: (text: string) => void,
  ) {
    this.opts = {
      advancedOk: options.advancedOk ?? false,
      emergencyParser: options.emergencyParser ?? false,
      autoreportTemp: options.autoreportTemp ?? true,
      hostActions: options.hostActions ?? false,
      bufsize: options.bufsize ?? 4,
      rxBufferBytes: options.rxBufferBytes ?? 128,
      blockBufferSize: options.blockBufferSize ?? 16,
      turnaroundMs: options.turnaroundMs ?? 1,
      moveMs: options.moveMs ?? 0,
      homeMs: options.homeMs ?? 1_500,
      heatRate: options.heatRate ?? 3,
      okAfterResend: options.okAfterResend ?? true,
      bootMs: options.bootMs ?? 300,
      timeScale: options.timeScale ?? 1,
      machineType: options.machineType ?? 'Printdeck Sim',
    };
  }

  get halted(): boolean {
    return this.dead;
  }

  get temperatures(): { hotend: { actual: number; target: number }; bed: { actual: number; target: number } } {
    return { hotend: { ...this.hotend }, bed: { ...this.bed } };
  }

  /** Power-up or reset (a DTR pulse on boards behind a USB-UART bridge): bootloader, then the banner. */
  boot(reason = ' External Reset'): void {
    this.clearTimers();
    this.rx = [];
    this.queue.length = 0;
    this.executing = false;
    this.lastN = 0;
    this.planned = 0;
    this.dead = false;
    this.booting = true;
    this.autoreportSec = 0;
    this.hotend.target = 0;
    this.bed.target = 0;
    this.later(this.opts.bootMs, () => {
      this.booting = false;
      this.write(`start\n${reason}\nMarlin 2.1.2.4\necho: Last Updated: 2024-10-14 | Author: (none, default config)\necho: Compiled: Oct 14 2024\necho: Free Memory: 4035  PlannerBufferBytes: 1152\necho:Hardcoded Default Settings Loaded\n`);
      this.startHeaters();
    });
  }

  /** Bytes as the UART hands them over. */
  receive(bytes: Uint8Array): void {
    if (this.dead || this.booting) return;
    for (const b of bytes) {
      if (this.opts.emergencyParser) this.emergencyByte(b);
      if (this.rx.length >= this.opts.rxBufferBytes) {
        this.rxDroppedBytes++;
        continue;
      }
      this.rx.push(b);
    }
    this.service();
  }

  /** Fault: the hotend (E0) or bed temperature runs away; Marlin kills itself. */
  thermalRunaway(heater: 'E0' | 'bed' = 'E0'): void {
    this.kill(`Thermal Runaway, system stopped! Heater_ID: ${heater}`);
  }

  stop(): void {
    this.clearTimers();
    this.dead = true;
  }

  private kill(cause: string | null): void {
    if (this.dead) return;
    if (cause) this.write(`Error:${cause}\n`);
    this.write('Error:Printer halted. kill() called!\n');
    if (this.opts.hostActions) this.write('//action:poweroff\n');
    this.clearTimers();
    this.dead = true;
    this.hotend.target = 0;
    this.bed.target = 0;
  }

  private emergencyByte(b: number): void {
    if (b !== 0x0a && b !== 0x0d) {
      if (this.eLine.length < 16) this.eLine += String.fromCharCode(b);
      return;
    }
    const word = /^\s*(?:N\d+\s*)?(M\d+)/i.exec(this.eLine)?.[1]?.toUpperCase();
    this.eLine = '';
    if (word === 'M112') {
      this.write('echo:M112 Shutdown\n');
      this.kill(null);
    } else if (word === 'M108') this.waitForHeatup = false;
    else if (word === 'M410') this.planned = 0;
  }

  /** Moves complete lines from the ring into the queue while a slot is free, then runs the queue. */
  private service(): void {
    while (!this.dead && this.queue.length < this.opts.bufsize) {
      const eol = this.rx.findIndex((b) => b === 0x0a || b === 0x0d);
      if (eol < 0) break;
      const raw = Buffer.from(this.rx.splice(0, eol + 1)).toString('latin1').slice(0, -1);
      this.acceptLine(raw);
    }
    if (!this.executing && this.queue.length > 0 && !this.dead) this.runNext();
  }

  private acceptLine(raw: string): void {
    // Comments never reach the queue; leading spaces are skipped.
    let line = raw.split(';')[0]!.slice(0, 95).replace(/^\s+/, '');
    if (line.trim() === '') return;
    let n: number | null = null;
    if (line.startsWith('N')) {
      const m110 = line.includes('M110');
      const second = m110 ? /M110.*?N(-?\d+)/.exec(line) : null;
      const number = Number.parseInt((second ? second[1] : /^N(-?\d+)/.exec(line)?.[1]) ?? 'NaN', 10);
      if (!m110 && number !== this.lastN + 1) return this.lineError('Line Number is not Last Line Number+1, Last Line: ');
      const star = line.lastIndexOf('*');
      if (star < 0) return this.lineError('No Checksum with line number, Last Line: ');
      if (Number.parseInt(line.slice(star + 1), 10) !== checksum(line.slice(0, star))) return this.lineError('checksum mismatch, Last Line: ');
      this.lastN = number;
      n = /^N(-?\d+)/.exec(line) ? Number(/^N(-?\d+)/.exec(line)![1]) : number;
      line = line.slice(0, star).replace(/^N-?\d+\s*/, '');
    } else {
      // The parser cuts an unnumbered line at `*` too (its checksum is never checked).
      const star = line.indexOf('*');
      if (star >= 0) line = line.slice(0, star);
    }
    this.queue.push({ command: line.trim(), n });
  }

  private lineError(message: string): void {
    this.lineErrors++;
    this.write(`Error:${message}${this.lastN}\n`);
    // Everything received after the bad line is thrown away, complete lines or not.
    this.rx = [];
    this.write(`Resend: ${this.lastN + 1}\n`);
    if (this.opts.okAfterResend) this.write('ok\n');
  }

  private runNext(): void {
    const job = this.queue[0]!;
    this.executing = true;
    this.executed.push(job.command);
    this.execute(job.command, (extra) => {
      if (this.dead) return;
      this.later(this.opts.turnaroundMs, () => {
        if (this.dead) return;
        if (extra !== undefined) this.write(extra);
        else this.write(this.okLine(job));
        this.queue.shift();
        this.executing = false;
        this.service();
      });
    });
  }

  private okLine(job: Job): string {
    if (!this.opts.advancedOk) return 'ok\n';
    const plannerFree = Math.max(0, this.opts.blockBufferSize - 1 - this.planned);
    const queueFree = this.opts.bufsize - this.queue.length;
    return `ok${job.n === null ? '' : ` N${job.n}`} P${plannerFree} B${queueFree}\n`;
  }

  /** Runs one command; `done` gets the full reply when the command answers for itself (M105). */
  private execute(command: string, done: (reply?: string) => void): void {
    const word = /^([GMT])0*(\d+)/i.exec(command);
    const code = word ? `${word[1]!.toUpperCase()}${word[2]}` : '';
    const num = (letter: string): number | null => {
      const m = new RegExp(`${letter}(-?\\d+(?:\\.\\d+)?)`, 'i').exec(command.slice(code.length));
      return m ? Number(m[1]) : null;
    };
    switch (code) {
      case 'G0':
      case 'G1':
      case 'G2':
      case 'G3':
        this.track(num);
        return this.plan(() => done());
      case 'G4': {
        const ms = (num('P') ?? (num('S') ?? 0) * 1000) / this.opts.timeScale;
        return this.busyFor(ms, () => done());
      }
      case 'G28':
        return this.whenPlannerEmpty(() =>
          this.busyFor(this.opts.homeMs, () => {
            this.position.X = this.position.Y = this.position.Z = 0;
            done();
          }),
        );
      case 'G90':
        this.relative = false;
        this.relativeE = false;
        return done();
      case 'G91':
        this.relative = true;
        this.relativeE = true;
        return done();
      case 'M82':
        this.relativeE = false;
        return done();
      case 'M83':
        this.relativeE = true;
        return done();
      case 'G92':
        for (const axis of ['X', 'Y', 'Z', 'E'] as const) {
          const v = num(axis);
          if (v !== null) this.position[axis] = v;
        }
        return done();
      case 'M104':
        this.hotend.target = num('S') ?? 0;
        return done();
      case 'M140':
        this.bed.target = num('S') ?? 0;
        return done();
      case 'M109':
      case 'M190': {
        const heater = code === 'M109' ? this.hotend : this.bed;
        const target = num('S') ?? num('R');
        if (target !== null) heater.target = target;
        return this.waitHeater(heater, () => done());
      }
      case 'M105':
        return done(`ok ${this.tempReport()}\n`);
      case 'M155':
        this.autoreportSec = this.opts.autoreportTemp ? Math.min(255, num('S') ?? 0) : 0;
        this.restartAutoreport();
        return done();
      case 'M113':
        this.busyIntervalMs = Math.max(0, (num('S') ?? 2) * 1000);
        return done();
      case 'M114':
        this.write(`X:${this.position.X.toFixed(2)} Y:${this.position.Y.toFixed(2)} Z:${this.position.Z.toFixed(2)} E:${this.position.E.toFixed(2)} Count X:0 Y:0 Z:0\n`);
        return done();
      case 'M400':
        return this.whenPlannerEmpty(() => done());
      case 'M115':
        this.write(`${this.m115()}\n`);
        return done();
      case 'M112':
        this.write('echo:M112 Shutdown\n');
        return this.kill(null);
      case 'M110':
      case 'M108':
      case 'M410':
        return done();
      default:
        if (word) return done();
        this.write(`echo:Unknown command: "${command}"\n`);
        return done();
    }
  }

  private track(num: (letter: string) => number | null): void {
    for (const axis of ['X', 'Y', 'Z', 'E'] as const) {
      const v = num(axis);
      if (v === null) continue;
      const relative = axis === 'E' ? this.relativeE : this.relative;
      this.position[axis] = relative ? this.position[axis] + v : v;
    }
  }

  private m115(): string {
    const caps: Array<[string, boolean]> = [
      ['SERIAL_XON_XOFF', false],
      ['BINARY_FILE_TRANSFER', false],
      ['EEPROM', true],
      ['VOLUMETRIC', true],
      ['AUTOREPORT_POS', false],
      ['AUTOREPORT_TEMP', this.opts.autoreportTemp],
      ['PROGRESS', false],
      ['PRINT_JOB', true],
      ['AUTOLEVEL', false],
      ['Z_PROBE', false],
      ['EMERGENCY_PARSER', this.opts.emergencyParser],
      ['HOST_ACTION_COMMANDS', this.opts.hostActions],
      ['SDCARD', false],
      ['THERMAL_PROTECTION', true],
      ['ARCS', true],
    ];
    return [
      `FIRMWARE_NAME:Marlin 2.1.2.4 (Oct 14 2024 12:00:00) SOURCE_CODE_URL:github.com/MarlinFirmware/Marlin PROTOCOL_VERSION:1.0 MACHINE_TYPE:${this.opts.machineType} KINEMATICS:Cartesian EXTRUDER_COUNT:1 UUID:cede2a2f-41a2-4748-9b12-c55c62f367ff`,
      ...caps.map(([name, on]) => `Cap:${name}:${on ? 1 : 0}`),
    ].join('\n');
  }

  private tempReport(): string {
    const f = (v: number): string => v.toFixed(2);
    return `T:${f(this.hotend.actual)} /${f(this.hotend.target)} B:${f(this.bed.actual)} /${f(this.bed.target)} @:0 B@:0`;
  }

  /** A move takes a planner block, waiting while the planner is full (as Marlin's G1 does). */
  private plan(done: () => void): void {
    if (this.opts.moveMs <= 0) return done();
    if (this.planned < this.opts.blockBufferSize - 1) {
      this.planned++;
      const now = performance.now();
      this.lastMoveEndsAt = Math.max(now, this.lastMoveEndsAt) + this.opts.moveMs;
      this.later(this.lastMoveEndsAt - now, () => {
        this.planned = Math.max(0, this.planned - 1);
        const waiters = this.plannerWaiters;
        this.plannerWaiters = [];
        for (const w of waiters) w();
      });
      return done();
    }
    this.plannerWaiters.push(() => this.plan(done));
  }

  private whenPlannerEmpty(done: () => void): void {
    if (this.planned === 0) return done();
    this.plannerWaiters.push(() => this.whenPlannerEmpty(done));
  }

  /** Blocks for `ms`, saying `busy: processing` every M113 interval meanwhile. */
  private busyFor(ms: number, done: () => void): void {
    const started = performance.now();
    const step = (): void => {
      if (this.dead) return;
      const left = ms - (performance.now() - started);
      if (left <= 0) return done();
      if (this.busyIntervalMs > 0 && performance.now() - started >= this.busyIntervalMs - 1) this.write('echo:busy: processing\n');
      this.later(Math.min(left, this.busyIntervalMs || left), step);
    };
    this.later(Math.min(ms, this.busyIntervalMs || ms), step);
  }

  private waitHeater(heater: { actual: number; target: number }, done: () => void): void {
    this.waitForHeatup = true;
    const check = (): void => {
      if (this.dead) return;
      if (!this.waitForHeatup || heater.target <= 0 || heater.actual >= heater.target - 1) {
        this.waitForHeatup = false;
        return done();
      }
      this.write(` ${this.tempReport()} W:?\n`);
      this.later(1_000, check);
    };
    check();
  }

  private startHeaters(): void {
    if (this.heaterTimer) return;
    let last = performance.now();
    this.heaterTimer = setInterval(() => {
      const now = performance.now();
      const step = ((now - last) / 1000) * this.opts.heatRate * this.opts.timeScale;
      last = now;
      for (const h of [this.hotend, this.bed]) {
        const goal = h.target > 0 ? h.target : AMBIENT;
        h.actual = h.actual < goal ? Math.min(goal, h.actual + step) : Math.max(goal, h.actual - step);
      }
    }, 100);
    this.heaterTimer.unref();
  }

  private restartAutoreport(): void {
    if (this.autoreportTimer) clearInterval(this.autoreportTimer);
    this.autoreportTimer = null;
    if (this.autoreportSec <= 0) return;
    this.autoreportTimer = setInterval(() => {
      if (!this.dead && !this.waitForHeatup) this.write(` ${this.tempReport()}\n`);
    }, this.autoreportSec * 1000);
    this.autoreportTimer.unref();
  }

  private later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, Math.max(0, ms));
    this.timers.add(t);
  }

  private clearTimers(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.plannerWaiters = [];
    if (this.heaterTimer) clearInterval(this.heaterTimer);
    this.heaterTimer = null;
    if (this.autoreportTimer) clearInterval(this.autoreportTimer);
    this.autoreportTimer = null;
  }
}
