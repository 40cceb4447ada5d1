import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MarlinSimulator, type MarlinSimOptions } from '../sim/marlin/simulator';
import { hasSocat } from '../sim/xyz/pty-link';
import { createLogger } from '../src/main/log';
import { MarlinDriver } from '../src/main/printers/marlin/marlin-driver';
import { HELLO } from '../src/main/printers/marlin/engine/handshake';
import { cleanLine, frameLine } from '../src/main/printers/marlin/protocol/framing';
import { LineSplitter } from '../src/main/printers/marlin/protocol/line-splitter';
import { openSerialLink } from '../src/main/printers/marlin/serial-link';
import type { BenchResult, BenchSuite } from './lib/types';

const MOVES = 1_500;
/** Long enough that most of it goes after the streamer's first 1000 clean lines sent one at a time. */
const LONG_MOVES = 5_000;

function gcodeFile(dir: string, moves: number): { file: string; commands: string[] } {
  const out = [';FLAVOR:Marlin', 'G90', 'M83'];
  for (let i = 0; i < moves; i++) out.push(`G1 X${(i * 3) % 200}.${i % 10} Y${(i * 7) % 200}.${i % 9} E0.0${(i % 89) + 10} F${1200 + (i % 50) * 60}`);
  const file = path.join(dir, `bench-${moves}.gcode`);
  writeFileSync(file, `${out.join('\n')}\n`);
  return { file, commands: readFileSync(file, 'utf8').split('\n').map(cleanLine).filter(Boolean) };
}

async function withSim<T>(options: Omit<MarlinSimOptions, 'workDir'>, run: (sim: MarlinSimulator) => Promise<T>): Promise<T> {
  const sim = await MarlinSimulator.start({ workDir: mkdtempSync(path.join(os.tmpdir(), 'printdeck-marlin-bench-')), bootMs: 50, baudInAddress: true, ...options });
  try {
    return await run(sim);
  } finally {
    await sim.stop();
  }
}

/** The driver prints the file; returns file lines per second and what the firmware ran. */
async function driverPrint(sim: MarlinSimulator, file: string, forceSingleLine = false): Promise<{ linesPerSec: number; ran: string[] }> {
  const driver = new MarlinDriver(
    {
      connection: { id: 'bench', kind: 'marlin', name: 'Bench Marlin', address: sim.address, options: {}, origin: 'user', createdAt: 0, updatedAt: 0 },
      secret: null,
      log: createLogger('marlin-bench', () => undefined),
    },
    { streamer: { forceSingleLine } },
  );
  const state = (want: string): Promise<void> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        const s = driver.status();
        if (s.state === want) return resolve();
        if (s.state === 'error') return reject(new Error(s.problem?.message ?? 'error'));
        setTimeout(check, 2);
      };
      check();
    });
  driver.start();
  await state('idle');
  const before = sim.firmware.executed.length;
  const t0 = performance.now();
  await driver.print({ path: file, name: 'bench.gcode' }, () => undefined, new AbortController().signal);
  await state('done');
  const seconds = (performance.now() - t0) / 1000;
  const ran = sim.firmware.executed.slice(before).filter((c) => c !== 'M105');
  await driver.stop();
  return { linesPerSec: ran.length / seconds, ran };
}

/** The simplest correct host: write one numbered line, wait for its ok, repeat. */
async function bareLoop(sim: MarlinSimulator, commands: string[]): Promise<number> {
  const link = await openSerialLink(sim.portPath, sim.options.baud ?? 115200);
  const splitter = new LineSplitter();
  let waiter: (() => void) | null = null;
  link.onData((chunk) => {
    for (const line of splitter.push(chunk)) if (line.startsWith('ok')) waiter?.();
  });
  const roundTrip = (text: string): Promise<void> =>
    new Promise((resolve) => {
      waiter = resolve;
      link.write(text);
    });
  await new Promise((r) => setTimeout(r, 100));
  await roundTrip(HELLO);
  const t0 = performance.now();
  for (let i = 0; i < commands.length; i++) await roundTrip(`${frameLine(i + 1, commands[i]!)}\n`);
  const seconds = (performance.now() - t0) / 1000;
  await link.close();
  return commands.length / seconds;
}

