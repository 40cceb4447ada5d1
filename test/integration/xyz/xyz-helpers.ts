import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '../../../src/main/log';
import type { TransferProgress } from '../../../src/main/devices/driver';
import { DEFAULT_TIMINGS, V3_TIMEOUTS, XyzDriver, type XyzDriverDeps, type XyzDriverTimings } from '../../../src/main/printers/xyz/driver';
import type { DeviceStatus } from '../../../src/shared/domain/device';

/** Short waits so a whole print fits in a few seconds; the protocol timeouts stay the spec's. */
export const FAST_TIMINGS: XyzDriverTimings = {
  ...DEFAULT_TIMINGS,
  pollIdleMs: 150,
  pollActiveMs: 100,
  reconnectMs: [100, 200, 400],
  busyBackoffMs: [200, 400, 800],
  startTimeoutMs: 10_000,
  v3: { ...V3_TIMEOUTS, finishDrainMs: 300 },
};

export function tempDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'printdeck-xyz-'));
}

/** A Cura-like G-code file of about `lines` moves whose header says it prints for `seconds`. */
export function writeGcode(dir: string, name: string, lines = 2_000, seconds = 600): string {
  const out = [';FLAVOR:Marlin', `;TIME:${seconds}`, ';LAYER_COUNT:20', ';Filament used: 1.2m', 'G21', 'G90', 'M82', 'M104 S205'];
  for (let i = 0; i < lines; i++) {
    out.push(i % 5 === 0 ? `G0 F6000 X${(i * 7) % 100} Y${(i * 13) % 100}` : `G1 X${(i * 3) % 100}.5 Y${(i * 11) % 100}.25 E${(i / 20).toFixed(4)}`);
    if (i % 100 === 0) out.push(`G1 Z${(i / 100) * 0.2 + 0.2}`);
  }
  const file = path.join(dir, name);
  writeFileSync(file, out.join('\n') + '\n');
  return file;
}

export function makeDriver(address: string, options: Record<string, string | number> = {}, deps: XyzDriverDeps = {}): { driver: XyzDriver; log: string[] } {
  const log: string[] = [];
  const driver = new XyzDriver(
    {
      connection: { id: 'conn-1', kind: 'xyz', name: 'Test da Vinci', address, options, origin: 'user', createdAt: 0, updatedAt: 0 },
      secret: null,
      log: createLogger('xyz-test', (l) => log.push(l)),
    },
    { timings: FAST_TIMINGS, ...deps },
  );
  return { driver, log };
}

export async function waitFor(driver: XyzDriver, what: string, predicate: (s: DeviceStatus) => boolean, timeoutMs = 10_000): Promise<DeviceStatus> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const s = driver.status();
    if (predicate(s)) return s;
    await new Promise((r) => setTimeout(r, 25));
  }
  const s = driver.status();
  throw new Error(`timed out waiting for ${what}; last: ${s.link} ${s.state} "${s.stateText}" ${s.problem?.message ?? ''}`);
}

export function progressRecorder(): { phases: string[]; last: () => TransferProgress | null; onProgress: (p: TransferProgress) => void } {
  const phases: string[] = [];
  let last: TransferProgress | null = null;
  return {
    phases,
    last: () => last,
    onProgress: (p) => {
      last = p;
      if (phases.at(-1) !== p.phase) phases.push(p.phase);
    },
  };
}
