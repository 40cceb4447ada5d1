import { ArmorySandbox } from './armory-sandbox';
import type { SandboxAccount, SandboxPrinterSpec } from './armory-world';

/**
 * An Armory sandbox in its own process (`tsx sim/armory/standalone.ts <devices>`), so a benchmark
 * can measure the client's CPU apart from the server's. Prints `PORT <n>` when ready. Two
 * accounts: `idle@bench.invalid` (nothing printing) and `busy@bench.invalid` (all printing,
 * jobs ending now and then); password `bench`.
 */
const count = Number(process.argv[2] ?? 500);

function printers(prefix: string, phase: (i: number) => number): SandboxPrinterSpec[] {
  return Array.from({ length: count }, (_, i) => ({
    devId: `${prefix}${String(i).padStart(6, '0')}`,
    name: `Farm ${prefix} ${i + 1}`,
    modelName: 'C12',
    productName: 'P1S',
    online: i % 50 !== 49,
    phase: phase(i),
  }));
}

// Idle: every printer sits in a long idle stretch. Busy: 20-minute jobs with 1-minute gaps, spread out.
const idle: SandboxAccount = { account: 'idle@bench.invalid', password: 'bench', second: 'none', uid: 1, devices: printers('I', () => 0.99) };
const busy: SandboxAccount = { account: 'busy@bench.invalid', password: 'bench', second: 'none', uid: 2, devices: printers('B', (i) => (i / count) * 0.9) };

const server = new ArmorySandbox({ accounts: [idle, busy], printMs: 20 * 60_000, idleMs: 60_000, seedTasks: 2, failEvery: 5 });
void server.start().then((port) => process.stdout.write(`PORT ${port}\n`));
process.on('SIGTERM', () => void server.stop().then(() => process.exit(0)));