function countDiff(expected: string[], ran: string[]): { lost: number; duplicated: number } {
  const counts = new Map<string, number>();
  for (const c of expected) counts.set(c, (counts.get(c) ?? 0) + 1);
  for (const c of ran) counts.set(c, (counts.get(c) ?? 0) - 1);
  let lost = 0;
  let duplicated = 0;
  for (const v of counts.values()) {
    if (v > 0) lost += v;
    else duplicated -= v;
  }
  return { lost, duplicated };
}

const suite: BenchSuite = {
  prefix: 'marlin',
  async run(): Promise<BenchResult[]> {
    if (!hasSocat()) {
      console.warn('[marlin bench] socat is not installed: no figures.');
      return [];
    }
    const dir = mkdtempSync(path.join(os.tmpdir(), 'printdeck-marlin-bench-'));
    const { file, commands } = gcodeFile(dir, MOVES);
    const long = gcodeFile(dir, LONG_MOVES);
    const results: BenchResult[] = [];

    // Same link for both: 115200 baud, 1 ms firmware turnaround, stock firmware (no ADVANCED_OK).
    // Best of two, alternating, so a busy moment of the machine does not decide the figure.
    const plain = { baud: 115200, turnaroundMs: 1 };
    const driverPlain = { linesPerSec: 0 };
    let bare = 0;
    for (let round = 0; round < 2; round++) {
      bare = Math.max(bare, await withSim(plain, (sim) => bareLoop(sim, commands)));
      driverPlain.linesPerSec = Math.max(driverPlain.linesPerSec, (await withSim(plain, (sim) => driverPrint(sim, file))).linesPerSec);
    }
    results.push({ name: 'marlin.stream_ratio_to_stop_and_wait', value: round(driverPlain.linesPerSec / bare), unit: 'ratio', target: 0.95, better: 'higher' });

    const fast = { baud: 250000, turnaroundMs: 1, advancedOk: true };
    const ahead = { linesPerSec: 0 };
    const single = { linesPerSec: 0 };
    for (let round = 0; round < 2; round++) {
      single.linesPerSec = Math.max(single.linesPerSec, (await withSim(fast, (sim) => driverPrint(sim, long.file, true))).linesPerSec);
      ahead.linesPerSec = Math.max(ahead.linesPerSec, (await withSim(fast, (sim) => driverPrint(sim, long.file))).linesPerSec);
    }
    results.push({ name: 'marlin.advanced_ok_speedup', value: round(ahead.linesPerSec / single.linesPerSec), unit: 'ratio', target: 1.5, better: 'higher' });
    console.log(`[marlin bench] lines/s: driver ${driverPlain.linesPerSec.toFixed(0)} vs bare ${bare.toFixed(0)} at 115200; ADVANCED_OK ${ahead.linesPerSec.toFixed(0)} vs one in flight ${single.linesPerSec.toFixed(0)} at 250000`);

    // 1 % of the lines corrupted on the wire, with sending ahead where the firmware allows it.
    let lost = 0;
    let duplicated = 0;
    for (const seed of [1, 2]) {
      const noisy = await withSim({ ...fast, noise: 0.01, seed }, (sim) => driverPrint(sim, long.file));
      const diff = countDiff(long.commands, noisy.ran);
      lost += diff.lost;
      duplicated += diff.duplicated;
    }
    results.push({ name: 'marlin.lines_lost', value: lost, unit: 'lines', target: 0, better: 'lower' });
    results.push({ name: 'marlin.lines_duplicated', value: duplicated, unit: 'lines', target: 0, better: 'lower' });
    return results;
  },
};

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}

export default suite;
