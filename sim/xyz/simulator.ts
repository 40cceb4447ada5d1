import net from 'node:net';
import path from 'node:path';
import type { DemoFault } from '../../src/shared/contract';
import type { RunningSimulator, SimulatorFactory } from '../demo/simulator';
import { TcpFaultProxy } from '../faults/tcp-fault-proxy';
import { serveJsonConnection } from './json-endpoint';
import { PtyLink } from './pty-link';
import { SimPrinter, type SimPrinterOptions } from './sim-printer';
import { UsbRouter, type UsbEndpoint } from './usb-router';
import { V2Endpoint } from './v2-endpoint';
import { V3Endpoint } from './v3-endpoint';
import { NO_WIRE_FAULTS, type WireFaults } from './wire-faults';

export interface XyzSimOptions extends SimPrinterOptions {
  /** `tcp`: Wi-Fi on 127.0.0.1 behind the fault proxy; `pty`: a USB port made of a socat pty pair. */
  transport: 'tcp' | 'pty';
  /** Folder for the pty links (pty only). */
  workDir?: string;
}

/**
 * A simulated da Vinci reachable the way a real one is: XYZv3 (or the 1.1 Plus JSON protocol)
 * over TCP, or XYZv3 over a pty the driver opens with serialport. Tests use this class directly
 * for faults the demo contract has no words for (busy, cartridge, unplug mid-upload).
 */
export class XyzSimulator {
  readonly printer: SimPrinter;
  readonly wire: WireFaults = { ...NO_WIRE_FAULTS };
  private server: net.Server | null = null;
  private proxy: TcpFaultProxy | null = null;
  private pty: PtyLink | null = null;
  private endpoint: UsbEndpoint | null = null;
  private v2: V2Endpoint | null = null;
  private readonly sockets = new Set<net.Socket>();
  private addressText = '';

  private constructor(private readonly options: XyzSimOptions) {
    this.printer = new SimPrinter(options);
  }

  static async start(options: XyzSimOptions): Promise<XyzSimulator> {
    const sim = new XyzSimulator(options);
    if (options.transport === 'tcp') await sim.startTcp();
    else await sim.startPty();
    return sim;
  }

  /** The connection address for Printdeck (`tcp://127.0.0.1:<proxy port>` or `serial://<pty>`). */
  get address(): string {
    return this.addressText;
  }

  get speaksJson(): boolean {
    return this.options.transport === 'tcp' && this.printer.model.wifiProtocol === 'json';
  }

  /** The endpoint of the current USB link (pty only); tests check whether an upload is running. */
  get usbEndpoint(): UsbEndpoint | null {
    return this.endpoint;
  }

  /** The `XYZ_@3D:` side of the current USB link, for models that speak v2 there (pty only). */
  get v2Endpoint(): V2Endpoint | null {
    return this.v2;
  }

