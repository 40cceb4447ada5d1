import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeThreeW, encodeThreeW } from '../src/main/printers/xyz/threew';
import type { BenchResult, BenchSuite } from './lib/types';

const SYNTHETIC_BYTES = 16 * 1024 * 1024;
const ROUNDS = 5;
const TARGET_MBPS = 100;
const HERE = dirname(fileURLToPath(import.meta.url));
const FIXTURES = resolve(HERE, '../test/fixtures/xyz');
/** G-code for the memory figures: large enough that the file, not the runtime, dominates. */
const MEMORY_GCODE_BYTES = 256 * 1024 * 1024;
/** Peak memory growth of `3w encode|decode` per byte of input (issue 12 item 3: at most 2×). */
const TARGET_PEAK_RATIO = 2;
/** Host memory growth while a G-code of any size is converted and sent (issue 12 item 3). */
const TARGET_PRINT_GROWTH_MB = 100;

/** Cura-like G-code with plenty of G0 travel moves, so the G0 → G1 rewrite is exercised. */
function syntheticGcode(bytes: number): Buffer {
  const lines = [';FLAVOR:Marlin', ';TIME:36000', ';Filament used: 12.5m', ';LAYER_COUNT:500', 'G21', 'G90', 'M82'];
  let size = lines.reduce((sum, line) => sum + line.length + 1, 0);
  for (let i = 0; size < bytes; i++) {
    const x = ((i * 7919) % 20000) / 100;
    const y = ((i * 104729) % 20000) / 100;
    const line =
      i % 6 === 0
        ? `G0 F9000 X${x.toFixed(2)} Y${y.toFixed(2)}`
        : i % 500 === 0
          ? `;LAYER:${i / 500}`
          : `G1 X${x.toFixed(3)} Y${y.toFixed(3)} E${(i / 50).toFixed(5)}`;
    lines.push(line);
    size += line.length + 1;
  }
  return Buffer.from(lines.join('\n') + '\n');
}

interface Sample {
  gcode: Uint8Array;
  model: string;
}

function loadSamples(): Sample[] {
  const samples: Sample[] = [{ gcode: syntheticGcode(SYNTHETIC_BYTES), model: 'dv1NX0A000' }];
  for (const [name, model] of [
    ['AstroKe.3w', 'dv1NX0A000'],
    ['3DBenchy.3w', 'dv1JW0A000'],
  ] as const) {
    const path = resolve(FIXTURES, name);
    if (existsSync(path)) samples.push({ gcode: decodeThreeW(readFileSync(path)).gcode, model });
  }
  return samples;
}

/** Best-of-N throughput in MB/s (10^6 bytes), measured on G-code bytes in (encode) or out (decode). */
function bestMbps(bytes: number, run: () => void): number {
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < ROUNDS; round++) {
    const started = process.hrtime.bigint();
    run();
    best = Math.min(best, Number(process.hrtime.bigint() - started) / 1e9);
  }
  return bytes / 1e6 / best;
}

/** Writes `bytes` of synthetic G-code to `path` in pieces, so the bench itself stays small. */
function writeGcodeFile(path: string, bytes: number): void {
  const piece = syntheticGcode(8 * 1024 * 1024);
  const body = piece.subarray(piece.indexOf('G21'));
  const fd = openSync(path, 'w');
  try {
    let written = writeSync(fd, piece);
    while (written < bytes) written += writeSync(fd, body);
  } finally {
    closeSync(fd);
  }
}

/** Peak resident memory growth of one `threew-memory-child.ts` run, in bytes. */
function childPeakGrowth(mode: 'encode' | 'decode' | 'print', input: string, output: string): number {
  const tsx = resolve(HERE, '../node_modules/tsx/dist/cli.mjs');
  const child = spawnSync(process.execPath, ['--expose-gc', tsx, resolve(HERE, 'lib/threew-memory-child.ts'), mode, input, output], {
    encoding: 'utf8',
  });
  if (child.status !== 0) throw new Error(`memory child (${mode}) failed: ${child.stderr}`);
  const { baseline, peak } = JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}') as { baseline: number; peak: number };
  return Math.max(0, peak - baseline);
}

/** Peak memory of encode, decode and print, each in its own process, against the size of the file it reads. */
function memoryResults(): BenchResult[] {
  const dir = mkdtempSync(join(tmpdir(), 'printdeck-3w-bench-'));
  try {
    const gcodePath = join(dir, 'big.gcode');
    const threeWPath = join(dir, 'big.3w');
    writeGcodeFile(gcodePath, MEMORY_GCODE_BYTES);
    const gcodeSize = statSync(gcodePath).size;
    const encodeGrowth = childPeakGrowth('encode', gcodePath, threeWPath);
    const decodeGrowth = childPeakGrowth('decode', threeWPath, join(dir, 'back.gcode'));
    const printGrowth = childPeakGrowth('print', gcodePath, join(dir, 'unused'));
    const ratio = (name: string, growth: number, size: number): BenchResult => ({
      name: `xyz.threew_${name}_peak_ratio`,
      value: Math.round((growth / size) * 1000) / 1000,
      unit: '× file',
      target: TARGET_PEAK_RATIO,
      better: 'lower',
    });
    return [
      ratio('encode', encodeGrowth, gcodeSize),
      ratio('decode', decodeGrowth, statSync(threeWPath).size),
      {
        name: 'xyz.print_gcode_peak_growth_mb',
        value: Math.round((printGrowth / 1e6) * 10) / 10,
        unit: `MB (${Math.round(gcodeSize / 2 ** 20)} MiB G-code)`,
        target: TARGET_PRINT_GROWTH_MB,
        better: 'lower',
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const suite: BenchSuite = {
  prefix: 'xyz',
  async run(): Promise<BenchResult[]> {
    const samples = loadSamples();
    const gcodeBytes = samples.reduce((sum, sample) => sum + sample.gcode.length, 0);
    const encoded = samples.map((sample) => encodeThreeW(sample.gcode, { model: sample.model, container: 'v5' }));

    const encodeMbps = bestMbps(gcodeBytes, () => {
      for (const sample of samples) encodeThreeW(sample.gcode, { model: sample.model, container: 'v5' });
    });
    const decodeMbps = bestMbps(gcodeBytes, () => {
      for (const file of encoded) decodeThreeW(file);
    });

    const result = (name: string, value: number): BenchResult => ({
      name: `xyz.${name}`,
      value: Math.round(value * 10) / 10,
      unit: 'MB/s',
      target: TARGET_MBPS,
      better: 'higher',
    });
    return [result('threew_encode_mbps', encodeMbps), result('threew_decode_mbps', decodeMbps), ...memoryResults()];
  },
};

export default suite;
