import net from 'node:net';
import { XYZ_TCP_CONNECT_TIMEOUT_MS } from '../protocol';
import { socketError } from './os-errors';
import { Listeners } from '../../../../shared/async';
import { XyzTransportError, type XyzByteTransport } from './transport';

export interface TcpTarget {
  host: string;
  port: number;
}

/** TCP 9100 to a Wi-Fi da Vinci; connect waits at most 5 s like XYZware. */
export class TcpTransport implements XyzByteTransport {
  readonly description: string;
  private socket: net.Socket | null = null;
  private closedByUs = false;
  private ended = false;
  private opened = false;
  private closeEmitted = false;
  private readonly dataListeners = new Listeners<[Uint8Array]>();
  private readonly closeListeners = new Listeners<[XyzTransportError | null]>();

  constructor(
    private readonly target: TcpTarget,
    private readonly connectTimeoutMs = XYZ_TCP_CONNECT_TIMEOUT_MS,
  ) {
    this.description = `tcp ${target.host}:${target.port}`;
  }

  get isOpen(): boolean {
    return this.socket !== null && !this.ended;
  }

  open(): Promise<void> {
    if (this.socket) return Promise.reject(new XyzTransportError('io', 'transport already used; make a new one'));
    const where = `${this.target.host}:${this.target.port}`;
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: this.target.host, port: this.target.port });
      this.socket = socket;
      socket.setNoDelay(true);
      const timer = setTimeout(() => {
        socket.destroy();
        fail(new XyzTransportError('timeout', `${where} did not accept a connection within ${this.connectTimeoutMs / 1000} s.`));
      }, this.connectTimeoutMs);
      let settled = false;
      const fail = (error: XyzTransportError): void => {
        clearTimeout(timer);
        if (!settled) {
          settled = true;
          this.ended = true;
          reject(error);
        }
      };
      socket.once('connect', () => {
        clearTimeout(timer);
        settled = true;
        this.opened = true;
        resolve();
      });
      let lastError: XyzTransportError | null = null;
      socket.on('error', (err) => {
        lastError = socketError(where, err);
        fail(lastError);
      });
      socket.on('data', (chunk: Buffer) => this.dataListeners.emit(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length)));
      socket.on('close', () => {
        clearTimeout(timer);
        if (!settled) fail(lastError ?? new XyzTransportError('closed', `${where} closed the connection.`));
        this.finish(this.closedByUs ? null : (lastError ?? new XyzTransportError('closed', `${where} closed the connection.`)));
      });
    });
  }

  write(bytes: Uint8Array): Promise<void> {
    const socket = this.socket;
    if (!socket || this.ended || socket.destroyed) {
      return Promise.reject(new XyzTransportError('closed', `${this.description} is not connected.`));
    }
    return new Promise((resolve, reject) => {
      socket.write(bytes, (err) => (err ? reject(socketError(this.description, err)) : resolve()));
    });
  }

  close(): Promise<void> {
    const socket = this.socket;
    this.closedByUs = true;
    if (!socket || socket.destroyed) {
      this.finish(null);
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      socket.once('close', () => resolve());
      socket.destroy();
    });
  }

  onData(listener: (chunk: Uint8Array) => void): () => void {
    return this.dataListeners.add(listener);
  }

  onClose(listener: (error: XyzTransportError | null) => void): () => void {
    return this.closeListeners.add(listener);
  }

  private finish(error: XyzTransportError | null): void {
    this.ended = true;
    // Only a link that was up reports a close; a failed open reports through its rejection.
    if (this.closeEmitted || !this.opened) return;
    this.closeEmitted = true;
    this.closeListeners.emit(error);
    this.closeListeners.clear();
    this.dataListeners.clear();
  }
}
