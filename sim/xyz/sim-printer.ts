import { findModel, type XyzContainer, type XyzModel } from '../../src/main/printers/xyz/models';
import { decodeStatus, type XyzField, type XyzStatus } from '../../src/main/printers/xyz/protocol';
import { decodeThreeW, ThreeWError } from '../../src/main/printers/xyz/threew';
import { planFromGcode, type PrintPlan } from './gcode-plan';

export interface SimPrinterOptions {
  /** Model number as the printer reports it, e.g. `dv1NX0A000`. */
  model: string;
  serial?: string;
  name?: string;
  /** Simulated seconds per real second (a demo print of an hour takes a minute at 60). */
  timeScale?: number;
  cartridge?: boolean;
  filamentMm?: number;
  /** Containers the firmware takes; default: the model's and its alternate. */
  acceptContainers?: readonly XyzContainer[];
  /** Simulated seconds the printer spends checking an uploaded file (the nano blinks ~1 min). */
  fileCheckSec?: number;
  doneHoldSec?: number;
  /** The file name `query=Z` reports before anything was printed (the nano remembers its last job). */
  lastPrintFile?: string;
}

export interface SimJob {
  name: string;
  plan: PrintPlan;
  printedSec: number;
  filamentAtStart: number;
}

type Phase =
  | { kind: 'idle' }
  | { kind: 'checking'; until: number; name: string; bytes: Uint8Array }
  | { kind: 'heating'; job: SimJob }
  | { kind: 'printing'; job: SimJob }
  | { kind: 'paused'; job: SimJob }
  | { kind: 'cancelling'; until: number }
  | { kind: 'ending'; until: number; job: SimJob }
  | { kind: 'done'; until: number; job: SimJob }
  | { kind: 'action'; action: string; code: number; sub: number; until: number | null; heatTo: number | null };

export type SimActionEvent = { action: string; stat: string };

/** Machine error values: flags in the top byte, code in the low 16 bits. */
export const SIM_ERRORS = {
  noCartridge: 0x40000206,
  unsupportedFile: 0x0000020d,
  communication: 0x00000201,
  busy: 0x0000001b,
} as const;

const ROOM_C = 25;
const HEAT_C_PER_SEC = 2;
const COOL_C_PER_SEC = 1;
const ERROR_HOLD_SEC = 30;

/**
 * The state of one simulated da Vinci, independent of how it is reached: idle → checking →
 * heating → printing → ending → done → idle, pause/resume/cancel, maintenance actions, busy
 * spells, a removable cartridge, and the validation a printer does on an uploaded `.3w`.
 * Time is simulated (`timeScale`) and advanced lazily whenever someone looks.
 */
export class SimPrinter {
  readonly model: XyzModel;
  readonly serial: string;
  readonly name: string;
  readonly timeScale: number;
  private readonly accept: readonly XyzContainer[];
  private readonly fileCheckSec: number;
  private readonly doneHoldSec: number;
  private readonly startedReal = Date.now();
  private lastSim = 0;
  private phase: Phase = { kind: 'idle' };
  private nozzleC = ROOM_C;
  private nozzleTarget = 0;
  private cartridge: boolean;
  private filamentMm: number;
  private fileError: { value: number; until: number } | null = null;
  private busyUntilReal = 0;
  private lastPrintFile: { name: string; complete: boolean } | null = null;
  private readonly listeners = new Set<(event: SimActionEvent) => void>();
  /** Last files received, newest last (tests read them). */
  readonly received: { name: string; bytes: Uint8Array; container: XyzContainer | 'invalid' }[] = [];
  token: string | null = null;
  private endingAnswered = false;

  constructor(options: SimPrinterOptions) {
    const model = findModel(options.model);
    if (!model) throw new Error(`unknown da Vinci model ${options.model}`);
    this.model = model;
    this.serial = options.serial ?? `${model.serialPrefixes[0] ?? '3FXXXX'}US5TH7CM0041`.slice(0, 18);
    this.name = options.name ?? model.name;
    this.timeScale = options.timeScale ?? 1;
    this.cartridge = options.cartridge ?? true;
    this.filamentMm = options.filamentMm ?? 120_000;
    this.accept = options.acceptContainers ?? [model.container, ...(model.alternateContainer ? [model.alternateContainer] : [])];
    this.fileCheckSec = options.fileCheckSec ?? 20;
    this.doneHoldSec = options.doneHoldSec ?? 30;
    this.lastPrintFile = { name: options.lastPrintFile ?? '', complete: false };
  }

