import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const MOSQUITTO = ['/usr/sbin/mosquitto', 'mosquitto'].find((bin) => spawnSync(bin, ['-h'], { stdio: 'ignore' }).error === undefined) ?? null;

/** Whether Debian's `mosquitto` is installed; tests that need a broker skip with one line when it is not. */
export function hasMosquitto(): boolean {
  return MOSQUITTO !== null;
}

export function warnNoMosquitto(suite: string): void {
  if (!hasMosquitto()) console.warn(`[${suite}] mosquitto is not installed: the MQTT broker tests are skipped (Debian: apt-get install mosquitto mosquitto-clients).`);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

async function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export interface BrokerOptions {
  /** Users and passwords; with any, anonymous clients are refused. */
  users?: Record<string, string>;
}

/**
 * A private Mosquitto on a free loopback port with its own generated config and persistence file,
 * so retained messages survive `restart()` as on a real broker. Killed by PID, never by name.
 */
export class TestBroker {
  readonly dir = mkdtempSync(path.join(os.tmpdir(), 'printdeck-mqtt-'));
  readonly log: string[] = [];
  private child: ChildProcess | null = null;

  private constructor(
    readonly port: number,
    private readonly options: BrokerOptions,
  ) {}

  static async start(options: BrokerOptions = {}): Promise<TestBroker> {
    const broker = new TestBroker(await freePort(), options);
    broker.writeConfig();
    await broker.launch();
    return broker;
  }

  get url(): string {
    return `mqtt://127.0.0.1:${this.port}`;
  }

  private writeConfig(): void {
    const lines = [
      `listener ${this.port} 127.0.0.1`,
      'persistence true',
      `persistence_location ${this.dir}/`,
      'log_dest stderr',
      'log_type error',
      'log_type warning',
      'log_type notice',
    ];
    // As root Mosquitto drops to user `mosquitto`, who could not read this private folder.
    if (process.getuid?.() === 0) lines.push('user root');
    const users = Object.entries(this.options.users ?? {});
    if (users.length > 0) {
      const pw = path.join(this.dir, 'passwords');
      writeFileSync(pw, '');
      for (const [user, pass] of users) {
        const r = spawnSync('mosquitto_passwd', ['-b', pw, user, pass], { encoding: 'utf8' });
        if (r.status !== 0) throw new Error(`mosquitto_passwd failed: ${r.stderr || r.error?.message}`);
      }
      chmodSync(pw, 0o644);
      lines.push('allow_anonymous false', `password_file ${pw}`);
    } else {
      lines.push('allow_anonymous true');
    }
    writeFileSync(path.join(this.dir, 'mosquitto.conf'), lines.join('\n') + '\n');
  }

  private async launch(): Promise<void> {
    if (!MOSQUITTO) throw new Error('mosquitto is not installed');
    const child = spawn(MOSQUITTO, ['-c', path.join(this.dir, 'mosquitto.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr?.setEncoding('utf8').on('data', (d: string) => this.log.push(d));
    this.child = child;
    const deadline = Date.now() + 15_000;
    while (!(await accepts(this.port))) {
      if (child.exitCode !== null) throw new Error(`mosquitto exited (${child.exitCode}): ${this.log.join('')}`);
      if (Date.now() > deadline) throw new Error(`mosquitto did not listen on ${this.port}: ${this.log.join('')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Stops the broker (SIGTERM: it saves its retained messages), waiting for it to exit. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }

  /** Stops and starts again on the same port, with what it persisted. */
  async restart(downMs = 300): Promise<void> {
    await this.stop();
    await new Promise((r) => setTimeout(r, downMs));
    await this.launch();
  }

  async close(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
