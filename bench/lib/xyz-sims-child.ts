/**
 * Da Vinci simulators in a process of their own, for the queue's kill -9 rounds: the printers must
 * outlive the Printdeck host that is killed. Prints one JSON line with their addresses, then a line
 * `start <printer> <file>` every time a printer begins a new job (what the crash test counts).
 */
import { XyzSimulator } from '../../sim/xyz/simulator';

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? '3');
  const timeScale = Number(process.argv[3] ?? '600');
  const sims = await Promise.all(
    Array.from({ length: count }, (_, i) =>
      XyzSimulator.start({
        transport: 'tcp',
        model: 'dv1NW0A000',
        name: `Crash ${i}`,
        timeScale,
        fileCheckSec: 1,
        doneHoldSec: 1_200,
      }),
    ),
  );
  process.stdout.write(
    JSON.stringify({
      printers: sims.map((s, i) => ({ name: `Crash ${i}`, address: s.address, model: s.printer.model.modelNumber })),
    }) + '\n',
  );
  const seen = sims.map(() => null as unknown);
  setInterval(() => {
    sims.forEach((sim, i) => {
      const job = sim.printer.job;
      if (job && job !== seen[i]) process.stdout.write(`start Crash-${i} ${job.name}\n`);
      seen[i] = job;
    });
  }, 5).unref();
  process.on('SIGTERM', () => void Promise.all(sims.map((s) => s.stop())).then(() => process.exit(0)));
  setInterval(() => undefined, 60_000);
}

void main();
