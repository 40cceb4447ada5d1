import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { slugify } from '../../../src/main/mqtt/topics';
import type { QueueJob, QueueSnapshot } from '../../../src/shared/contract';
import { hasMosquitto, warnNoMosquitto } from '../../support/mosquitto';
import { tempDir } from '../../support/test-hub';
import { writeGcode } from '../xyz/xyz-helpers';
import { eventually, startHost, useBroker, Watcher, type HostUnderTest } from './mqtt-support';

warnNoMosquitto('mqtt print-job command');

/** A part wider than any da Vinci's bed. */
function tooWide(dir: string): string {
  const file = path.join(dir, 'wide.gcode');
  writeFileSync(file, ';FLAVOR:Marlin\nG21\nG90\nG1 Z0.2\nG1 X10 Y10 E1\nG1 X400 Y10 E2\nG1 X400 Y50 E3\n');
  return file;
}

async function addJob(host: HostUnderTest, file: string): Promise<QueueJob> {
  // Aimed at a tag no printer has: the queue itself never starts it, only the command does.
  const r = await host.call('queue.add', { file: { kind: 'path', path: file }, target: { kind: 'tag', tag: 'nowhere' } });
  if (!r.ok) throw new Error(r.error.message);
  return (r.value as { jobs: QueueJob[] }).jobs[0]!;
}

// Skipped only where Debian's mosquitto is missing (scripts/setup and .ci/run install it); npm test names what it skipped.
describe.skipIf(!hasMosquitto())('the print-job command: a host prints a job of its own queue when asked over MQTT', () => {
  const env = useBroker();

  it('starts the job on the named printer and answers each refusal with the API’s code', async () => {
    const a = env.track(await startHost({ enabled: true, url: env.broker.url, site: 'north', commands: ['print-job'] }));
    const [unknownOn, busy, small, free, other] = ['p-unknown', 'p-busy', 'p-small', 'p-free', 'p-other'].map((n) => a.addPrinter(n));
    busy!.setStatus({ state: 'printing', stateText: 'Printing', job: { name: 'other', progress: 0.1, elapsedSec: 1, remainingSec: 10, taskId: null } });
    const dir = tempDir();
    const fits = await addJob(a, writeGcode(dir, 'fits.gcode', 200, 60));
    const wide = await addJob(a, tooWide(dir));
    const host = `printdeck/north/${await a.hostUid()}`;
    const w = env.track(await Watcher.open(env.broker.url, [`${host}/printer/+/ack`]));
    await eventually(() => expect(a.th.logLines.join('\n')).toContain('connected to MQTT broker'));

    const ask = async (printer: string, body: unknown, id: string) => {
      await w.client.publishAsync(`${host}/printer/${slugify(printer)}/cmd/print-job`, JSON.stringify(body), { qos: 1 });
      return eventually(() => {
        const reply = w.messages.map((m) => JSON.parse(m.payload.toString('utf8')) as { id: string }).find((m) => m.id === id);
        expect(reply).toBeDefined();
        return reply;
      });
    };

    expect(await ask(unknownOn!.deviceId, { id: 'r1', job: 'no-such-job' }, 'r1')).toMatchObject({ action: 'print-job', ok: false, error: { code: 'NOT_FOUND' } });
    expect(await ask(busy!.deviceId, { id: 'r2', job: fits.id }, 'r2')).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringMatching(/printing/i) } });
    expect(await ask(small!.deviceId, { id: 'r3', job: wide.id }, 'r3')).toMatchObject({ ok: false, error: { code: 'UNSUPPORTED', message: expect.stringMatching(/Too big/) } });
    expect(await ask('nope', { id: 'r4', job: fits.id }, 'r4')).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await ask(free!.deviceId, { id: 'r5' }, 'r5')).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    // Nothing refused was started anywhere.
    expect([unknownOn, busy, small].every((d) => d!.printed.length === 0)).toBe(true);

    expect(await ask(free!.deviceId, { id: 'r6', job: fits.id }, 'r6')).toMatchObject({ ok: true, error: null });
    expect(free!.printed.map((p) => p.request.name)).toEqual(['fits.gcode']);
    const queue = await a.call('queue.list', {});
    expect((queue as { value: QueueSnapshot }).value.jobs.find((j) => j.id === fits.id)).toMatchObject({ state: 'printing', deviceId: free!.deviceId });
    // The same job again, on another printer: it is no longer waiting.
    expect(await ask(other!.deviceId, { id: 'r7', job: fits.id }, 'r7')).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringMatching(/printing, not waiting/) } });
    expect(other!.printed).toHaveLength(0);
    expect(free!.printed).toHaveLength(1);
  });

  it('refuses print-job with FORBIDDEN where it is not on the allow list', async () => {
    const a = env.track(await startHost({ enabled: true, url: env.broker.url, site: 'south', commands: ['pause'] }));
    const p = a.addPrinter('mk4');
    const job = await addJob(a, writeGcode(tempDir(), 'part.gcode', 50, 60));
    const t = `printdeck/south/${await a.hostUid()}/printer/${slugify(p.deviceId)}`;
    const w = env.track(await Watcher.open(env.broker.url, [`${t}/ack`]));
    await eventually(() => expect(a.th.logLines.join('\n')).toContain('connected to MQTT broker'));
    await w.client.publishAsync(`${t}/cmd/print-job`, JSON.stringify({ id: 'f1', job: job.id }), { qos: 1 });
    await eventually(() => expect(w.lastJson(`${t}/ack`)).toMatchObject({ id: 'f1', action: 'print-job', ok: false, error: { code: 'FORBIDDEN' } }));
    expect(p.printed).toHaveLength(0);
  });
});
