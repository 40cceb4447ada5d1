import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';

const ROOT = path.resolve(__dirname, '../..');

/** Builds `out/` (main, preload, renderer) as `npm run serve` would, so the figures are of this checkout. */
export function buildOut(): void {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error(`electron-vite build failed (exit ${r.status})`);
}

export interface ServeProcess {
  port: number;
  token: string;
  /** The URL the host prints: the page trades the fragment's token for a session. */
  openUrl: string;
  child: ChildProcess;
  /** One call over a fresh WebSocket, as a script would make it. */
  call<T>(method: string, payload?: unknown): Promise<T>;
  /** CPU seconds (user + system) the host process has used so far (from /proc). */
  cpuSeconds(): number;
  rssMb(): number;
  stop(): Promise<void>;
}

/** `node bin/printdeck.js serve <args>` on its own port and in its own temporary data folder. */
export async function startServe(args: string[]): Promise<ServeProcess> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'printdeck-bench-'));
  const token = `bench-${Math.random().toString(36).slice(2)}-token-0123`;
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/printdeck.js'), 'serve', '--port', '0', '--data-dir', dataDir, '--token', token, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`host did not start: ${err}`)), 60_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /Open http:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
      if (m) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        child.stdout!.resume();
        resolve(Number(m[1]));
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`host exited with ${code}: ${err}`)));
  });
  const ticks = Number(spawnSync('getconf', ['CLK_TCK']).stdout?.toString().trim() || 100);
  return {
    port,
    token,
    openUrl: `http://127.0.0.1:${port}/#token=${token}`,
    child,
    call: (method, payload = {}) => callOnce(port, token, method, payload),
    cpuSeconds() {
      // /proc/<pid>/stat: fields after the command's closing parenthesis; utime and stime are the 12th and 13th.
      const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return (Number(fields[11]) + Number(fields[12])) / ticks;
    },
    rssMb() {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      return m ? Math.round(Number(m[1]) / 1024) : NaN;
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function callOnce<T>(port: number, token: string, method: string, payload: unknown): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws?token=${token}`);
    ws.on('error', reject);
    ws.on('open', () => ws.send(JSON.stringify({ t: 'call', id: 1, method, payload })));
    ws.on('message', (data: Buffer) => {
      const frame = JSON.parse(data.toString()) as { t: string; id?: number; result?: { ok: boolean; value?: unknown; error?: { message: string } } };
      if (frame.t !== 'result' || frame.id !== 1) return;
      ws.close();
      if (frame.result?.ok) resolve(frame.result.value as T);
      else reject(new Error(`${method}: ${frame.result?.error?.message ?? 'failed'}`));
    });
  });
}
