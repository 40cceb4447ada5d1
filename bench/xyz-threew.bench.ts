import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeThreeW, encodeThreeW } from '../src/main/printers/xyz/threew';
import type { BenchResult, BenchSuite } from './lib/types';

const SYNTHETIC_BYTES = 16 * 1024 * 1024;
const ROUNDS = 5;
const TARGET_MBPS = 100;
const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '../test/fixtures/xyz');

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
    return [result('threew_encode_mbps', encodeMbps), result('threew_decode_mbps', decodeMbps)];
  },
};

export default suite;