  // --- observation ---

  onAction(listener: (event: SimActionEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Simulated seconds since start. */
  simNow(): number {
    return ((Date.now() - this.startedReal) / 1000) * this.timeScale;
  }

  get phaseKind(): Phase['kind'] {
    this.advance();
    return this.phase.kind;
  }

  get busy(): boolean {
    return Date.now() < this.busyUntilReal;
  }

  get job(): SimJob | null {
    this.advance();
    const p = this.phase;
    return 'job' in p ? p.job : null;
  }

  get progress(): number {
    const job = this.job;
    return job ? Math.min(1, job.printedSec / job.plan.totalSec) : 0;
  }

  /** `j` as the new-style code and substate. */
  stateCode(): { code: number; sub: number } {
    this.advance();
    if (this.busy) return { code: 9700, sub: 0 };
    switch (this.phase.kind) {
      case 'idle':
        return { code: 9511, sub: 0 };
      case 'checking':
        return { code: 9520, sub: 0 };
      case 'heating':
        return { code: 9501, sub: 0 };
      case 'printing':
        return { code: 9505, sub: 0 };
      case 'paused':
        return { code: 9601, sub: 0 };
      case 'cancelling':
        return { code: 9602, sub: 0 };
      case 'ending':
        return { code: 9508, sub: 0 };
      case 'done':
        return { code: 9509, sub: 0 };
      case 'action':
        return { code: this.phase.code, sub: this.phase.sub };
    }
  }

  /**
   * While a print ends, the nano answered every command with `E7$` once and then `E4$` until it
   * reported 9509 (CAP, exchanges 321–334). Returns that code, or null when commands are answered.
   */
  rejectAllWith(): number | null {
    this.advance();
    if (this.phase.kind !== 'ending') return null;
    const first = !this.endingAnswered;
    this.endingAnswered = true;
    return first ? 7 : 4;
  }

  errorValue(): number {
    this.advance();
    if (this.busy) return SIM_ERRORS.busy;
    if (!this.cartridge) return SIM_ERRORS.noCartridge;
    return this.fileError?.value ?? 0;
  }

  temperatures(): { nozzle: number; target: number } {
    this.advance();
    return { nozzle: Math.round(this.nozzleC), target: Math.round(this.nozzleTarget) };
  }

  filamentRemaining(): number | null {
    this.advance();
    if (!this.cartridge) return null;
    const job = this.job;
    if (!job) return Math.round(this.filamentMm);
    return Math.max(0, Math.round(job.filamentAtStart - job.plan.filamentMm * this.progress));
  }

  /** `d:` values: percent, elapsed minutes, remaining minutes. */
  jobNumbers(): { percent: number; elapsedMin: number; remainingMin: number } | null {
    const job = this.job;
    if (!job) return null;
    const remaining = Math.max(0, job.plan.totalSec - job.printedSec);
    return { percent: Math.floor(this.progress * 100), elapsedMin: Math.floor(job.printedSec / 60), remainingMin: Math.ceil(remaining / 60) };
  }

  /**
   * The `query=` reply as the firmware formats it (nano fw 3.2.0 style). The nano sends
   * `Z` (print file) only when asked for it by name, not in `query=a` (CAP).
   */
  statusFields(keys = 'a'): XyzField[] {
    const { code, sub } = this.stateCode();
    const temps = this.temperatures();
    const d = this.jobNumbers();
    const remaining = this.filamentRemaining();
    const lines: [string, string][] = [
      ['b', this.model.capabilities.heatedBed ? String(ROOM_C) : '0'],
      ['c', '{357,377,399,373,381,383,388,376,363,0.0,0.0,0.0}'],
      ['d', d ? `${d.percent},${d.elapsedMin},${d.remainingMin}` : '0,0,0'],
      ['w', `1,${this.cartridge ? 'GB9XZTH988P001' : '--------------'}`],
      ['e', String(this.errorValue())],
      ['f', `1,${remaining ?? -1}`],
      ['i', this.serial],
      ['j', `${code},${sub}`],
      ['L', '1,1279,187,108'],
      ['m', '0,0,0'],
      ['o', 'p8,t1,c1,a+'],
      ['p', this.model.modelNumber],
      ['s', '{"fm":0,"fd":1,"sd":"yes","button":"no","buzzer":"on"}'],
      ['t', `1,${temps.nozzle},${temps.target}`],
      ['v', '3.2.0'],
      ['n', this.name],
      ['X', '75,GB-0002-0000-TH-7CG-0270-185'],
      ['l', 'en'],
      ['z', '-469'],
    ];
    if (keys.includes('Z') && this.model.modelNumber === 'dv1NX0A000' && this.lastPrintFile) {
      lines.push(['Z', JSON.stringify({ PrintFile: this.lastPrintFile.name, Complete: this.lastPrintFile.complete ? 1 : 0 })]);
    }
    if (this.model.transports.includes('wifi')) lines.push(['4', '{"wlan":{"ip":"127.0.0.1","ssid":"printdeck-sim","channel":"6","MAC":"00:0d:5c:00:00:01","rssiValue":"48"}}']);
    return lines.map(([key, value]) => ({ key, value }));
  }

  status(keys = 'a'): XyzStatus {
    return decodeStatus(this.statusFields(keys));
  }

  // --- commands ---

  setBusy(realMs: number): void {
    this.busyUntilReal = Date.now() + realMs;
  }

  setCartridge(present: boolean): void {
    this.cartridge = present;
  }

  /** null when an upload may start, else why not (E code for the reply). */
  refuseUpload(): string | null {
    this.advance();
    if (this.busy) return 'busy';
    if (this.phase.kind === 'done') return 'not-idle';
    return this.phase.kind === 'idle' ? null : 'not-idle';
  }

  /** An upload began: a new file clears the last file error. */
  beginUpload(): void {
    this.fileError = null;
  }

  /** Every byte arrived: check it like the firmware does, then heat and print. */
  receiveFile(name: string, bytes: Uint8Array): void {
    this.advance();
    this.lastPrintFile = { name, complete: false };
    this.phase = { kind: 'checking', until: this.simNow() + this.fileCheckSec, name, bytes };
  }

  jobControl(control: 'pause' | 'resume' | 'cancel' | 'complete'): boolean {
    this.advance();
    if (this.busy) return false;
    const p = this.phase;
    switch (control) {
      case 'pause':
        if (p.kind !== 'printing' && p.kind !== 'heating') return false;
        this.phase = { kind: 'paused', job: p.job };
        return true;
      case 'resume':
        if (p.kind !== 'paused') return false;
        this.phase = { kind: this.nozzleC >= p.job.plan.nozzleC - 2 ? 'printing' : 'heating', job: p.job };
        return true;
      case 'cancel':
        if (p.kind !== 'printing' && p.kind !== 'heating' && p.kind !== 'paused' && p.kind !== 'checking') return false;
        this.nozzleTarget = 0;
        this.phase = { kind: 'cancelling', until: this.simNow() + 3 };
        return true;
      case 'complete':
        if (p.kind !== 'done') return p.kind === 'idle';
        this.phase = { kind: 'idle' };
        return true;
    }
  }

  /** `action=`. Returns the first stat, or null when refused. */
  action(command: string): string | null {
    this.advance();
    if (this.busy || this.model.capabilities.maintenance.length === 0) return null;
    const p = this.phase;
    const now = this.simNow();
    const [name = '', arg = ''] = command.split(/:(.*)/s);
    const inAction = p.kind === 'action' ? p : null;
    if (p.kind !== 'idle' && !(inAction && inAction.action === name)) return null;
    switch (`${name}:${name === 'jog' ? 'x' : arg}`) {
      case 'home:x':
      case 'home:':
        this.phase = { kind: 'action', action: 'home', code: 9534, sub: 5, until: now + 10, heatTo: null };
        return 'start';
      case 'jog:x':
        if (!/"axis"\s*:\s*"[xyz]"/.test(arg)) return null;
        this.phase = { kind: 'action', action: 'jog', code: 9532, sub: 30, until: now + 3, heatTo: null };
        return 'start';
      case 'load:new':
        this.nozzleTarget = 210;
        this.phase = { kind: 'action', action: 'load', code: 9530, sub: 11, until: null, heatTo: 210 };
        return 'start';
      case 'load:cancel':
        if (!inAction) return null;
        this.finishAction('complete');
        return 'complete';
      case 'unload:new':
        this.nozzleTarget = 210;
        this.phase = { kind: 'action', action: 'unload', code: 9531, sub: 21, until: null, heatTo: 210 };
        return 'start';
      case 'unload:cancel':
        if (!inAction) return null;
        this.finishAction('complete');
        return 'complete';
      case 'calibratejr:new':
        this.phase = { kind: 'action', action: 'calibratejr', code: 9535, sub: 41, until: null, heatTo: null };
        this.emit({ action: 'calibratejr', stat: 'pressdetector' });
        return 'start';
      case 'calibratejr:detectorok':
        if (inAction?.sub !== 41) return null;
        this.phase = { ...inAction, sub: 43, until: now + 20 };
        return 'processing';
      case 'calibratejr:release':
        if (inAction?.sub !== 44) return null;
        this.finishAction('complete');
        return 'complete';
      default:
        return null;
    }
  }

  /** The link went away in the middle of an upload: nothing changes on the printer. */
  abortUpload(): void {
    /* The firmware drops the partial file and stays idle. */
  }

  // --- simulation ---

  private emit(event: SimActionEvent): void {
    for (const l of [...this.listeners]) l(event);
  }

  private finishAction(stat: string): void {
    const p = this.phase;
    if (p.kind !== 'action') return;
    this.nozzleTarget = 0;
    this.phase = { kind: 'idle' };
    this.emit({ action: p.action, stat });
  }

  /** Moves simulated time forward to now, one phase change at a time. */
  private advance(): void {
    const now = this.simNow();
    let t = this.lastSim;
    for (let guard = 0; guard < 100 && t < now; guard++) {
      const end = Math.min(now, Math.max(t, this.phaseEnd(t) ?? now));
      this.run(t, end);
      t = end;
      if (this.phaseEnd(t) !== null && (this.phaseEnd(t) ?? Infinity) <= t) this.transition(t);
    }
    this.lastSim = now;
    if (this.fileError && this.fileError.until <= now) this.fileError = null;
  }

  /** When the current phase ends on its own, in sim seconds (null = not by time alone). */
  private phaseEnd(t: number): number | null {
    const p = this.phase;
    switch (p.kind) {
      case 'checking':
      case 'cancelling':
      case 'ending':
      case 'done':
        return p.until;
      case 'heating':
        return t + Math.max(0, (p.job.plan.nozzleC - 2 - this.nozzleC) / HEAT_C_PER_SEC);
      case 'printing':
        return t + Math.max(0, p.job.plan.totalSec - p.job.printedSec);
      case 'action':
        if (p.heatTo !== null && p.until === null) return t + Math.max(0, (p.heatTo - 2 - this.nozzleC) / HEAT_C_PER_SEC);
        return p.until;
      default:
        return null;
    }
  }

  /** Temperatures and print time over [from, to). */
  private run(from: number, to: number): void {
    const dt = to - from;
    if (dt <= 0) return;
    if (this.nozzleTarget > this.nozzleC) this.nozzleC = Math.min(this.nozzleTarget, this.nozzleC + HEAT_C_PER_SEC * dt);
    else if (this.nozzleTarget === 0) this.nozzleC = Math.max(ROOM_C, this.nozzleC - COOL_C_PER_SEC * dt);
    const p = this.phase;
    if (p.kind === 'printing') p.job.printedSec = Math.min(p.job.plan.totalSec, p.job.printedSec + dt);
  }

  private transition(t: number): void {
    const p = this.phase;
    switch (p.kind) {
      case 'checking':
        this.finishCheck(t, p.name, p.bytes);
        return;
      case 'heating':
        this.phase = { kind: 'printing', job: p.job };
        return;
      case 'printing':
        this.nozzleTarget = 0;
        this.filamentMm = Math.max(0, p.job.filamentAtStart - p.job.plan.filamentMm);
        this.endingAnswered = false;
        this.phase = { kind: 'ending', until: t + 5, job: p.job };
        return;
      case 'ending':
        if (this.lastPrintFile) this.lastPrintFile.complete = true;
        this.phase = { kind: 'done', until: t + this.doneHoldSec, job: p.job };
        return;
      case 'done':
      case 'cancelling':
        this.phase = { kind: 'idle' };
        this.token = null;
        return;
      case 'action':
        if (p.heatTo !== null && p.until === null) {
          // Heated: now feeding filament (load waits for the person, unload runs 15 s).
          this.phase = { ...p, sub: p.sub + 1, heatTo: null, until: p.action === 'unload' ? t + 15 : t + 120 };
          if (p.action === 'load') this.emit({ action: 'load', stat: 'load' });
          return;
        }
        if (p.action === 'calibratejr' && p.sub === 43) {
          this.phase = { ...p, sub: 44, until: null };
          this.emit({ action: 'calibratejr', stat: 'ok' });
          return;
        }
        this.finishAction('complete');
        return;
      default:
        return;
    }
  }

  /**
   * How the firmware judges an uploaded file: a readable container of a kind this
   * model takes, made for this model (`; machine =`), with a cartridge in. Returns the G-code to
   * print, or the machine error it would raise.
   */
  judgeFile(bytes: Uint8Array): { container: XyzContainer | 'invalid'; gcode: Uint8Array | null; error: number | null } {
    let container: XyzContainer | 'invalid' = 'invalid';
    try {
      const decoded = decodeThreeW(bytes, { verifyCrc: true, strictPadding: true });
      if (decoded.info.container === 'legacy-base64') throw new ThreeWError('UNSUPPORTED_VERSION', 'base64 file');
      container = decoded.info.container;
      if (!this.cartridge) return { container, gcode: null, error: SIM_ERRORS.noCartridge };
      // The firmware reads `; machine =` and refuses other models' files.
      if (!this.accept.includes(container) || decoded.info.machine !== this.model.fileId) return { container, gcode: null, error: SIM_ERRORS.unsupportedFile };
      return { container, gcode: decoded.gcode, error: null };
    } catch (err) {
      if (!this.cartridge) return { container, gcode: null, error: SIM_ERRORS.noCartridge };
      const version = err instanceof ThreeWError && ['BAD_MAGIC', 'UNSUPPORTED_VERSION', 'UNKNOWN_TAG'].includes(err.code);
      return { container: 'invalid', gcode: null, error: version ? SIM_ERRORS.unsupportedFile : SIM_ERRORS.communication };
    }
  }

  /** A file the link layer refused before it reached the printer's check (v2 `OFFLINE_FAIL`). */
  recordRejected(name: string, bytes: Uint8Array, container: XyzContainer | 'invalid'): void {
    this.received.push({ name, bytes, container });
  }

  get hasCartridge(): boolean {
    return this.cartridge;
  }

  private finishCheck(t: number, name: string, bytes: Uint8Array): void {
    this.phase = { kind: 'idle' };
    const fail = (value: number): void => {
      this.fileError = { value, until: t + ERROR_HOLD_SEC };
    };
    if (!this.cartridge) return fail(SIM_ERRORS.noCartridge);
    const verdict = this.judgeFile(bytes);
    this.received.push({ name, bytes, container: verdict.container });
    if (verdict.error !== null || !verdict.gcode) return fail(verdict.error ?? SIM_ERRORS.communication);
    const plan = planFromGcode(verdict.gcode);
    this.nozzleTarget = plan.nozzleC;
    this.phase = { kind: 'heating', job: { name, plan, printedSec: 0, filamentAtStart: this.filamentMm } };
  }
}
