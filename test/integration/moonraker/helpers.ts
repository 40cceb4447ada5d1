import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createLogger } from '../../../src/main/log';
import { MoonrakerDriver, type MoonrakerDriverOptions } from '../../../src/main/printers/moonraker/moonraker-driver';
import type { DeviceStatus } from '../../../src/shared/domain/device';
import { startMoonrakerSimulator, type MoonrakerSimulatorOptions, type RunningMoonrakerSimulator } from '../../../sim/moonraker/simulator';

export const KEY = '0123456789abcdef0123456789abcdef';

export interface MoonRig {
  sim: RunningMoonrakerSimulator;
  driver: MoonrakerDriver;
  statuses: DeviceStatus[];
  waitFor<T>(what: string, probe: () => T | null | undefined | false, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

/** The real driver against the simulator (behind its fault proxy) over real sockets. */
export async function moonRig(options: Partial<MoonrakerSimulatorOptions> & { secret?: string | null; driver?: MoonrakerDriverOptions } = {}): Promise<MoonRig> {
  const sim = await startMoonrakerSimulator('moon-test', { name: 'Test Klipper', apiKeys: [KEY], timeScale: 20, startupMs: 200, ...options });
  const now = Date.now();
  const driver = new MoonrakerDriver(
    {
      connection: { id: 'c1', kind: 'moonraker', name: 'Test Klipper', address: sim.address.replace(/^http:\/\//, ''), options: {}, origin: 'user', createdAt: now, updatedAt: now },
      secret: options.secret === undefined ? KEY : options.secret,
      log: createLogger('moonraker-test', () => undefined),
    },
    { backoffInitialMs: 100, backoffMaxMs: 500, klippyPollMs: 200, statusIntervalMs: 50, ...options.driver },
  );
  const statuses: DeviceStatus[] = [];
  driver.onStatus((s) => statuses.push(s));
  driver.start();
  return {
    sim,
    driver,
    statuses,
    async waitFor(what, probe, timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const value = probe();
        if (value !== null && value !== undefined && value !== false) return value;
        if (Date.now() > until) throw new Error(`timed out waiting for ${what}; last status: ${JSON.stringify(driver.status())}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    async close() {
      await driver.stop();
      await sim.stop();
    },
  };
}

export function gcodeFile(dir: string, name: string, bytes: number): string {
  const lines = ['; test part', 'M104 S205', 'M140 S60'];
  let size = lines.join('\n').length;
  for (let i = 0; size < bytes; i++) {
    const line = `G1 X${i % 50} Y${(i * 3) % 50} E${(i * 0.01).toFixed(2)}`;
    lines.push(line);
    size += line.length + 1;
  }
  const file = path.join(dir, name);
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}
