import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { SerialPort } from 'serialport';

/** True when `socat` can be run here (the pty variant needs it). */
export function hasSocat(): boolean {
  try {
    return spawnSync('socat', ['-V'], { stdio: 'ignore' }).status === 0;
  } catch {
    return false;
  }
}

let pdeathsig: boolean | null = null;

/**
 * The command line that runs `command` so that it dies with this process, even on `kill -9`
 * (which runs no exit handler): on Linux, `setpriv --pdeathsig KILL` (util-linux) asks the kernel
 * to kill the child when its parent goes, then execs the command in place (same pid). Where
 * setpriv is missing the command runs as it is, and a hard kill can leave it behind.
 */
export function diesWithParent(command: string, args: string[], platform: NodeJS.Platform = process.platform): [string, string[]] {
  if (platform !== 'linux') return [command, args];
  pdeathsig ??= spawnSync('setpriv', ['--pdeathsig', 'KILL', '--', 'true'], { stdio: 'ignore' }).status === 0;
  return pdeathsig ? ['setpriv', ['--pdeathsig', 'KILL', '--', command, ...args]] : [command, args];
}

/**
 * A pty pair made by `socat -d -d pty,raw,echo=0,link=HOST pty,raw,echo=0,link=SIM`: the driver
 * opens HOST as if it were the printer's USB port, the simulator reads SIM. Killing socat is
 * pulling the USB cable (both links vanish); starting it again with the same paths plugs it back.
 */
export class PtyLink {
  private socat: ChildProcess | null = null;
  private port: SerialPort | null = null;
  private unplugging: Promise<void> = Promise.resolve();

  constructor(
    readonly hostPath: string,
    readonly simPath: string,
    private readonly onData: (chunk: Uint8Array) => void,
    private readonly onGone: () => void,
  ) {}

  get connected(): boolean {
    return this.port?.isOpen ?? false;
  }

  async plug(): Promise<void> {
    await this.unplugging;
    if (this.socat) return;
    // socat must not outlive the host (a `kill -9` of `printdeck serve --demo` would leave it running).
    const [command, args] = diesWithParent('socat', ['-d', '-d', `pty,raw,echo=0,link=${this.hostPath}`, `pty,raw,echo=0,link=${this.simPath}`]);
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    this.socat = child;
    child.stderr?.resume();
    child.once('exit', () => {
      if (this.socat === child) this.socat = null;
    });
    const deadline = Date.now() + 5_000;
    while (!(existsSync(this.hostPath) && existsSync(this.simPath))) {
      if (Date.now() > deadline || child.exitCode !== null) {
        child.kill('SIGKILL');
        throw new Error(`socat did not create ${this.hostPath} and ${this.simPath}`);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    const port = new SerialPort({ path: this.simPath, baudRate: 115200, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
    port.on('data', (chunk: Buffer) => this.onData(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length)));
    port.on('error', () => undefined);
    port.on('close', () => {
      if (this.port === port) {
        this.port = null;
        this.onGone();
      }
    });
    this.port = port;
  }

  write(bytes: Uint8Array): void {
    const port = this.port;
    if (port?.isOpen) port.write(Buffer.from(bytes), () => undefined);
  }

  /** Pulls the cable: socat exits, both pty paths disappear, the driver's reads fail. */
  unplug(): Promise<void> {
    this.unplugging = this.doUnplug();
    return this.unplugging;
  }

  private async doUnplug(): Promise<void> {
    const child = this.socat;
    const port = this.port;
    this.port = null;
    if (port?.isOpen) await new Promise<void>((r) => port.close(() => r()));
    if (port) this.onGone();
    if (child && child.exitCode === null) {
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      await exited;
    }
    this.socat = null;
  }
}
