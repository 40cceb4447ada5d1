import { readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { UploadJobSummary } from '../../../src/shared/contract';
import { createTestHub, tempDir, type TestHub } from '../../support/test-hub';
import { callHub, makeImages, makeJpeg, startImssSandbox, verifyDelivery, waitFor } from '../../support/uploads-fixtures';

const TOKEN = 'imss-test-token-123';

describe('uploads over real gRPC against the IMSS sandbox', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function setup(opts: { token?: string | null; secret?: string } = {}) {
    const sandbox = await startImssSandbox(opts.token === undefined ? TOKEN : opts.token);
    cleanups.push(() => sandbox.server.stop());
    const t: TestHub = await createTestHub();
    cleanups.push(() => t.close());
    const conn = await callHub(t.hub, 'connections.add', {
      kind: 'imss',
      name: 'Lab IMSS',
      address: sandbox.address,
      secret: opts.secret ?? TOKEN,
    });
    const session = await callHub(t.hub, 'uploads.createSession', { connectionId: conn.id, name: 'Bench day' });
    return { sandbox: sandbox.server, workDir: sandbox.workDir, hub: t.hub, connectionId: conn.id, sessionId: session.id, logLines: t.logLines };
  }

  async function jobOf(hub: TestHub['hub'], jobId: string): Promise<UploadJobSummary> {
    return (await callHub(hub, 'uploads.getJob', { jobId, offset: 0, limit: 500 })).job;
  }

  async function untilState(hub: TestHub['hub'], jobId: string, state: UploadJobSummary['state'], ms = 15_000) {
    return waitFor(async () => {
      const j = await jobOf(hub, jobId);
      return j.state === state ? j : null;
    }, ms, `job ${state}`);
  }

  it('uploads a session to a recipient: every image stored once, byte-identical, delivered once', async () => {
    const { sandbox, workDir, hub, connectionId, sessionId } = await setup();
    const dir = tempDir('uploads-src-');
    const files = makeImages(dir, 6, 10_000, 300_000);
    const jpg = makeJpeg(path.join(dir, 'real.jpg'));
    const added = await callHub(hub, 'uploads.addImages', { connectionId, sessionId, files: [{ kind: 'path', path: dir }] });
    expect(added.added).toHaveLength(7);
    // The same content again is not added twice.
    const again = await callHub(hub, 'uploads.addImages', { connectionId, sessionId, files: [{ kind: 'path', path: files[0] as string }] });
    expect(again).toMatchObject({ added: [], duplicates: 1 });

    const job = await callHub(hub, 'uploads.createJob', { connectionId, sessionId, recipient: ' Lab.Manager@Example.org ' });
    expect(job).toMatchObject({ recipient: 'lab.manager@example.org', totalImages: 7, state: 'preparing' });
    const done = await untilState(hub, job.id, 'delivered');
    expect(done).toMatchObject({ doneImages: 7, errorImages: 0, sentBytes: done.totalBytes });
    expect(done.deliveryLink).toContain('imss.sandbox.invalid');
    expect(verifyDelivery(sandbox, [...files, jpg])).toEqual({ lost: 0, duplicated: 0, mismatched: 0 });
    expect(readdirSync(path.join(workDir, 'outbox'))).toHaveLength(1);

    const images = await callHub(hub, 'uploads.listImages', { connectionId, sessionId, offset: 0, limit: 50 });
    expect(images.total).toBe(7);
    const real = images.images.find((i) => i.name === 'real.jpg');
    await waitFor(async () => (await callHub(hub, 'uploads.listImages', { connectionId, sessionId, offset: 0, limit: 50 })).images.find((i) => i.name === 'real.jpg')?.thumbnail === 'ready', 5000, 'thumbnail');
    const thumb = await callHub(hub, 'uploads.thumbnail', { imageId: real!.id });
    expect(thumb?.mime).toBe('image/jpeg');
    expect(Buffer.from(thumb!.dataBase64, 'base64').length).toBeLessThan(48 * 1024);
  });

  it('resumes an interrupted stream at the committed offset', async () => {
    const { sandbox, hub, connectionId, sessionId } = await setup();
    const [file] = makeImages(tempDir(), 1, 2_000_000, 2_000_000);
    await callHub(hub, 'uploads.addImages', { connectionId, sessionId, files: [{ kind: 'path', path: file as string }] });
    sandbox.imssFaults.cutStreams(700_000, 2);
    const job = await callHub(hub, 'uploads.createJob', { connectionId, sessionId, recipient: 'a@b.co' });
    await untilState(hub, job.id, 'delivered');
    const offsets = sandbox.state.dataCalls.map((c) => c.offset);
    // Cut at 700,000 received bytes per call: the second call starts there, the third 700,000 later.
    expect(offsets).toEqual([0, 700_000, 1_400_000]);
    expect(verifyDelivery(sandbox, [file as string])).toEqual({ lost: 0, duplicated: 0, mismatched: 0 });
  });

  it('pauses the queue while the server is down and resumes when it is back', async () => {
    const { sandbox, hub, connectionId, sessionId } = await setup();
    const files = makeImages(tempDir(), 6, 200_000, 200_000);
    await callHub(hub, 'uploads.addImages', { connectionId, sessionId, files: files.map((p) => ({ kind: 'path' as const, path: p })) });
    sandbox.imssFaults.bytesPerSecond = 1_000_000;
    const committed: number[] = [];
    hub.events.addSink({
      deliver: (batch) => {
        for (const e of batch) if (e.name === 'uploads.job') committed.push((e.payload as UploadJobSummary).committedBytes);
      },
    });
    const job = await callHub(hub, 'uploads.createJob', { connectionId, sessionId, recipient: 'a@b.co' });
    await waitFor(async () => (await jobOf(hub, job.id)).sentBytes > 100_000, 10_000, 'some progress');
    const restart = sandbox.restart(2500);
    const down = await waitFor(async () => {
      const s = await callHub(hub, 'uploads.status', {});
      return s.servers[0]?.circuit === 'down' ? s : null;
    }, 5000, 'circuit down');
    expect(down.servers[0]?.message).toBeTruthy();
    expect((await jobOf(hub, job.id)).waitingForServer).toBe(true);
    const callsWhileDown = sandbox.state.dataCalls.length;
    await restart;
    sandbox.imssFaults.bytesPerSecond = 0;
    const done = await untilState(hub, job.id, 'delivered', 20_000);
    expect(done.waitingForServer).toBe(false);
    expect((await callHub(hub, 'uploads.status', {})).servers[0]?.circuit).toBe('ok');
    expect(sandbox.state.dataCalls.length).toBeGreaterThan(callsWhileDown);
    expect(verifyDelivery(sandbox, files)).toEqual({ lost: 0, duplicated: 0, mismatched: 0 });
    // The progress shown is what the server stored: it never went back across the restart, and the job's
    // last event (sent no sooner than the progress interval allows) shows all of it.
    await waitFor(
      async () => {
        hub.events.flush();
        return committed.at(-1) === done.totalBytes ? true : null;
      },
      10_000,
      'the final job event',
    );
    expect(committed.length).toBeGreaterThan(1);
    expect(committed).toEqual([...committed].sort((x, y) => x - y));
  });

  it('fails only the images whose files changed or vanished; retry and cancel work', async () => {
    const { sandbox, hub, connectionId, sessionId } = await setup();
    const files = makeImages(tempDir(), 4, 5000, 5000);
    await callHub(hub, 'uploads.addImages', { connectionId, sessionId, files: files.map((p) => ({ kind: 'path' as const, path: p })) });
    rmSync(files[1] as string);
    const later = new Date(statSync(files[2] as string).mtimeMs + 5000);
    writeFileSync(files[2] as string, 'changed!');
    utimesSync(files[2] as string, later, later);
    const job = await callHub(hub, 'uploads.createJob', { connectionId, sessionId, recipient: 'a@b.co' });
    const done = await untilState(hub, job.id, 'delivered');
    expect(done).toMatchObject({ doneImages: 2, errorImages: 2 });
    const detail = await callHub(hub, 'uploads.getJob', { jobId: job.id, offset: 0, limit: 10 });
    const errors = detail.images.filter((i) => i.state === 'error').map((i) => i.error);
    expect(errors.join(' ')).toMatch(/deleted from disk/);
    expect(errors.join(' ')).toMatch(/changed on disk/);
    expect(verifyDelivery(sandbox, [files[0] as string, files[3] as string])).toEqual({ lost: 0, duplicated: 0, mismatched: 0 });
  });

  it('keeps a checksum failure as a retryable image error', async () => {
    const { sandbox, hub, connectionId, sessionId } = await setup();
    const files = makeImages(tempDir(), 2, 50_000, 50_000);
    const when = new Date('2026-01-02T03:04:05.000Z');
    for (const f of files) utimesSync(f, when, when);
    await callHub(hub, 'uploads.addImages', { connectionId, sessionId, files: files.map((p) => ({ kind: 'path' as const, path: p })) });
    // Same size and time, other bytes: only the server's SHA-256 check can notice.
    const victim = files[1] as string;
    const original = readFileSync(victim);
    writeFileSync(victim, Buffer.alloc(original.length, 7));
    utimesSync(victim, when, when);
    const job = await callHub(hub, 'uploads.createJob', { connectionId, sessionId, recipient: 'a@b.co' });
    const stuck = await waitFor(async () => {
      const j = await jobOf(hub, job.id);
      return j.doneImages === 1 && j.errorImages === 1 ? j : null;
    }, 10_000, 'one done, one failed');
    const detail = await callHub(hub, 'uploads.getJob', { jobId: job.id, offset: 0, limit: 10 });
    expect(stuck.state).toBe('uploading');
    const failed = detail.images.find((i) => i.state === 'error');
    expect(failed).toMatchObject({ retryable: true });
    expect(failed?.error).toMatch(/checksum/);
    writeFileSync(victim, original);
    utimesSync(victim, when, when);
    await callHub(hub, 'uploads.retryImage', { jobId: job.id, imageId: failed!.imageId });
    await untilState(hub, job.id, 'delivered');
    expect(verifyDelivery(sandbox, files)).toEqual({ lost: 0, duplicated: 0, mismatched: 0 });
  });

  it('pauses, resumes and cancels a job', async () => {
    const { sandbox, hub, connectionId, sessionId } = await setup();
    const files = makeImages(tempDir(), 3, 400_000, 400_000);
    await callHub(hub, 'uploads.addImages', { connectionId, sessionId, files: files.map((p) => ({ kind: 'path' as const, path: p })) });
    sandbox.imssFaults.bytesPerSecond = 400_000;
    expect((await callHub(hub, 'uploads.configure', { concurrency: 1 })).concurrency).toBe(1);
    const job = await callHub(hub, 'uploads.createJob', { connectionId, sessionId, recipient: 'a@b.co' });
    await waitFor(async () => (await jobOf(hub, job.id)).active.length > 0, 5000, 'uploading');
    const paused = await callHub(hub, 'uploads.pauseJob', { jobId: job.id });
    expect(paused.paused).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    const during = await jobOf(hub, job.id);
    expect(during.active).toHaveLength(0);
    expect((await callHub(hub, 'uploads.status', {})).inFlight).toBe(0);
    await callHub(hub, 'uploads.resumeJob', { jobId: job.id });
    await waitFor(async () => (await jobOf(hub, job.id)).doneImages >= 1, 10_000, 'one image done');
    const cancelled = await callHub(hub, 'uploads.cancelJob', { jobId: job.id });
    expect(['cancelling', 'cancelled']).toContain(cancelled.state);
    await untilState(hub, job.id, 'cancelled');
    await expect(callHub(hub, 'uploads.resumeJob', { jobId: job.id })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(readdirSync(path.join(sandbox.state.outboxDir))).toHaveLength(0);
  });

  it('refuses paths over the network and wrong credentials open the circuit', async () => {
    const { hub, connectionId, sessionId } = await setup({ secret: 'wrong-token-xxxxxxxx' }).catch(async (err) => {
      expect(String(err)).toMatch(/AUTH_REQUIRED/);
      return { hub: null, connectionId: '', sessionId: '' };
    });
    expect(hub).toBeNull();
    void connectionId;
    void sessionId;
    const ok = await setup();
    await expect(
      callHub(ok.hub, 'uploads.addImages', { connectionId: ok.connectionId, sessionId: ok.sessionId, files: [{ kind: 'path', path: '/etc/hostname' }] }, 'websocket'),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(callHub(ok.hub, 'uploads.createSession', { connectionId: ok.connectionId, name: 'second' })).rejects.toThrow(/still active/);
    await expect(
      callHub(ok.hub, 'uploads.createJob', { connectionId: ok.connectionId, sessionId: ok.sessionId, recipient: 'not-an-email' }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});

