import { randomBytes, randomUUID } from 'node:crypto';
import { statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { UploadJobSummary } from '../../../src/shared/contract';
import { openDatabase } from '../../../src/main/store/database';
import { backoffDelay } from '../../../src/shared/async';
import { retryPolicy } from '../../../src/main/uploads/circuit';
import { UploadQueue, type QueueOptions } from '../../../src/main/uploads/upload-queue';
import { UploadStore } from '../../../src/main/uploads/upload-store';
import { FakeImss } from '../../support/uploads-fake-imss';
import { silentLogger, tempDir } from '../../support/test-hub';

const FAST: Partial<QueueOptions> = { retryBaseMs: 5, retryCapMs: 20, probeBaseMs: 20, probeCapMs: 40, random: () => 0.5 };

function seed(dir: string, store: UploadStore, count: number): string {
  const jobId = randomUUID();
  const rows = [];
  for (let i = 0; i < count; i++) {
    const p = path.join(dir, `f${i}.jpg`);
    writeFileSync(p, randomBytes(100));
    const id = randomUUID();
    store.insertImage({
      id,
      connection_id: 'c1',
      session_id: 's1',
      name: `f${i}.jpg`,
      path: p,
      owned: 0,
      source: 'file',
      size: 100,
      mtime_ms: Math.trunc(statSync(p).mtimeMs),
      sha256: randomBytes(32).toString('hex'),
      created_at: 0,
      added_at: i,
      server_image_id: null,
      thumbnail: 'none',
      removed_at: null,
    });
    rows.push({ job_id: jobId, image_id: id, position: i, upload_id: null, state: 'pending' as const, committed: 0, size: 100, error: null, retryable: 1 });
  }
  store.insertJob(
    { id: jobId, connection_id: 'c1', session_id: 's1', recipient: 'r@x.io', request_id: randomUUID(), server_job_id: null, state: 'preparing', paused: 0, error: null, created_at: 1, finished_at: null, delivery_link: null, delivered_at: null },
    rows,
  );
  return jobId;
}

describe('UploadQueue', () => {
  const closers: (() => void | Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of closers.splice(0)) await c();
  });

  function make(fake: FakeImss, options: Partial<QueueOptions> = {}, dir = tempDir()) {
    const db = openDatabase({ dataDir: dir });
    const store = new UploadStore(db);
    const events: { t: number; job: UploadJobSummary }[] = [];
    const circuits: string[] = [];
    let delivered: UploadJobSummary | null = null;
    const queue = new UploadQueue(
      store,
      {
        api: () => fake,
        onJob: (job) => events.push({ t: Date.now(), job }),
        onImage: () => undefined,
        onCircuit: (_id, state) => circuits.push(state),
        onDelivered: (j) => (delivered = j),
        onStuck: () => undefined,
      },
      silentLogger(),
      { ...FAST, ...options },
    );
    closers.push(async () => {
      await queue.stop();
      db.close();
    });
    return { store, queue, events, circuits, dir, delivered: () => delivered };
  }

  const until = async (cond: () => boolean, ms = 3000) => {
    const end = Date.now() + ms;
    while (!cond()) {
      if (Date.now() > end) throw new Error('timeout');
      await new Promise((r) => setTimeout(r, 5));
    }
  };

  it('delivers a job, at most `concurrency` uploads in flight', async () => {
    const fake = new FakeImss();
    let peak = 0;
    const upload = fake.uploadImageData.bind(fake);
    let inFlight = 0;
    fake.uploadImageData = async (req) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      return upload(req);
    };
    const q = make(fake, { concurrency: 2 });
    const jobId = seed(q.dir, q.store, 10);
    q.queue.start();
    await until(() => q.delivered() !== null);
    expect(peak).toBe(2);
    expect(q.store.job(jobId)).toMatchObject({ state: 'delivered', delivery_link: 'fake://album' });
    expect(q.store.jobImages(jobId).every((i) => i.state === 'done' && i.committed === 100)).toBe(true);
  });

  it('emits at most 10 progress events per second per job', async () => {
    const fake = new FakeImss();
    const upload = fake.uploadImageData.bind(fake);
    fake.uploadImageData = async (req) => {
      for (let i = 0; i < 20; i++) {
        req.onSent(0);
        await new Promise((r) => setTimeout(r, 2));
      }
      return upload(req);
    };
    const q = make(fake);
    seed(q.dir, q.store, 30);
    q.queue.start();
    await until(() => q.events.at(-1)?.job.state === 'delivered', 5000);
    const times = q.events.map((e) => e.t);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(95);
    expect(q.events.at(-1)?.job.state).toBe('delivered');
  });

  it('opens the circuit when the server is down, holds the job, and resumes when it is back', async () => {
    const fake = new FakeImss();
    const q = make(fake);
    fake.down = true;
    const jobId = seed(q.dir, q.store, 5);
    q.queue.start();
    await until(() => q.circuits.includes('down'));
    expect(q.queue.summary(jobId)).toMatchObject({ waitingForServer: true, state: 'preparing' });
    fake.down = false;
    await until(() => q.delivered() !== null);
    expect(q.circuits).toEqual(['down', 'ok']);
  });

  it('retries a broken upload with back-off and gives up after maxAttempts, keeping the error retryable', async () => {
    const fake = new FakeImss();
    const q = make(fake, { maxAttempts: 3, circuitThreshold: 100 });
    fake.failNextUploads = 2;
    const jobId = seed(q.dir, q.store, 1);
    q.queue.start();
    await until(() => q.delivered() !== null);
    expect(fake.uploadCalls).toBe(3);

    fake.failNextUploads = 10;
    const second = seed(q.dir, q.store, 1);
    q.queue.add(second);
    await until(() => q.queue.summary(second)?.errorImages === 1);
    const [img] = q.queue.imagesOf(second, 0, 1)!.images;
    expect(img).toMatchObject({ state: 'error', retryable: true });
    expect(img?.error).toMatch(/Gave up after 3 attempts/);
    fake.failNextUploads = 0;
    q.queue.retry(second, img!.imageId);
    await until(() => q.store.job(second)?.state === 'delivered');
    expect(q.store.job(jobId)?.state).toBe('delivered');
  });

  it('resumes an unfinished job after a restart from the stored state', async () => {
    const fake = new FakeImss();
    const dir = tempDir();
    const first = make(fake, {}, dir);
    const upload = fake.uploadImageData.bind(fake);
    let calls = 0;
    fake.uploadImageData = async (req) => {
      calls++;
      if (calls > 2) await new Promise(() => undefined); // hangs: the "process" dies mid-upload
      return upload(req);
    };
    const jobId = seed(dir, first.store, 6);
    first.queue.start();
    await until(() => first.store.jobImages(jobId).filter((i) => i.state === 'done').length === 2);
    await first.queue.stop();
    fake.uploadImageData = upload;
    const callsBefore = fake.uploadCalls;
    const second = make(fake, {}, dir);
    second.queue.start();
    await until(() => second.delivered() !== null);
    expect(fake.createJobCalls).toBe(1);
    expect(fake.uploadCalls - callsBefore).toBe(4); // only the four not done, from their committed offsets
    expect(second.store.jobImages(jobId).every((i) => i.state === 'done')).toBe(true);
  });

  it('does not create the job twice when the process dies before the answer is stored', async () => {
    const fake = new FakeImss();
    const dir = tempDir();
    const first = make(fake, {}, dir);
    const create = fake.createUploadJob.bind(fake);
    fake.createUploadJob = async (req) => {
      await create(req); // the server creates it…
      return new Promise(() => undefined); // …but the answer never arrives
    };
    const jobId = seed(dir, first.store, 3);
    first.queue.start();
    await until(() => fake.createJobCalls === 1);
    await first.queue.stop();
    fake.createUploadJob = create;
    const second = make(fake, {}, dir);
    second.queue.start();
    await until(() => second.delivered() !== null);
    expect(fake.createJobCalls).toBe(2);
    expect(fake.jobCount()).toBe(1);
    expect(second.store.job(jobId)?.state).toBe('delivered');
  });

  it('pauses and resumes without losing images', async () => {
    const fake = new FakeImss();
    const q = make(fake, { concurrency: 1 });
    const jobId = seed(q.dir, q.store, 4);
    q.queue.start();
    q.queue.pause(jobId);
    await new Promise((r) => setTimeout(r, 50));
    const paused = q.queue.summary(jobId)!;
    expect(paused.paused).toBe(true);
    expect(paused.doneImages).toBeLessThan(4);
    q.queue.resume(jobId);
    await until(() => q.delivered() !== null);
  });
});

describe('upload retry waits', () => {
  it('grow exponentially with equal jitter and are capped', () => {
    const policy = retryPolicy(100, 10_000);
    expect(backoffDelay(0, policy, () => 0)).toBe(50);
    expect(backoffDelay(3, policy, () => 1)).toBe(800);
    expect(backoffDelay(20, policy, () => 1)).toBe(10_000);
    const spread = new Set(Array.from({ length: 20 }, () => backoffDelay(4, policy)));
    expect(spread.size).toBeGreaterThan(5);
  });
});
