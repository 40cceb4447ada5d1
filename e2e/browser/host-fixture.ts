import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test as base, type Page } from '@playwright/test';

export interface PrintdeckHost {
  /** Base URL without the token. */
  url: string;
  /** URL with the token in its fragment, as printed at start. */
  openUrl: string;
  token: string;
  port: number;
  dataDir: string;
  stop(): Promise<void>;
  restart(): Promise<void>;
  /** Calls the WebSocket API directly, as QA scripts do (one socket per call). */
  api<T = unknown>(method: string, payload?: unknown): Promise<T>;
  /** One socket for several calls: files staged on a socket belong to it and go when it closes. */
  session(): Promise<{ call<T = unknown>(method: string, payload?: unknown): Promise<T>; close(): void }>;
}

const BIN = path.resolve(__dirname, '../../bin/printdeck.js');

export interface HostOptions {
  demo?: boolean;
  /** A demo lab of this many printers (`--demo --demo-printers N`) instead of the small demo. */
  demoPrinters?: number;
}

async function launch(dataDir: string, port: number, token: string, options: HostOptions): Promise<{ child: ChildProcess; port: number }> {
  const args = [BIN, 'serve', '--port', String(port), '--data-dir', dataDir, '--token', token];
  if (options.demo || options.demoPrinters !== undefined) args.push('--demo');
  if (options.demoPrinters !== undefined) args.push('--demo-printers', String(options.demoPrinters));
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const actualPort = await new Promise<number>((resolve, reject) => {
    // A lab of many printers starts all of them before the host says where it is.
    const startMs = options.demoPrinters === undefined ? 30_000 : 30_000 + options.demoPrinters * 200;
    const timer = setTimeout(() => reject(new Error(`host did not start: ${err}`)), startMs);
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /Open http:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.once('exit', (code) => reject(new Error(`host exited with ${code}: ${err}`)));
  });
  return { child, port: actualPort };
}

export async function startHost(options: HostOptions = {}): Promise<PrintdeckHost> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'printdeck-e2e-'));
  const token = `e2e-${Math.random().toString(36).slice(2)}-token-0123`;
  const started = await launch(dataDir, 0, token, options);
  const port = started.port;
  let child = started.child;
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  };
  return {
    url: `http://127.0.0.1:${port}/`,
    openUrl: `http://127.0.0.1:${port}/#token=${token}`,
    token,
    port,
    dataDir,
    stop,
    async restart() {
      await stop();
      ({ child } = await launch(dataDir, port, token, {}));
    },
    api: (method, payload = {}) => apiClient(port, token).call(method, payload),
    // The API calls already share one socket per host; a session is that socket under another name.
    session: async () => ({ call: (method, payload = {}) => apiClient(port, token).call(method, payload), close: () => undefined }),
  };
}

/**
 * One WebSocket per host for the API calls of a test, as a QA script keeps one: the host ties what a client
 * staged (files.stage*) to its connection and frees it when the connection closes. Reopened after a restart.
 */
const clients = new Map<string, { ws: WebSocket; ready: Promise<void>; next: number; pending: Map<number, { resolve(v: unknown): void; reject(e: Error): void }> }>();

function apiClient(port: number, token: string) {
  const key = `${port}:${token}`;
  const open = () => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws?token=${token}`);
    const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
    const ready = new Promise<void>((resolve, reject) => {
      ws.onmessage = (m) => {
        const frame = JSON.parse(String(m.data));
        if (frame.t === 'hello') resolve();
        if (frame.t === 'result') {
          const p = pending.get(frame.id);
          pending.delete(frame.id);
          if (frame.result.ok) p?.resolve(frame.result.value);
          else p?.reject(new Error(frame.result.error.message));
        }
      };
      ws.onerror = () => reject(new Error('WebSocket failed'));
      ws.onclose = () => {
        clients.delete(key);
        for (const p of pending.values()) p.reject(new Error('WebSocket closed'));
      };
    });
    const client = { ws, ready, next: 1, pending };
    clients.set(key, client);
    return client;
  };
  return {
    async call<T>(method: string, payload: unknown): Promise<T> {
      const client = clients.get(key) ?? open();
      await client.ready;
      const id = client.next++;
      return new Promise<T>((resolve, reject) => {
        client.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        client.ws.send(JSON.stringify({ t: 'call', id, method, payload }));
      });
    },
  };
}

export const test = base.extend<{ host: PrintdeckHost; openApp: (page: Page) => Promise<void> }>({
  // eslint-disable-next-line no-empty-pattern
  host: async ({}, use) => {
    const host = await startHost();
    await use(host);
    await host.stop();
  },
  openApp: async ({ host }, use) => {
    await use(async (page) => {
      await page.goto(host.openUrl);
      await page.getByRole('navigation', { name: 'Main' }).waitFor();
    });
  },
});

export { expect } from '@playwright/test';
