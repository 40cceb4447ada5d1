import { execFile } from 'node:child_process';
import path from 'node:path';
import type { DemoFault } from '../../src/shared/contract';
import type { RunningSimulator, SimulatorFactory } from '../demo/simulator';
import { PtyLink } from '../xyz/pty-link';
import { MarlinFirmware, type MarlinFirmwareOptions } from './firmware';
import { SerialWire } from './wire';

export interface MarlinSimOptions extends MarlinFirmwareOptions {
  /** Folder for the pty links. */
  workDir: string;
  /** The baud rate the firmware was built for; a host on another rate reads noise. */
  baud?: number;
  /** Probability that a line from the host is corrupted on the wire (0.01 = 1 %). */
  noise?: number;
  seed?: number;
  connectionName?: string;
  /** Add `?baud=` to the address (else Printdeck has to find the rate itself). */
  baudInAddress?: boolean;
}

/**
 * A Marlin printer on a USB serial port: the firmware model behind a socat pty pair, with both
 * directions paced at the simulated baud rate. A pty has no real line speed, so the simulator
 * reads the rate the host set on its end (`stty`) whenever the host starts talking after a pause
 * and, when it differs from its own, turns what it hears and says into noise — what a wrong baud
 * rate does on a real UART.
 */
export class MarlinSimulator {
  readonly firmware: MarlinFirmware;
  private readonly toFirmware: SerialWire;
  private readonly toHost: SerialWire;
  private readonly link: PtyLink;
  private lastInputAt = 0;
  private baudOk: boolean | null = null;
  private checking: Promise<void> | null = null;
  private silent = false;

  private constructor(readonly options: MarlinSimOptions) {
    const baud = options.baud ?? 115200;
    this.link = new PtyLink(
      path.join(options.workDir, 'ttyMarlin-printer'),
      path.join(options.workDir, 'ttyMarlin-sim'),
      (chunk) => this.fromHost(chunk),
      () => undefined,
    );
    this.toHost = new SerialWire(baud / 10, (bytes) => {
      if (this.silent) return;
      this.link.write(this.baudOk === false ? garble(bytes) : bytes);
    });
    this.toFirmware = new SerialWire(baud / 10, (bytes) => this.firmware.receive(bytes), options.noise ?? 0, options.seed ?? 1);
    this.firmware = new MarlinFirmware(options, (text) => this.toHost.send(Buffer.from(text, 'latin1')));
  }

  static async start(options: MarlinSimOptions): Promise<MarlinSimulator> {
    const sim = new MarlinSimulator(options);
    await sim.link.plug();
    sim.firmware.boot(' PowerUp');
    return sim;
  }

  /** `serial://<pty>` (with `?baud=` when asked). */
  get address(): string {
    return `serial://${this.link.hostPath}${this.options.baudInAddress ? `?baud=${this.options.baud ?? 115200}` : ''}`;
  }

  get portPath(): string {
    return this.link.hostPath;
  }

  get corruptedLines(): number {
    return this.toFirmware.corruptedLines;
  }

  setNoise(probability: number, seed?: number): void {
    this.toFirmware.setNoise(probability, seed);
  }

  /** Reset the board, as a DTR pulse or the reset button does: bootloader, then `start`. */
  reset(): void {
    this.toFirmware.clear();
    this.firmware.boot();
  }

  faults(): string[] {
    const list: string[] = [];
    if (this.firmware.halted) list.push('halted (kill() called)');
    if (this.toFirmware.noise > 0) list.push(`${(this.toFirmware.noise * 100).toFixed(1)} % of lines corrupted`);
    if (this.silent) list.push('no replies');
    return list;
  }

  async inject(fault: DemoFault): Promise<void> {
    switch (fault.type) {
      case 'garbage':
        this.setNoise(Math.min(0.5, fault.bytes / 6400));
        break;
      case 'restart':
      case 'drop':
        this.reset();
        break;
      case 'blackhole':
        this.silent = fault.on;
        break;
      case 'delay':
        this.firmware.opts.turnaroundMs = Math.max(1, fault.ms);
        break;
      case 'clear':
        this.setNoise(0);
        this.silent = false;
        this.firmware.opts.turnaroundMs = this.options.turnaroundMs ?? 1;
        break;
    }
  }

  async stop(): Promise<void> {
    this.firmware.stop();
    this.toFirmware.clear();
    this.toHost.clear();
    await this.link.unplug();
  }

  private fromHost(chunk: Uint8Array): void {
    const now = performance.now();
    const resumed = now - this.lastInputAt > 250;
    this.lastInputAt = now;
    if (resumed || this.baudOk === null) this.checking = this.checkBaud();
    const checking = this.checking;
    if (checking) {
      const copy = Uint8Array.from(chunk);
      void checking.then(() => this.deliver(copy));
    } else this.deliver(chunk);
  }

  private deliver(chunk: Uint8Array): void {
    if (this.baudOk === false) return;
    this.toFirmware.send(chunk);
  }

  private checkBaud(): Promise<void> {
    const own = this.options.baud ?? 115200;
    const done = new Promise<void>((resolve) => {
      execFile('stty', ['-F', this.link.hostPath, 'speed'], { timeout: 2_000 }, (err, stdout) => {
        const speed = err ? own : Number(stdout.trim());
        // stty shows 0 for rates set with termios2 (BOTHER), which is how 250000 gets set on Linux.
        this.baudOk = speed === own || (speed === 0 && ![9600, 19200, 38400, 57600, 115200, 230400].includes(own));
        resolve();
      });
    });
    const checking = done.then(() => {
      if (this.checking === checking) this.checking = null;
    });
    return checking;
  }
}

/** What arrives when the two ends disagree on the baud rate: bytes, but not these. */
function garble(bytes: Uint8Array): Uint8Array {
  return bytes.map((b) => (b === 0x0a ? 0x0a : 0x80 | ((b * 7) & 0x7f)));
}

/** Demo-fleet entry for one simulated Marlin printer. */
export function marlinSimulator(options: Omit<MarlinSimOptions, 'workDir'>): SimulatorFactory {
  return async (ctx) => {
    const sim = await MarlinSimulator.start({ ...options, workDir: ctx.workDir });
    const name = options.connectionName ?? 'Marlin printer (demo, USB)';
    const running: RunningSimulator = {
      id: ctx.id,
      kind: 'marlin',
      name,
      address: sim.address,
      connection: { kind: 'marlin', name, address: sim.address, options: {} },
      faults: () => sim.faults(),
      inject: (fault) => sim.inject(fault),
      stop: () => sim.stop(),
    };
    return running;
  };
}
