/**
 * A virtual Klipper (Klippy host + MCU) for the Moonraker simulator: the lifecycle
 * (startup → ready | error, ready → shutdown), a job driven by the file's size over time,
 * heaters that approach their targets, and the G-code a control client sends.
 */

export type KlippyState = 'disconnected' | 'startup' | 'ready' | 'error' | 'shutdown';

/** Klipper's own texts, so clients see what they would see on a real printer. */
export const READY_MESSAGE = 'Printer is ready';
export const STARTUP_MESSAGE = 'Printer is not ready\nThe klippy host software is attempting to connect.  Please\nretry in a few moments.';
const SHUTDOWN_HINT = '\nOnce the underlying issue is corrected, use the\n"FIRMWARE_RESTART" command to reset the firmware, reload the\nconfig, and restart the host software.\nPrinter is shutdown';

/** A G-code or endpoint failure in Klipper's words (Moonraker forwards it as error 400). */
export class KlipperError extends Error {}

interface Heater {
  temperature: number;
  target: number;
  power: number;
}

export interface JobEvents {
  started(filename: string): void;
  finished(filename: string, status: 'completed' | 'cancelled' | 'error' | 'klippy_shutdown'): void;
  gcodeResponse(line: string): void;
}

const AMBIENT = 22;
const HEAT_RATE = 0.25; // approach factor per second of simulated time

export class VirtualKlipper {
  state: KlippyState = 'disconnected';
  stateMessage = 'Klippy Disconnected';
  readonly extruder: Heater = { temperature: AMBIENT, target: 0, power: 0 };
  readonly bed: Heater = { temperature: AMBIENT, target: 0, power: 0 };
  printStats = { state: 'standby', filename: '', print_duration: 0, total_duration: 0, filament_used: 0, message: '' };
  sd = { progress: 0, is_active: false, file_position: 0, file_size: 0, file_path: null as string | null };
  homedAxes = '';
  position = [0, 0, 0, 0];
  relative = false;
  private savedRelative = new Map<string, boolean>();
  displayMessage: string | null = null;
  idleState: 'Idle' | 'Ready' | 'Printing' = 'Ready';
  /** Wall-clock ms the current job started (the simulated clock is wall time × timeScale). */
  jobStartedAt = 0;
  private heatedUp = false;

  constructor(
    private readonly options: { timeScale: number; bytesPerSecond: number },
    private readonly events: JobEvents,
  ) {}

  get timeScale(): number {
    return this.options.timeScale;
  }

  /** The objects a client can subscribe to, with every field. */
  objects(): Record<string, Record<string, unknown>> {
    return {
      webhooks: { state: this.state === 'disconnected' ? 'startup' : this.state, state_message: this.stateMessage },
      print_stats: { ...this.printStats, info: { total_layer: null, current_layer: null } },
      virtual_sdcard: { ...this.sd },
      display_status: { progress: this.sd.progress, message: this.displayMessage },
      extruder: { ...this.extruder, can_extrude: this.extruder.temperature >= 170, pressure_advance: 0.04, smooth_time: 0.04 },
      heater_bed: { ...this.bed },
      toolhead: { homed_axes: this.homedAxes, position: [...this.position], extruder: 'extruder', max_velocity: 300, max_accel: 3000 },
      idle_timeout: { state: this.idleState, printing_time: 0 },
      pause_resume: { is_paused: this.printStats.state === 'paused' },
    };
  }

  setState(state: KlippyState, message: string): void {
    this.state = state;
    this.stateMessage = message;
  }

