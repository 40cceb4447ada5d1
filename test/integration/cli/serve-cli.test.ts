import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { hasSocat } from '../../../sim/xyz/pty-link';
import { tempDir } from '../../support/test-hub';

const BIN = path.resolve(__dirname, '../../../bin/printdeck.js');

interface Run {
  child: ChildProcess;
  stdout: string;
  stderr: string;
  exit: Promise<number | null>;
}

function run(args: string[]): Run {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const r: Run = { child, stdout: '', stderr: '', exit: new Promise((resolve) => child.once('exit', (code) => resolve(code))) };
  child.stdout!.on('data', (d) => (r.stdout += d));
  child.stderr!.on('data', (d) => (r.stderr += d));
  return r;
}

async function until(check: () => boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Pids of the processes named `name` whose parent is `parent` (Linux /proc). */
function childrenNamed(parent: number, name: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // "pid (comm) state ppid …"; comm may hold spaces and parentheses, so split at the last ')'.
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const ppid = Number(stat.slice(close + 2).split(' ')[1]);
      if (comm === name && ppid === parent) found.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

/** True while a process exists and is not a zombie (killed, waiting for its new parent to reap it). */
function isLive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

describe('printdeck serve', () => {
  const running: Run[] = [];
  afterEach(() => {
    for (const r of running.splice(0)) r.child.kill('SIGKILL');
  });

  it('prints a loopback URL with a fresh token, serves it, and stops cleanly on SIGTERM', async () => {
    const r = run(['serve', '--port', '0', '--data-dir', tempDir()]);
    running.push(r);
    await until(() => /Open http/.test(r.stdout));
    const printed = /Open (http:\/\/127\.0\.0\.1:\d+\/)#token=([\w-]{20,})/.exec(r.stdout);
    expect(printed).not.toBeNull();
    const [, base, token] = printed!;
    // The token rides in the fragment, which no browser sends; the page trades it for a session.
    const page = await fetch(base!);
    expect(page.status).toBe(200);
    expect(page.headers.get('set-cookie')).toBeNull();
    const session = await fetch(`${base}session`, { method: 'POST', headers: { authorization: `Bearer ${token}`, origin: base!.slice(0, -1) } });
    expect(session.status).toBe(200);
    r.child.kill('SIGTERM');
    expect(await r.exit).toBe(0);
  });

  it('uses a different token on every run', async () => {
    const tokens: string[] = [];
    for (let i = 0; i < 2; i++) {
      const r = run(['serve', '--port', '0', '--data-dir', tempDir()]);
      running.push(r);
      await until(() => /#token=/.test(r.stdout));
      tokens.push(/#token=([\w-]+)/.exec(r.stdout)![1]!);
      r.child.kill('SIGTERM');
      await r.exit;
    }
    expect(tokens[0]).not.toBe(tokens[1]);
  });

  it('warns when asked to listen beyond loopback', async () => {
    const r = run(['serve', '--port', '0', '--host', '0.0.0.0', '--data-dir', tempDir()]);
    running.push(r);
    await until(() => /Open http/.test(r.stdout));
    expect(r.stderr).toMatch(/anyone on your network/);
    r.child.kill('SIGTERM');
    await r.exit;
  });

  it('refuses a data folder from a newer Printdeck with exit code 3 and a clear message', async () => {
    const dir = tempDir();
    const db = new DatabaseSync(path.join(dir, 'printdeck.sqlite'));
    db.exec('PRAGMA user_version = 42');
    db.close();
    const r = run(['serve', '--port', '0', '--data-dir', dir]);
    expect(await r.exit).toBe(3);
    expect(r.stderr).toMatch(/newer Printdeck/);
  });

  it('says which port is taken', async () => {
    const blocker = net.createServer();
    await new Promise<void>((res) => blocker.listen(0, '127.0.0.1', res));
    const port = (blocker.address() as net.AddressInfo).port;
    const r = run(['serve', '--port', String(port), '--data-dir', tempDir()]);
    expect(await r.exit).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`port ${port} is in use`));
    blocker.close();
  });

  it.skipIf(process.platform !== 'linux' || !hasSocat())('leaves no socat behind when a --demo host is killed with SIGKILL', async () => {
    const r = run(['serve', '--port', '0', '--demo', '--data-dir', tempDir()]);
    running.push(r);
    const host = r.child.pid!;
    // The demo's four USB printers (two da Vinci nanos, a 1.0, a Marlin) are socat pty pairs, children of the host.
    await until(() => childrenNamed(host, 'socat').length === 4, 60_000);
    const socats = childrenNamed(host, 'socat');
    r.child.kill('SIGKILL');
    await r.exit;
    // The kernel kills them as the host goes; give a loaded machine time to deliver it.
    await until(() => !socats.some(isLive), 10_000).catch(() => undefined);
    const survivors = socats.filter(isLive);
    for (const pid of survivors) process.kill(pid, 'SIGKILL');
    expect(survivors, 'socat processes that outlived the host').toEqual([]);
  });

  it('rejects bad options with usage help (exit 2)', async () => {
    const r = run(['serve', '--port', 'abc']);
    expect(await r.exit).toBe(2);
    const u = run(['serve', '--frobnicate']);
    expect(await u.exit).toBe(2);
    expect(u.stderr).toMatch(/Usage: printdeck serve/);
    const unknown = run(['explode']);
    expect(await unknown.exit).toBe(2);
    // Every lab printer printing is a lab's option: it needs a lab size.
    const allPrinting = run(['serve', '--demo', '--demo-all-printing']);
    expect(await allPrinting.exit).toBe(2);
    expect(allPrinting.stderr).toMatch(/--demo-all-printing needs --demo-printers/);
    // MQTT: a broker URL, never a password in it, and a site only with a broker.
    const scheme = run(['serve', '--mqtt', 'http://broker:1883']);
    expect(await scheme.exit).toBe(2);
    expect(scheme.stderr).toMatch(/mqtt:\/\/ or mqtts:\/\//);
    const secret = run(['serve', '--mqtt', 'mqtt://user:pw@broker:1883']);
    expect(await secret.exit).toBe(2);
    expect(secret.stderr).toMatch(/PRINTDECK_MQTT_PASSWORD/);
    const site = run(['serve', '--site', 'lab']);
    expect(await site.exit).toBe(2);
    expect(site.stderr).toMatch(/--site goes with --mqtt/);
  });
});
