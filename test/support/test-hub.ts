import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultDemoFleet, defaultDemoPlan } from '../../sim/demo/plan';
import type { SimulatorPlanEntry } from '../../sim/demo/simulator';
import { Hub, type HubOptions } from '../../src/main/hub';
import { createLogger, type Logger } from '../../src/main/log';
import { KeyFileProvider } from '../../src/main/store/key-file';

export interface TestHub {
  hub: Hub;
  dataDir: string;
  logLines: string[];
  close(): Promise<void>;
}

export type TestHubOptions = Partial<HubOptions> & {
  dataDir?: string;
  /** The demo fleet's simulators, as the entry points compose it; default: the built-in plan. */
  demoPlan?: () => readonly SimulatorPlanEntry[];
};

/** A real Hub on a throw-away data folder, with its log captured for assertions. */
export async function createTestHub(options: TestHubOptions = {}): Promise<TestHub> {
  const { demoPlan, ...hubOptions } = options;
  const dataDir = options.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'printdeck-test-'));
  const logLines: string[] = [];
  const log: Logger = createLogger('test', (line) => logLines.push(line));
  const hub = await Hub.create({
    dataDir,
    keyProvider: new KeyFileProvider(dataDir, log),
    log,
    demo: defaultDemoFleet(dataDir, demoPlan ?? defaultDemoPlan),
    ...hubOptions,
    eventTickMs: options.eventTickMs ?? 10,
  });
  return {
    hub,
    dataDir,
    logLines,
    async close() {
      await hub.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function tempDir(prefix = 'printdeck-test-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function silentLogger(): Logger {
  return createLogger('test', () => {});
}