  /** Advances simulated time by `dtMs` of wall time. */
  tick(dtMs: number, now: number): void {
    const dt = (dtMs / 1000) * this.options.timeScale;
    for (const h of [this.extruder, this.bed]) {
      const goal = h.target > 0 ? h.target : AMBIENT;
      const step = (goal - h.temperature) * Math.min(1, HEAT_RATE * dt);
      h.temperature = Math.abs(goal - h.temperature) < 0.3 ? goal : h.temperature + step;
      h.power = h.target > h.temperature ? 0.8 : h.target > 0 ? 0.3 : 0;
      h.temperature = Math.round(h.temperature * 100) / 100;
    }
    const job = this.printStats.state;
    if (job !== 'printing' && job !== 'paused') return;
    this.printStats.total_duration = ((now - this.jobStartedAt) / 1000) * this.options.timeScale;
    if (job !== 'printing') return;
    if (!this.heatedUp) {
      // The start G-code heats and waits (M190/M109) before the first extrusion.
      this.heatedUp = Math.abs(this.extruder.temperature - this.extruder.target) < 2 && Math.abs(this.bed.temperature - this.bed.target) < 2;
      if (!this.heatedUp) return;
    }
    this.printStats.print_duration += dt;
    const advanced = Math.min(this.sd.file_size, this.sd.file_position + Math.max(1, Math.round(this.options.bytesPerSecond * dt)));
    this.printStats.filament_used += (advanced - this.sd.file_position) * 0.05;
    this.sd.file_position = advanced;
    this.sd.progress = this.sd.file_size === 0 ? 1 : advanced / this.sd.file_size;
    this.position = [50 + 40 * Math.sin(advanced / 500), 50 + 40 * Math.cos(advanced / 700), Math.round(advanced / 20_000) / 5, this.printStats.filament_used];
    if (advanced >= this.sd.file_size) this.endJob('complete');
  }

  startPrint(filename: string, size: number, now: number): void {
    this.requireReady();
    if (this.printStats.state === 'printing' || this.printStats.state === 'paused') throw new KlipperError('SD busy');
    this.printStats = { state: 'printing', filename, print_duration: 0, total_duration: 0, filament_used: 0, message: '' };
    this.sd = { progress: 0, is_active: true, file_position: 0, file_size: size, file_path: `/home/pi/printer_data/gcodes/${filename}` };
    this.jobStartedAt = now;
    this.heatedUp = false;
    this.extruder.target = 205;
    this.bed.target = 60;
    this.homedAxes = 'xyz';
    this.idleState = 'Printing';
    this.events.started(filename);
  }

  pause(): void {
    this.requireReady();
    if (this.printStats.state === 'paused') return this.events.gcodeResponse('// Print already paused');
    if (this.printStats.state !== 'printing') throw new KlipperError('Print is not active');
    this.printStats.state = 'paused';
    this.sd.is_active = false;
    this.events.gcodeResponse('// action:paused');
  }

  resume(): void {
    this.requireReady();
    if (this.printStats.state !== 'paused') return this.events.gcodeResponse('// Print is not paused, resume aborted');
    this.printStats.state = 'printing';
    this.sd.is_active = true;
    this.events.gcodeResponse('// action:resumed');
  }

  cancel(): void {
    this.requireReady();
    if (this.printStats.state !== 'printing' && this.printStats.state !== 'paused') return;
    this.endJob('cancelled');
    this.events.gcodeResponse('// action:cancel');
  }

  /** Emergency stop or an MCU/heater fault: Klipper halts and says why. */
  shutdown(reason: string): void {
    if (this.state !== 'ready') return;
    this.extruder.target = 0;
    this.bed.target = 0;
    if (this.printStats.state === 'printing' || this.printStats.state === 'paused') this.endJob('error', reason, 'klippy_shutdown');
    this.homedAxes = '';
    this.setState('shutdown', `${reason}${SHUTDOWN_HINT}`);
  }

  /** What FIRMWARE_RESTART / a Klippy restart leave: no job, no homing, heaters off. */
  resetForRestart(): void {
    this.extruder.target = 0;
    this.bed.target = 0;
    this.homedAxes = '';
    this.relative = false;
    this.idleState = 'Ready';
    if (this.printStats.state === 'printing' || this.printStats.state === 'paused') this.endJob('error', 'Klippy restarted', 'klippy_shutdown');
    this.printStats = { ...this.printStats, state: 'standby', filename: '', message: '' };
    this.sd = { progress: 0, is_active: false, file_position: 0, file_size: 0, file_path: null };
  }

