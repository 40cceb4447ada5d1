import { MAX_DEMO_PRINTERS, type DemoFault } from '../../src/shared/contract';
import { MoonrakerSim } from '../moonraker/moonraker-sim';
import { OctoPrintSim } from '../octoprint/octoprint-sim';
import { parseGcode, type StoredFile } from '../octoprint/virtual-printer';
import { xyzSimulator } from '../xyz/simulator';
import type { RunningSimulator, SimulatorPlanEntry } from './simulator';

/**
 * What a lab of N printers looks like: mostly OctoPrint, a Klipper share and a few da Vinci; about
 * 70 % printing at any time (at different points of their jobs), a few in error. Deterministic by
 * index, so the same N gives the same fleet and tests can count on it.
 */
export interface ScalePrinterRole {
  family: 'octoprint' | 'moonraker' | 'xyz';
  model: string;
  /** What it is doing once connected. */
  role: 'printing' | 'idle' | 'failing';
  /** Where in its job it starts, 0..1 (printing only), so the fleet is not in lockstep. */
  startAt: number;
}

const OCTOPRINT_MODELS = ['Prusa MK4', 'Prusa MK3S+', 'Ender 3 V2', 'Prusa MINI+', 'CR-10 S5'];
const KLIPPER_MODELS = ['Voron 2.4', 'RatRig V-Core 3', 'Voron Trident'];
const XYZ_MODELS: { model: string; code: string }[] = [
  { model: 'da Vinci mini w', code: 'dv1MW0A000' },
  { model: 'da Vinci Jr. 1.0w', code: 'dv1JW0A000' },
];

export interface ScalePlanOptions {
  /**
   * Every printer printing (the benchmark's worst case: every status stream at 2 Hz). The da Vinci
   * share becomes OctoPrint, since a simulated da Vinci only prints a `.3w` file sent to it.
   */
  allPrinting?: boolean;
}

export function scalePrinterRole(index: number, options: ScalePlanOptions = {}): ScalePrinterRole {
  // A cheap hash spreads roles and families without visible stripes in an index-ordered list.
  const h = (Math.imul(index + 1, 2654435761) >>> 0) / 2 ** 32;
  const g = (Math.imul(index + 7, 40503) >>> 0) % 1000;
  const family = g < 30 && !options.allPrinting ? 'xyz' : g >= 30 && g < 280 ? 'moonraker' : 'octoprint';
  const models = family === 'octoprint' ? OCTOPRINT_MODELS : family === 'moonraker' ? KLIPPER_MODELS : XYZ_MODELS.map((m) => m.model);
  const model = models[index % models.length] ?? models[0] ?? 'Printer';
  const role = options.allPrinting ? 'printing' : h < 0.04 ? 'failing' : h < 0.74 ? 'printing' : 'idle';
  return { family, model, role, startAt: ((index * 0.618) % 1) * 0.9 };
}

/** One printer of a lab at scale: its simulator id, its name and what it does. */
export interface ScalePrinter extends ScalePrinterRole {
  id: string;
  name: string;
}

/** `count` printers named "<model> #<n>" (numbered per model, so natural sorting has something to do). */
export function scaleLab(count: number, options: ScalePlanOptions = {}): ScalePrinter[] {
  const n = Math.max(0, Math.min(MAX_DEMO_PRINTERS, Math.floor(count)));
  const perModel = new Map<string, number>();
  const lab: ScalePrinter[] = [];
  for (let i = 0; i < n; i++) {
    const role = scalePrinterRole(i, options);
    const number = (perModel.get(role.model) ?? 0) + 1;
    perModel.set(role.model, number);
    lab.push({ ...role, id: `fleet-${i + 1}`, name: `${role.model} #${number}` });
  }
  return lab;
}

/** The simulators of a lab of `count` printers. */
export function scaleDemoPlan(count: number, options: ScalePlanOptions = {}): SimulatorPlanEntry[] {
  const plan: SimulatorPlanEntry[] = [];
  for (const role of scaleLab(count, options)) {
    const { id, name } = role;
    if (role.family === 'xyz') {
      const code = XYZ_MODELS.find((m) => m.model === role.model)?.code ?? 'dv1MW0A000';
      plan.push({ id, factory: xyzSimulator({ transport: 'tcp', model: code, connectionName: name, timeScale: 20, fileCheckSec: 40, doneHoldSec: 600 }) });
    } else {
      plan.push({ id, factory: (ctx) => (role.family === 'octoprint' ? startOctoPrint(ctx.id, name, role) : startMoonraker(ctx.id, name, role)) });
    }
  }
  return plan;
}

const SCALE_KEY_OCTOPRINT = 'DEMO-FLEET-OCTOPRINT-KEY';
const SCALE_KEY_MOONRAKER = 'f1ee7de30000000000000000000000ab';
/** About 25 minutes of printing per job at the wall clock: long enough to watch, short enough to see jobs end. */
const OCTOPRINT_COMMANDS = 12_500;
const MOONRAKER_FILE_BYTES = 600_000;

