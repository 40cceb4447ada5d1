import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ChunkProperties, PrintBody, type CommandReply } from '../../../src/main/mqtt/payloads';
import { PrintReceiver } from '../../../src/main/mqtt/print-receiver';
import { uploadPrint, type UploadLink } from '../../../src/main/mqtt/site-upload';
import type { DeviceStatus } from '../../../src/shared/contract';
import { NO_CAPABILITIES } from '../../../src/shared/domain/device';
import { deviceStatus } from '../../support/device-status';
import { silentLogger, tempDir } from '../../support/test-hub';

type Fault = 'deliver' | 'lose-request' | 'lose-reply';

/** The sender and a real receiver joined by a link that loses what `fault` says (a broker cut, either way). */
function rig(fault: (n: number, kind: string) => Fault) {
  let status: DeviceStatus = deviceStatus('p1', { state: 'idle', stateText: 'Idle', job: null, capabilities: { ...NO_CAPABILITIES, print: true } });
  const printed: Buffer[] = [];
  const receiver = new PrintReceiver(tempDir(), {
    status: () => status,
    print: async (_id, file) => {
      printed.push(readFileSync(file.path));
      status = { ...status, state: 'printing', job: { name: file.name, progress: 0, elapsedSec: 0, remainingSec: null, taskId: null } };
    },
  }, silentLogger());
  let n = 0;
  const link: UploadLink = {
    async ask(id, payload, props) {
      const kind = props ? 'chunk' : (JSON.parse(payload.toString()) as { op: string }).op;
      const f = fault(n++, kind);
      if (f === 'lose-request') return 'lost';
      const answer = props ? await receiver.chunk('p1', ChunkProperties.parse(props), Buffer.from(payload)) : await receiver.handle('p1', PrintBody.parse(JSON.parse(payload.toString())));
      if (f === 'lose-reply') return 'lost';
      const reply: CommandReply = { v: 1, id, action: 'print', ok: answer.error === null, error: answer.error, received: answer.received, ts: 0 };
      return reply;
    },
    whenConnected: async () => true,
    showsJob: (name) => status.state === 'printing' && status.job?.name === name,
  };
  return { link, printed, receiver, status: () => status };
}

function file(bytes: number): { path: string; data: Buffer } {
  const data = randomBytes(bytes);
  const p = path.join(tempDir(), 'part.gcode');
  writeFileSync(p, data);
  return { path: p, data };
}

const noProgress = () => undefined;

describe('uploading a print to another site', () => {
  it('arrives whole and is printed once whatever messages a flaky broker loses, commits included', async () => {
    const f = file(50_000);
    for (const seed of [1, 2, 3, 5, 8, 13]) {
      // Every seed-th message is lost on the way there or back, commits too.
      const r = rig((n) => (n % (seed + 2) === seed ? (n % 2 === 0 ? 'lose-request' : 'lose-reply') : 'deliver'));
      await uploadPrint(r.link, { path: f.path, name: 'part.gcode' }, noProgress, new AbortController().signal, { chunkBytes: 1024, window: 4 });
      expect(r.printed).toHaveLength(1);
      expect(r.printed[0]!.equals(f.data)).toBe(true);
      await r.receiver.dispose();
    }
  });

  it('a commit repeated because its reply was lost prints nothing the second time', async () => {
    const f = file(5_000);
    let commits = 0;
    const r = rig((_n, kind) => (kind === 'commit' && commits++ === 0 ? 'lose-reply' : 'deliver'));
    await uploadPrint(r.link, { path: f.path, name: 'part.gcode' }, noProgress, new AbortController().signal, { chunkBytes: 1024 });
    expect(commits).toBe(2);
    expect(r.printed).toHaveLength(1);
  });

  it('a commit whose every reply is lost still counts as started when the printer shows the file printing', async () => {
    const f = file(5_000);
    const r = rig((_n, kind) => (kind === 'commit' ? 'lose-reply' : 'deliver'));
    await uploadPrint(r.link, { path: f.path, name: 'part.gcode' }, noProgress, new AbortController().signal, { chunkBytes: 1024 });
    expect(r.printed).toHaveLength(1);
    expect(r.status().state).toBe('printing');
  });

  it('a refusal ends the upload with the receiving host’s code and words, and nothing is printed', async () => {
    const f = file(5_000);
    const r = rig(() => 'deliver');
    const big = rig(() => 'deliver');
    await expect(uploadPrint(r.link, { path: f.path, name: 'part.stl' }, noProgress, new AbortController().signal)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    const gone = new AbortController();
    gone.abort();
    await expect(uploadPrint(big.link, { path: f.path, name: 'part.gcode' }, noProgress, gone.signal)).rejects.toMatchObject({ code: 'CANCELLED' });
    expect([...r.printed, ...big.printed]).toHaveLength(0);
  });
});