  /** Runs a G-code script line by line; stops at the first error, as Klipper does. */
  runScript(script: string): void {
    for (const raw of script.split('\n')) {
      const line = raw.replace(/;.*$/, '').trim();
      if (line === '') continue;
      this.runLine(line);
    }
  }

  private runLine(line: string): void {
    const [command = '', ...args] = line.split(/\s+/);
    const cmd = command.toUpperCase();
    if (this.state !== 'ready' && !['M110', 'M112', 'M115', 'RESTART', 'FIRMWARE_RESTART', 'ECHO', 'STATUS', 'HELP'].includes(cmd)) {
      throw new KlipperError(this.stateMessage);
    }
    const params = new Map(args.map((a) => (a.includes('=') ? [a.split('=')[0]!.toUpperCase(), a.split('=')[1] ?? ''] : [a[0]!.toUpperCase(), a.slice(1)])));
    const num = (key: string): number | undefined => (params.has(key) ? Number(params.get(key)) : undefined);
    switch (cmd) {
      case 'G28':
        this.homedAxes = 'xyz';
        this.position = [0, 0, 0, this.position[3] ?? 0];
        return;
      case 'G90':
        this.relative = false;
        return;
      case 'G91':
        this.relative = true;
        return;
      case 'G0':
      case 'G1': {
        const axes = ['X', 'Y', 'Z'] as const;
        const moved = axes.filter((a) => params.has(a));
        const missing = moved.filter((a) => !this.homedAxes.includes(a.toLowerCase()));
        if (missing.length > 0) throw new KlipperError(`Must home axis first: ${this.position.slice(0, 3).map((p) => p.toFixed(3)).join(' ')} [${(this.position[3] ?? 0).toFixed(3)}]`);
        axes.forEach((a, i) => {
          const v = num(a);
          if (v !== undefined) this.position[i] = Math.round(((this.relative ? (this.position[i] ?? 0) : 0) + v) * 1000) / 1000;
        });
        return;
      }
      case 'SAVE_GCODE_STATE':
        this.savedRelative.set(params.get('NAME') ?? 'default', this.relative);
        return;
      case 'RESTORE_GCODE_STATE':
        this.relative = this.savedRelative.get(params.get('NAME') ?? 'default') ?? this.relative;
        return;
      case 'SET_HEATER_TEMPERATURE': {
        const heater = params.get('HEATER');
        const target = num('TARGET') ?? 0;
        const h = heater === 'extruder' ? this.extruder : heater === 'heater_bed' ? this.bed : null;
        if (h === null) throw new KlipperError(`Unknown heater '${heater ?? ''}'`);
        h.target = target;
        return;
      }
      case 'M104':
      case 'M109':
        this.extruder.target = num('S') ?? 0;
        return;
      case 'M140':
      case 'M190':
        this.bed.target = num('S') ?? 0;
        return;
      case 'M117':
        this.displayMessage = line.slice(4).trim() || null;
        return;
      case 'M105':
        this.events.gcodeResponse(`ok T:${this.extruder.temperature.toFixed(1)} /${this.extruder.target.toFixed(1)} B:${this.bed.temperature.toFixed(1)} /${this.bed.target.toFixed(1)}`);
        return;
      case 'M112':
        this.shutdown('Shutdown due to M112 command');
        return;
      case 'STATUS':
        this.events.gcodeResponse(`// ${this.stateMessage}`);
        return;
      default:
        throw new KlipperError(`Unknown command:"${cmd}"`);
    }
  }

  private requireReady(): void {
    if (this.state !== 'ready') throw new KlipperError(this.stateMessage);
  }

  private endJob(state: 'complete' | 'cancelled' | 'error', message = '', history?: 'klippy_shutdown'): void {
    this.printStats.state = state;
    this.printStats.message = message;
    this.sd.is_active = false;
    this.idleState = 'Ready';
    if (state !== 'error') {
      this.extruder.target = 0;
      this.bed.target = 0;
    }
    this.events.finished(this.printStats.filename, history ?? (state === 'complete' ? 'completed' : state));
  }
}