let sharedGcode: StoredFile | null = null;
function fleetGcode(): StoredFile {
  if (sharedGcode) return sharedGcode;
  const lines = ['; Printdeck fleet demo part', 'M140 S60', 'M104 S205'];
  for (let i = 0; i < OCTOPRINT_COMMANDS; i++) lines.push(`G1 X${20 + (i % 60)} Y${20 + ((i * 7) % 60)} Z${(Math.floor(i / 250) * 0.2).toFixed(1)} E${(i * 0.02).toFixed(2)}`);
  sharedGcode = parseGcode('fleet-part.gcode', Buffer.from(lines.join('\n')), Math.floor(Date.now() / 1000));
  return sharedGcode;
}

async function until(done: () => boolean, timeoutMs: number): Promise<boolean> {
  for (let waited = 0; waited < timeoutMs; waited += 200) {
    if (done()) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return done();
}

/**
 * Simulators at scale skip the per-printer TCP fault proxy (two sockets and a listener more per
 * printer); the faults that need no proxy still work, and the drivers still speak the real
 * protocol over real loopback sockets.
 */
async function startOctoPrint(id: string, name: string, role: ScalePrinterRole): Promise<RunningSimulator> {
  const file = fleetGcode();
  const sim = new OctoPrintSim({ apiKeys: [SCALE_KEY_OCTOPRINT], parsedFiles: [file], hue: (name.length * 47) % 360 });
  await sim.start();
  void until(() => sim.printer.operational, 15_000).then((ready) => {
    if (!ready) return;
    if (role.role === 'failing') {
      sim.printer.firmwareError('Thermal Runaway, system stopped! Heater_ID: 0');
      return;
    }
    if (role.role !== 'printing') return;
    sim.printer.select(file);
    sim.printer.start();
    // Jump into the job so the fleet shows every stage at once (the heaters catch up on the way).
    void until(() => sim.printer.state === 'Printing', 5_000).then(() => sim.printer.tick(role.startAt * OCTOPRINT_COMMANDS * 120));
  });
  const address = sim.baseUrl;
  return {
    id,
    kind: 'octoprint',
    name,
    address,
    connection: { kind: 'octoprint', name, address, options: {}, secret: SCALE_KEY_OCTOPRINT },
    faults: () => (sim.restDelayMs > 0 ? [`slow REST ${sim.restDelayMs} ms`] : []),
    async inject(fault: DemoFault) {
      if (fault.type === 'delay') sim.restDelayMs = fault.ms;
      else if (fault.type === 'drop') sim.dropSockets();
      else if (fault.type === 'garbage') sim.garbage();
      else if (fault.type === 'restart') sim.restart();
      else if (fault.type === 'clear') sim.restDelayMs = 0;
      else throw new Error('A black hole needs the fault proxy, which printers of a large demo fleet run without.');
    },
    stop: () => sim.stop(),
  };
}

async function startMoonraker(id: string, name: string, role: ScalePrinterRole): Promise<RunningSimulator> {
  const sim = new MoonrakerSim({
    apiKeys: [SCALE_KEY_MOONRAKER],
    files: { 'fleet-part.gcode': '' },
    bytesPerSecond: MOONRAKER_FILE_BYTES / 1500,
    hue: (name.length * 53) % 360,
  });
  // The file's content is never read, only its size: declare it without building 600 kB per printer.
  const file = sim.fileNamed('fleet-part.gcode');
  if (file) file.size = MOONRAKER_FILE_BYTES;
  await sim.start();
  void until(() => sim.klipper.state === 'ready', 15_000).then((ready) => {
    if (!ready) return;
    if (role.role === 'failing') {
      sim.shutdownKlippy('MCU \'mcu\' shutdown: Timer too close');
      return;
    }
    if (role.role !== 'printing') return;
    sim.klipper.extruder.temperature = 205;
    sim.klipper.bed.temperature = 60;
    // Started "earlier", so its progress and elapsed time agree with where the job is.
    sim.klipper.startPrint('fleet-part.gcode', MOONRAKER_FILE_BYTES, Date.now() - role.startAt * 1_500_000);
    sim.klipper.sd.file_position = Math.round(role.startAt * MOONRAKER_FILE_BYTES);
    sim.klipper.printStats.print_duration = role.startAt * 1500;
  });
  const address = sim.baseUrl;
  return {
    id,
    kind: 'moonraker',
    name,
    address,
    connection: { kind: 'moonraker', name, address, options: {}, secret: SCALE_KEY_MOONRAKER },
    faults: () => (sim.replyDelayMs > 0 ? [`slow replies ${sim.replyDelayMs} ms`] : []),
    async inject(fault: DemoFault) {
      if (fault.type === 'delay') sim.replyDelayMs = fault.ms;
      else if (fault.type === 'drop') sim.dropSockets();
      else if (fault.type === 'garbage') sim.garbage();
      else if (fault.type === 'restart') sim.restartMoonraker();
      else if (fault.type === 'clear') sim.replyDelayMs = 0;
      else throw new Error('A black hole needs the fault proxy, which printers of a large demo fleet run without.');
    },
    stop: () => sim.stop(),
  };
}
