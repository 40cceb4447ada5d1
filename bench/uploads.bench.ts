import { randomBytes, randomUUID } from 'node:crypto';
import { closeSync, copyFileSync, mkdirSync, openSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { credentials, Metadata } from '@grpc/grpc-js';
import { ImssServiceClient } from '../src/main/gen/imss/imss_service';
import { CHUNK_BYTES } from '../src/main/uploads/imss-grpc-client';
import { UploadQueue } from '../src/main/uploads/upload-queue';
import { newJobRow, UploadStore, type JobImageRow } from '../src/main/uploads/upload-store';
import { openDatabase } from '../src/main/store/database';
import { runCrashTest } from '../test/support/uploads-crash';
import { FakeImss } from '../test/support/uploads-fake-imss';
import { callHub, sha256Of, startImssSandbox, waitFor } from '../test/support/uploads-fixtures';
import { createTestHub, silentLogger, tempDir } from '../test/support/test-hub';
import type { BenchResult, BenchSuite } from './lib/types';

const LARGE_BYTES = 64 * 1024 * 1024;
const SMALL_IMAGES = 10_000;

function unary<Res>(fn: (cb: (err: Error | null, res: Res) => void) => void): Promise<Res> {
  return new Promise((resolve, reject) => fn((err, res) => (err ? reject(err) : resolve(res))));
}

/** The bare baseline: one client-streaming call of the file's chunks, read from disk, no queue. */
async function bareUpload(address: string, file: string, size: number, sessionId: string): Promise<number> {
  const client = new ImssServiceClient(address, credentials.createInsecure());
  try {
    const reg = await unary<{ image?: { id: string } }>((cb) =>
      client.registerImage({ sessionId, localPath: `${file}#${randomUUID()}`, size: String(size), createdAt: new Date(), sha256Hex: sha256Of(file) }, cb),
    );
    const job = await unary<{ imageUploads: { id: string }[] }>((cb) =>
      client.createUploadJob({ requestId: randomUUID(), imageIds: [reg.image!.id], recipient: 'bench@example.org' }, cb),
    );
    const uploadId = job.imageUploads[0]!.id;
    const handle = await open(file, 'r');
    const t0 = performance.now();
    await new Promise<void>((resolve, reject) => {
      const call = client.uploadImageData(new Metadata(), (err) => (err ? reject(err) : resolve()));
      call.write({ data: { $case: 'header', value: { imageUploadId: uploadId, offset: '0' } } });
      void (async () => {
        for (let pos = 0; pos < size; ) {
          const buf = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, size - pos));
          const { bytesRead } = await handle.read(buf, 0, buf.length, pos);
          pos += bytesRead;
          if (!call.write({ data: { $case: 'chunk', value: buf } })) await new Promise((r) => call.once('drain', r));
        }
        call.end();
      })().catch(reject);
    });
    const seconds = (performance.now() - t0) / 1000;
    await handle.close();
    return size / seconds;
  } finally {
    client.close();
  }
}

/** The same file through Printdeck: contract call → durable job → queue → gRPC, until the image is DONE. */
async function queueUpload(hub: Awaited<ReturnType<typeof createTestHub>>['hub'], connectionId: string, sessionId: string, file: string, size: number): Promise<number> {
  // A distinct file per run (the session de-duplicates by checksum): same size, first bytes different.
  const copy = `${file}.${randomUUID()}.jpg`;
  copyFileSync(file, copy);
  const fd = openSync(copy, 'r+');
  writeSync(fd, randomBytes(8), 0, 8, 0);
  closeSync(fd);
  const added = await callHub(hub, 'uploads.addImages', { connectionId, sessionId, files: [{ kind: 'path', path: copy }] });
  const imageId = added.added[0]!.id;
  const t0 = performance.now();
  const job = await callHub(hub, 'uploads.createJob', { connectionId, sessionId, recipient: 'bench@example.org', imageIds: [imageId] });
  await waitFor(async () => (await callHub(hub, 'uploads.getJob', { jobId: job.id, offset: 0, limit: 1 })).job.doneImages === 1, 120_000, 'upload', 2);
  const seconds = (performance.now() - t0) / 1000;
  rmSync(copy, { force: true });
  return size / seconds;
}

