import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startHost, type RunningHost } from '../../src/main/host/host-server';
import { createLogger } from '../../src/main/log';
import { createTestHub, tempDir, type TestHub, type TestHubOptions } from './test-hub';

export interface TestHost extends TestHub {
  host: RunningHost;
  hostLog: string[];
  wsUrl(token?: string): string;
}

export const TEST_TOKEN = 'test-token-0123456789abcdef';

/** A real Hub behind the real headless host on a free loopback port, with a stub UI folder. */
export async function startTestHost(hubOptions: TestHubOptions = {}): Promise<TestHost> {
  const testHub = await createTestHub(hubOptions);
  const rendererDir = path.join(tempDir(), 'renderer');
  mkdirSync(rendererDir, { recursive: true });
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Printdeck</title>');
  const hostLog: string[] = [];
  const host = await startHost({
    hub: testHub.hub,
    rendererDir,
    port: 0,
    token: TEST_TOKEN,
    log: createLogger('host', (l) => hostLog.push(l)),
  });
  return {
    ...testHub,
    host,
    hostLog,
    wsUrl: (token = TEST_TOKEN) => `ws://127.0.0.1:${host.port}/ws?token=${encodeURIComponent(token)}`,
    async close() {
      await host.close();
      await testHub.close();
    },
  };
}
