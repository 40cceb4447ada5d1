import { randomBytes } from 'node:crypto';
import net from 'node:net';
import type { DemoFault } from '../../src/shared/contract';

export interface TcpFaultProxyOptions {
  target: { host: string; port: number };
  /** Port to listen on (0 picks one); kept across restarts so clients can reconnect. */
  port?: number;
}

/**
 * A TCP proxy in front of a simulator that injects network faults on the real wire:
 * added latency, dropped connections, garbage bytes, a restart (listener down for a while)
 * and a black hole (bytes accepted, never answered). Works for any protocol over TCP.
 */
export class TcpFaultProxy {
  private server: net.Server | null = null;
  private readonly pairs = new Set<{ client: net.Socket; upstream: net.Socket }>();
  private delayMs = 0;
  private blackhole = false;
  private pendingGarbage = 0;
  private restartTimer: NodeJS.Timeout | null = null;
  private boundPort = 0;

  constructor(private readonly options: TcpFaultProxyOptions) {}

  get port(): number {
    return this.boundPort;
  }

  async start(): Promise<number> {
    await this.listen(this.options.port ?? 0);
    return this.boundPort;
  }

  async stop(): Promise<void> {
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = null;
    this.dropAll();
    await this.closeListener();
  }

  active(): string[] {
    const faults: string[] = [];
    if (this.delayMs > 0) faults.push(`delay ${this.delayMs} ms`);
    if (this.blackhole) faults.push('black hole');
    if (this.pendingGarbage > 0) faults.push(`garbage ${this.pendingGarbage} bytes pending`);
    if (this.restartTimer) faults.push('restarting');
    return faults;
  }

  inject(fault: DemoFault): void {
    switch (fault.type) {
      case 'delay':
        this.delayMs = fault.ms;
        break;
      case 'drop':
        this.dropAll();
        break;
      case 'garbage':
        this.pendingGarbage = fault.bytes;
        break;
      case 'blackhole':
        this.blackhole = fault.on;
        break;
      case 'restart':
        void this.restart(fault.downMs);
        break;
      case 'clear':
        this.delayMs = 0;
        this.blackhole = false;
        this.pendingGarbage = 0;
        break;
    }
  }

  /** Closes the listener and every connection, and listens again on the same port after `downMs`. */
  async restart(downMs: number): Promise<void> {
    this.dropAll();
    await this.closeListener();
    await new Promise<void>((resolve) => {
      this.restartTimer = setTimeout(() => {
        this.restartTimer = null;
        resolve();
      }, downMs);
    });
    await this.listen(this.boundPort);
  }

  private async listen(port: number): Promise<void> {
    const server = net.createServer((client) => this.accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.boundPort = (server.address() as net.AddressInfo).port;
  }

  private async closeListener(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private accept(client: net.Socket): void {
    const upstream = net.connect(this.options.target.port, this.options.target.host);
    const pair = { client, upstream };
    this.pairs.add(pair);
    const close = (): void => {
      this.pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
    client.on('data', (chunk) => this.forward(chunk, upstream, false));
    upstream.on('data', (chunk) => this.forward(chunk, client, true));
  }

  private forward(chunk: Buffer, to: net.Socket, towardsClient: boolean): void {
    if (this.blackhole) return;
    let data = chunk;
    if (towardsClient && this.pendingGarbage > 0) {
      data = Buffer.concat([randomBytes(this.pendingGarbage), chunk]);
      this.pendingGarbage = 0;
    }
    const send = (): void => {
      if (!to.destroyed) to.write(data);
    };
    if (this.delayMs > 0) setTimeout(send, this.delayMs);
    else send();
  }

  private dropAll(): void {
    for (const { client, upstream } of this.pairs) {
      client.destroy();
      upstream.destroy();
    }
    this.pairs.clear();
  }
}
