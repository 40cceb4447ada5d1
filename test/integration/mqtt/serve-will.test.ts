import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hasMosquitto, TestBroker, warnNoMosquitto } from '../../support/mosquitto';
import { tempDir } from '../../support/test-hub';
import { eventually, Watcher } from './mqtt-support';

warnNoMosquitto('mqtt serve');

const BIN = path.resolve(__dirname, '../../../bin/printdeck.js');

// Skipped only where Debian's mosquitto is missing (scripts/setup and .ci/run install it); npm test names what it skipped.
describe.skipIf(!hasMosquitto())('printdeck serve --mqtt as a process', () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterAll(async () => {
    for (const c of cleanup.reverse()) await c();
  });

  it('publishes online, and the broker publishes the Last Will when the process is killed', async () => {
    const broker = await TestBroker.start();
    cleanup.push(() => broker.close());
    const dataDir = tempDir();
    cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const w = await Watcher.open(broker.url, ['printdeck/killed/+/status']);
    cleanup.push(() => w.close());
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--data-dir', dataDir, '--mqtt', broker.url, '--site', 'killed'], {
      stdio: ['ignore', 'ignore', 'ignore'],
    });
    cleanup.push(() => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    const onlineTopic = await eventually(() => {
      const m = w.messages.find((x) => x.payload.toString() === 'online');
      expect(m).toBeDefined();
      return m!.topic;
    }, 30_000);
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    // No graceful "offline" was possible: this one is the broker's.
    await eventually(() => expect(w.last(onlineTopic)).toBe('offline'));
  });
});
