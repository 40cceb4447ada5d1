import { MoonrakerSim } from './moonraker-sim';

/**
 * Runs many simulated Moonraker servers in their own process (for the benchmark, so the main
 * process's CPU figure is Printdeck's alone). Usage: `tsx fleet-process.ts <count> <key>`.
 * Prints one JSON line `{"servers": [{address, startedAt, timeScale}]}` once all are printing
 * (`startedAt` is the wall-clock ms each job began: `print_stats.total_duration` is
 * `(now - startedAt) / 1000 × timeScale` at the moment the simulator pushes it, which lets the
 * bench date every status change); `stats` on stdin answers `{"sent": <frames so far>}`;
 * closing stdin stops everything.
 */
async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? '10');
  const key = process.argv[3] ?? '0123456789abcdef0123456789abcdef';
  const sims: MoonrakerSim[] = [];
  for (let i = 0; i < count; i++) {
    const sim = new MoonrakerSim({ apiKeys: [key], files: { 'long.gcode': 'G1 X1\n'.repeat(200_000) }, timeScale: 1, bytesPerSecond: 50, startupMs: 200 });
    await sim.start();
    sims.push(sim);
  }
  for (let waited = 0; waited < 30_000 && sims.some((s) => s.klipper.state !== 'ready'); waited += 100) await new Promise((r) => setTimeout(r, 100));
  for (const sim of sims) {
    // Already hot, so the job prints from the start and every tick changes something.
    sim.klipper.extruder.temperature = 205;
    sim.klipper.bed.temperature = 60;
    sim.klipper.startPrint('long.gcode', sim.fileNamed('long.gcode')?.size ?? 0, Date.now());
  }
  process.stdout.write(JSON.stringify({ servers: sims.map((s) => ({ address: s.baseUrl, startedAt: s.klipper.jobStartedAt, timeScale: s.klipper.timeScale })) }) + '\n');
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (text: string) => {
    if (text.includes('stats')) process.stdout.write(JSON.stringify({ sent: sims.reduce((n, s) => n + s.framesSent, 0) }) + '\n');
  });
  process.stdin.on('end', () => {
    void Promise.all(sims.map((s) => s.stop())).then(() => process.exit(0));
  });
}

void main();