async function throughput(): Promise<BenchResult[]> {
  const sandbox = await startImssSandbox(null);
  const t = await createTestHub();
  try {
    const dir = tempDir('uploads-bench-');
    const file = path.join(dir, 'large.jpg');
    writeFileSync(file, randomBytes(LARGE_BYTES));
    const conn = await callHub(t.hub, 'connections.add', { kind: 'imss', name: 'Bench', address: sandbox.address });
    const session = await callHub(t.hub, 'uploads.createSession', { connectionId: conn.id, name: 'bench' });
    const bare: number[] = [];
    const ours: number[] = [];
    for (let i = 0; i < 3; i++) {
      bare.push(await bareUpload(sandbox.server.address, file, LARGE_BYTES, session.id));
      ours.push(await queueUpload(t.hub, conn.id, session.id, file, LARGE_BYTES));
    }
    const best = (xs: number[]) => Math.max(...xs);
    rmSync(dir, { recursive: true, force: true });
    return [
      { name: 'uploads.large_file_mib_s', value: best(ours) / 1024 / 1024, unit: 'MiB/s', target: null, better: 'higher' },
      { name: 'uploads.bare_grpc_mib_s', value: best(bare) / 1024 / 1024, unit: 'MiB/s', target: null, better: 'higher' },
      { name: 'uploads.throughput_ratio', value: best(ours) / best(bare), unit: 'ratio', target: 0.9, better: 'higher' },
    ];
  } finally {
    await t.close();
    await sandbox.server.stop();
  }
}

/** 10,000 small images through the real queue and SQLite against an instant in-memory IMSS. */
async function queueOverhead(): Promise<BenchResult[]> {
  const dir = tempDir('uploads-overhead-');
  const files = path.join(dir, 'files');
  mkdirSync(files);
  const db = openDatabase({ dataDir: dir });
  const store = new UploadStore(db);
  const fake = new FakeImss();
  const connectionId = 'bench';
  const sessionId = 's1';
  const jobId = randomUUID();
  const rows: JobImageRow[] = [];
  store.transaction(() => {
    for (let i = 0; i < SMALL_IMAGES; i++) {
      const p = path.join(files, `img-${i}.jpg`);
      writeFileSync(p, randomBytes(512));
      const st = statSync(p);
      const id = randomUUID();
      store.insertImage({
        id,
        connection_id: connectionId,
        session_id: sessionId,
        name: `img-${i}.jpg`,
        path: p,
        owned: 0,
        source: 'file',
        size: 512,
        mtime_ms: Math.trunc(st.mtimeMs),
        sha256: randomBytes(32).toString('hex'),
        created_at: Date.now(),
        added_at: Date.now(),
        server_image_id: null,
        thumbnail: 'none',
        removed_at: null,
      });
      rows.push({ job_id: jobId, image_id: id, position: i, upload_id: null, state: 'pending', committed: 0, size: 512, error: null, retryable: 1 });
    }
  });
  let delivered = false;
  let events = 0;
  const queue = new UploadQueue(
    store,
    {
      api: () => fake,
      onJob: () => events++,
      onImage: () => events++,
      onCircuit: () => undefined,
      onDelivered: () => (delivered = true),
      onStuck: () => undefined,
    },
    silentLogger(),
    { concurrency: 3 },
  );
  global.gc?.();
  const baseHeap = process.memoryUsage().heapUsed;
  let peakHeap = baseHeap;
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peakHeap = Math.max(peakHeap, m.heapUsed);
    peakRss = Math.max(peakRss, m.rss);
  }, 20);
  const t0 = performance.now();
  store.insertJob(
    newJobRow({ id: jobId, connectionId, sessionId, recipient: 'bench@example.org', requestId: randomUUID() }),
    rows,
  );
  queue.start();
  queue.add(jobId);
  await waitFor(() => delivered, 300_000, 'the 10,000-image job', 5);
  const ms = performance.now() - t0;
  clearInterval(sampler);
  await queue.stop();
  db.close();
  rmSync(dir, { recursive: true, force: true });
  return [
    { name: 'uploads.queue_overhead_ms_per_image', value: ms / SMALL_IMAGES, unit: 'ms', target: 2, better: 'lower' },
    { name: 'uploads.queue_peak_heap_mb', value: (peakHeap - baseHeap) / 1024 / 1024, unit: 'MB', target: null, better: 'lower' },
    { name: 'uploads.queue_peak_rss_mb', value: peakRss / 1024 / 1024, unit: 'MB', target: null, better: 'lower' },
    { name: 'uploads.queue_events_per_image', value: events / SMALL_IMAGES, unit: 'events', target: null, better: 'lower' },
  ];
}

async function crash(): Promise<BenchResult[]> {
  const o = await runCrashTest({ images: 200, rounds: 10 });
  return [
    { name: 'uploads.crash_lost', value: o.lost + (o.delivered ? 0 : 1), unit: 'images', target: 0, better: 'lower' },
    { name: 'uploads.crash_duplicated', value: o.duplicated + Math.max(0, o.serverJobs - 1) + Math.max(0, o.outboxEntries - 1), unit: 'images', target: 0, better: 'lower' },
    { name: 'uploads.crash_seconds', value: o.seconds, unit: 's', target: null, better: 'lower' },
  ];
}

const suite: BenchSuite = {
  prefix: 'uploads',
  async run(): Promise<BenchResult[]> {
    return [...(await throughput()), ...(await queueOverhead()), ...(await crash())];
  },
};

export default suite;
