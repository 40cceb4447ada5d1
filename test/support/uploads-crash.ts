import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import WebSocket from 'ws';
import { tempDir } from './test-hub';
import { makeImages, startImssSandbox, verifyDelivery } from './uploads-fixtures';

const BIN = path.resolve(__dirname, '../../bin/printdeck.js');
export const TOKEN = 'crash-test-token-0123456789';
const IMSS_TOKEN = 'crash-imss-token-0123';

export interface CrashTestOptions {
  images?: number;
  /** kill -9 rounds before the final, undisturbed run. */
  rounds?: number;
  minBytes?: number;
  maxBytes?: number;
  /** Per upload stream, so a round has uploads in flight when it is killed. */
  bytesPerSecond?: number;
  /** Random time a host runs before it is killed. */
  killAfterMs?: [number, number];
  log?: (line: string) => void;
}

export interface CrashOutcome {
  images: number;
  rounds: number;
  lost: number;
  duplicated: number;
  mismatched: number;
  /** Upload jobs the server saw (1 when request ids made job creation idempotent). */
  serverJobs: number;
  outboxEntries: number;
  delivered: boolean;
  /** The job's state and error as the host last reported them: what to look at when it was not delivered. */
  finalState: string;
  finalError: string | null;
  seconds: number;
}

