import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MarlinSimulator, type MarlinSimOptions } from '../../../sim/marlin/simulator';
import { createLogger } from '../../../src/main/log';
import { MarlinDriver, type MarlinDriverOptions } from '../../../src/main/printers/marlin/marlin-driver';
import { cleanLine } from '../../../src/main/printers/marlin/protocol/framing';
import type { DeviceStatus } from '../../../src/shared/domain/device';

export function tempDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'printdeck-marlin-'));
}

/** A slicer-like file: header comments, modes, heat-up, moves with relative extrusion, comments between. */
export function writeGcode(dir: string, name: string, moves = 600): string {
  const out = [';FLAVOR:Marlin', ';Generated for a test', 'G21', 'G90', 'M83', 'M104 S200', 'M140 S60', 'G28', 'M109 S200', ''];
  for (let i = 0; i < moves; i++) {
    out.push(i % 7 === 0 ? `G0 F6000 X${(i * 7) % 100} Y${(i * 13) % 100} ; travel` : `G1 X${(i * 3) % 100}.5 Y${(i * 11) % 100}.25 E0.${(i % 90) + 10}`);
    if (i % 100 === 0) out.push(`;LAYER:${i / 100}`, `G1 Z${((i / 100) * 0.2 + 0.2).toFixed(1)}`);
  }
  out.push('M104 S0', 'M140 S0', 'M84');
  const file = path.join(dir, name);
  writeFileSync(file, out.join('\n') + '\n');
  return file;
}

/** The commands of a file as the firmware should run them. */
export function commandsOf(text: string): string[] {
  return text.split('\n').map(cleanLine).filter((l) => l !== '');
}

/** What the firmware ran since `from` (the count of commands it had run before the print). */
export function jobCommands(executed: readonly string[], from: number): string[] {
  return executed.slice(from);
}

export async function startSim(options: Partial<MarlinSimOptions> = {}): Promise<MarlinSimulator> {
  return MarlinSimulator.start({ workDir: tempDir(), bootMs: 150, homeMs: 300, heatRate: 200, baudInAddress: true, ...options });
}

export function makeDriver(address: string, options: MarlinDriverOptions = {}): { driver: MarlinDriver; log: string[] } {
  const log: string[] = [];
  const driver = new MarlinDriver(
    {
      connection: { id: 'conn-m', kind: 'marlin', name: 'Test Marlin', address, options: {}, origin: 'user', createdAt: 0, updatedAt: 0 },
      secret: null,
      log: createLogger('marlin-test', (l) => log.push(l)),
    },
    { reconnectInitialMs: 200, reconnectMaxMs: 1_000, handshake: { helloIntervalMs: 700 }, ...options },
  );
  return { driver, log };
}

export async function waitFor(driver: MarlinDriver, what: string, predicate: (s: DeviceStatus) => boolean, timeoutMs = 20_000): Promise<DeviceStatus> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const s = driver.status();
    if (predicate(s)) return s;
    await new Promise((r) => setTimeout(r, 25));
  }
  const s = driver.status();
  throw new Error(`timed out waiting for ${what}; last: ${s.link} ${s.state} "${s.stateText}" ${s.problem?.message ?? ''}`);
}