  /** Pull the USB cable (pty) or cut every connection and refuse new ones (TCP). */
  async unplug(): Promise<void> {
    if (this.pty) await this.pty.unplug();
    else if (this.proxy) {
      // Down "for a minute": replug() ends it early by replacing the proxy.
      void this.proxy.restart(60_000).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async replug(): Promise<void> {
    if (this.pty) await this.pty.plug();
    else if (this.proxy) {
      // A fresh proxy on the same port ends the "restart" window at once.
      const port = this.proxy.port;
      await this.proxy.stop();
      this.proxy = new TcpFaultProxy({ target: { host: '127.0.0.1', port: this.serverPort() }, port });
      await this.proxy.start();
    }
  }

  faults(): string[] {
    const list = this.proxy?.active() ?? [];
    if (this.wire.delayMs > 0) list.push(`slow replies ${this.wire.delayMs} ms`);
    if (this.wire.silent) list.push('no replies');
    if (this.wire.garbageBytes > 0) list.push(`garbage ${this.wire.garbageBytes} bytes pending`);
    if (this.wire.dropBytes > 0) list.push(`dropping ${this.wire.dropBytes} bytes`);
    if (this.pty && !this.pty.connected) list.push('unplugged');
    if (this.printer.busy) list.push('busy');
    return list.slice(0, 16);
  }

  async inject(fault: DemoFault): Promise<void> {
    if (this.proxy) {
      this.proxy.inject(fault);
      return;
    }
    switch (fault.type) {
      case 'delay':
        this.wire.delayMs = fault.ms;
        break;
      case 'garbage':
        this.wire.garbageBytes = fault.bytes;
        break;
      case 'blackhole':
        this.wire.silent = fault.on;
        break;
      case 'drop':
        await this.unplug();
        setTimeout(() => void this.replug().catch(() => undefined), 1_000);
        break;
      case 'restart':
        await this.unplug();
        setTimeout(() => void this.replug().catch(() => undefined), fault.downMs);
        break;
      case 'clear':
        Object.assign(this.wire, NO_WIRE_FAULTS);
        break;
    }
  }

  async stop(): Promise<void> {
    await this.proxy?.stop();
    for (const s of this.sockets) s.destroy();
    const server = this.server;
    if (server) await new Promise<void>((r) => server.close(() => r()));
    await this.pty?.unplug();
    this.endpoint?.close();
  }

  private serverPort(): number {
    return (this.server?.address() as net.AddressInfo | null)?.port ?? 0;
  }

  private async startTcp(): Promise<void> {
    const server = net.createServer((socket) => this.accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.proxy = new TcpFaultProxy({ target: { host: '127.0.0.1', port: this.serverPort() } });
    await this.proxy.start();
    this.addressText = `tcp://127.0.0.1:${this.proxy.port}`;
  }

  private accept(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('close', () => this.sockets.delete(socket));
    if (this.speaksJson) {
      serveJsonConnection(this.printer, socket, () => this.wire.delayMs);
      return;
    }
    const endpoint = new V3Endpoint(this.printer, 'tcp', (bytes) => socket.write(bytes), () => this.wire);
    socket.on('data', (chunk: Buffer) => endpoint.receive(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length)));
    socket.on('close', () => endpoint.close());
    socket.on('error', () => socket.destroy());
  }

  private async startPty(): Promise<void> {
    const dir = this.options.workDir;
    if (!dir) throw new Error('a pty simulator needs a workDir for its links');
    const link: PtyLink = new PtyLink(
      path.join(dir, 'ttyXYZ-printer'),
      path.join(dir, 'ttyXYZ-sim'),
      (chunk) => this.endpointFor(link).receive(chunk),
      () => {
        this.endpoint?.close();
        this.endpoint = null;
        this.v2 = null;
      },
    );
    this.pty = link;
    await link.plug();
    this.addressText = `serial://${link.hostPath}`;
  }

  /**
   * What answers on the USB port: XYZv3 for v3 models; `XYZ_@3D:` for the 1.0 / 2.0 families;
   * both for the 1.1 Plus, which answers v3 status queries and prints over v2.
   */
  private endpointFor(link: PtyLink): UsbEndpoint {
    if (this.endpoint) return this.endpoint;
    const write = (bytes: Uint8Array): void => link.write(bytes);
    const faults = (): WireFaults => this.wire;
    const model = this.printer.model;
    if (model.protocol !== 'v2') {
      this.endpoint = new V3Endpoint(this.printer, 'usb', write, faults);
      return this.endpoint;
    }
    const v2 = new V2Endpoint(this.printer, write, faults);
    this.v2 = v2;
    this.endpoint = model.wifiProtocol === 'json' ? new UsbRouter(new V3Endpoint(this.printer, 'usb', write, faults), v2) : v2;
    return this.endpoint;
  }
}

/** A simulator for the demo fleet / tests: registered as an `xyz` connection with its model. */
export function xyzSimulator(options: Omit<XyzSimOptions, 'workDir'> & { connectionName?: string }): SimulatorFactory {
  return async (ctx) => {
    const sim = await XyzSimulator.start({ ...options, workDir: ctx.workDir });
    const name = options.connectionName ?? sim.printer.name;
    const running: RunningSimulator = {
      id: ctx.id,
      kind: 'xyz',
      name,
      address: sim.address,
      connection: { kind: 'xyz', name, address: sim.address, options: { model: sim.printer.model.modelNumber } },
      faults: () => sim.faults(),
      inject: (fault) => sim.inject(fault),
      stop: () => sim.stop(),
    };
    return running;
  };
}
