import { OctoPrintSim } from './octoprint-sim';
import { parseGcode } from './virtual-printer';

/**
 * Runs many simulated OctoPrint servers in their own process (for the benchmark, so the main
 * process's CPU figure is Printdeck's alone). Usage: `tsx fleet-process.ts <count> <key>`.
 * Prints one JSON line `{"addresses": [...]}` once all are printing; `stats` on stdin answers
 * `{"sent": <push frames so far>}`; `stamps` answers `{"stamps": [[server, completion, ms], …]}`, when
 * each server pushed a `current` since the last `stamps` (the wall clock, which the benchmark shares);
 * closing stdin stops everything.
 */
async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? '10');
  const key = process.argv[3] ?? 'BENCH-KEY-0000';
  const lines = ['M104 S200', 'M140 S60'];
  for (let i = 0; i < 20_000; i++) lines.push(`G1 X${i % 100} Y${(i * 7) % 100} E${i * 0.01}`);
  // One parsed file for every server: a thousand copies would cost gigabytes.
  const file = parseGcode('long.gcode', Buffer.from(lines.join('\n')), Math.floor(Date.now() / 1000));
  const sims: OctoPrintSim[] = [];
  for (let i = 0; i < count; i++) {
    const sim = new OctoPrintSim({ apiKeys: [key], parsedFiles: [file] });
    await sim.start();
    sims.push(sim);
  }
  // Connected after ~0.5 s (longer on a busy machine); then every server prints, so `current` flows at 2 Hz.
  for (let waited = 0; waited < 30_000 && sims.some((s) => !s.printer.operational); waited += 100) await new Promise((r) => setTimeout(r, 100));
  for (const sim of sims) {
    const file = sim.fileNamed('long.gcode');
    if (file) {
      sim.printer.select(file);
      sim.printer.start();
    }
  }
  // Recorded from the first `stamps` request on (the benchmarks that never ask keep nothing).
  let stamps: [number, number | null, number][] | null = null;
  sims.forEach((sim, i) => sim.onCurrentPushed((completion) => stamps?.push([i, completion, Date.now()])));
  process.stdout.write(JSON.stringify({ addresses: sims.map((s) => s.baseUrl) }) + '\n');
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (text: string) => {
    if (text.includes('stats')) process.stdout.write(JSON.stringify({ sent: sims.reduce((n, s) => n + s.framesSent, 0) }) + '\n');
    if (text.includes('stamps')) {
      process.stdout.write(JSON.stringify({ stamps: stamps ?? [] }) + '\n');
      stamps = [];
    }
  });
  process.stdin.on('end', () => {
    void Promise.all(sims.map((s) => s.stop())).then(() => process.exit(0));
  });
}

void main();