/** A minimal client of the host's WebSocket API. */
export class WsApi {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as { t: string; id?: number; result?: { ok: boolean; value?: unknown; error?: { code: string; message: string } } };
      if (frame.t !== 'result' || frame.id === undefined) return;
      const p = this.pending.get(frame.id);
      this.pending.delete(frame.id);
      if (!p || !frame.result) return;
      if (frame.result.ok) p.resolve(frame.result.value);
      else p.reject(new Error(`${frame.result.error?.code}: ${frame.result.error?.message}`));
    });
    ws.on('close', () => {
      for (const p of this.pending.values()) p.reject(new Error('socket closed'));
      this.pending.clear();
    });
  }

  static async open(port: number): Promise<WsApi> {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws?token=${TOKEN}`);
    await new Promise<void>((resolve, reject) => {
      ws.once('message', () => resolve());
      ws.once('error', reject);
    });
    return new WsApi(ws);
  }

  call<T>(method: string, payload: unknown = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.ws.send(JSON.stringify({ t: 'call', id, method, payload }));
    });
  }

  close(): void {
    this.ws.close();
  }
}

export interface Host {
  child: ChildProcess;
  port: number;
}

export async function launch(dataDir: string, port: number): Promise<Host> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', String(port), '--data-dir', dataDir, '--token', TOKEN], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PRINTDECK_LOG: 'warn' },
  });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => (err = (err + String(d)).slice(-4000)));
  const actual = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`host did not start: ${err}`)), 20_000);
    child.stdout!.on('data', (d) => {
      out += String(d);
      const m = /Open http:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`host exited with ${code}: ${err}`));
    });
  });
  return { child, port: actual };
}

export async function kill9(host: Host): Promise<void> {
  if (host.child.exitCode !== null || host.child.signalCode !== null) return;
  const exited = new Promise((r) => host.child.once('exit', r));
  host.child.kill('SIGKILL');
  await exited;
}

export async function stopGracefully(host: Host): Promise<void> {
  if (host.child.exitCode !== null || host.child.signalCode !== null) return;
  const exited = new Promise((r) => host.child.once('exit', r));
  host.child.kill('SIGTERM');
  await exited;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The crash test: a headless host (`printdeck serve`) uploads a job of `images` images to a
 * sandbox IMSS started here, and is killed with SIGKILL at random moments `rounds` times and
 * restarted on the same data folder; then it runs to the end. Every image must be on the
 * server exactly once and byte-identical, and the job delivered once.
 */
export async function runCrashTest(options: CrashTestOptions = {}): Promise<CrashOutcome> {
  const images = options.images ?? 200;
  const rounds = options.rounds ?? 10;
  const [killMin, killMax] = options.killAfterMs ?? [150, 1200];
  const log = options.log ?? (() => undefined);
  const started = Date.now();
  const sandbox = await startImssSandbox(IMSS_TOKEN);
  const sources = makeImages(tempDir('crash-src-'), images, options.minBytes ?? 4_000, options.maxBytes ?? 24_000, 'shot');
  const dataDir = tempDir('crash-host-');
  let host = await launch(dataDir, 0);
  const port = host.port;
  try {
    let api = await WsApi.open(port);
    const conn = await api.call<{ id: string }>('connections.add', { kind: 'imss', name: 'Crash IMSS', address: `grpc://${sandbox.server.address}`, secret: IMSS_TOKEN });
    const session = await api.call<{ id: string }>('uploads.createSession', { connectionId: conn.id, name: 'Crash test' });
    // A browser client cannot name host paths: stage the bytes, as the web UI does (at most 4 staged files waiting per client).
    let addedCount = 0;
    for (let i = 0; i < sources.length; i += 4) {
      const batch = sources.slice(i, i + 4);
      const staged = await Promise.all(
        batch.map(async (file) => {
          const bytes = readFileSync(file);
          const begin = await api.call<{ stagedId: string }>('files.stageBegin', { name: path.basename(file), size: bytes.length });
          await api.call('files.stageChunk', { stagedId: begin.stagedId, offset: 0, dataBase64: bytes.toString('base64') });
          await api.call('files.stageFinish', { stagedId: begin.stagedId });
          return begin.stagedId;
        }),
      );
      const added = await api.call<{ added: unknown[] }>('uploads.addImages', {
        connectionId: conn.id,
        sessionId: session.id,
        files: staged.map((stagedId) => ({ kind: 'staged', stagedId })),
      });
      addedCount += added.added.length;
    }
    if (addedCount !== images) throw new Error(`only ${addedCount} of ${images} images were added`);
    sandbox.server.imssFaults.bytesPerSecond = options.bytesPerSecond ?? 60_000;
    const job = await api.call<{ id: string }>('uploads.createJob', { connectionId: conn.id, sessionId: session.id, recipient: 'crash@example.org' });
    log(`job ${job.id} created with ${images} images`);
    api.close();

    for (let round = 1; round <= rounds; round++) {
      const wait = killMin + Math.floor(Math.random() * (killMax - killMin));
      await sleep(wait);
      await kill9(host);
      log(`round ${round}: killed after ${wait} ms; ${sandbox.server.state.storedUploads().length} images stored so far`);
      host = await launch(dataDir, port);
    }

    sandbox.server.imssFaults.bytesPerSecond = 0;
    api = await WsApi.open(port);
    let delivered = false;
    let finalState = 'unknown';
    let finalError: string | null = null;
    // Waits for an outcome, not for a number of seconds: it gives up only when nothing has moved (no new image
    // stored, no change of job state) for a whole minute, however slowly a loaded machine gets there.
    let lastProgress = Date.now();
    let lastMark = '';
    while (Date.now() - lastProgress < 60_000) {
      const j = await api.call<{ job: { state: string; error?: string | null } }>('uploads.getJob', { jobId: job.id, offset: 0, limit: 1 });
      finalState = j.job.state;
      finalError = j.job.error ?? null;
      const mark = `${j.job.state}:${sandbox.server.state.storedUploads().length}`;
      if (mark !== lastMark) {
        lastMark = mark;
        lastProgress = Date.now();
      }
      if (j.job.state === 'delivered') {
        delivered = true;
        break;
      }
      if (j.job.state === 'failed' || j.job.state === 'cancelled') break;
      await sleep(100);
    }
    api.close();
    const check = verifyDelivery(sandbox.server, sources);
    const outboxEntries = readdirSync(sandbox.server.state.outboxDir).length;
    return { images, rounds, ...check, serverJobs: sandbox.server.state.jobCount(), outboxEntries, delivered, finalState, finalError, seconds: (Date.now() - started) / 1000 };
  } finally {
    await stopGracefully(host).catch(() => undefined);
    await sandbox.server.stop();
  }
}
