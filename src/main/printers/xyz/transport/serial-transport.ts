import { SerialPort } from 'serialport';
import { serialError } from './os-errors';
import { Listeners } from '../../../../shared/async';
import { XyzTransportError, type XyzByteTransport } from './transport';

/** Line settings of every da Vinci port: 115200 8N1, no flow control. */
export const XYZ_SERIAL_SETTINGS = {
  baudRate: 115200,
  dataBits: 8,
  parity: 'none',
  stopBits: 1,
  rtscts: false,
  xon: false,
  xoff: false,
} as const;

/**
 * USB CDC or plain serial port through serialport. After opening, DTR and RTS are cleared like
 * the official client does; ports that cannot (ptys, some adapters) keep the default.
 */
export class SerialTransport implements XyzByteTransport {
  readonly description: string;
  private port: SerialPort | null = null;
  private opened = false;
  private closing = false;
  private closeEmitted = false;
  private lastError: XyzTransportError | null = null;
  private readonly dataListeners = new Listeners<[Uint8Array]>();
  private readonly closeListeners = new Listeners<[XyzTransportError | null]>();

  constructor(readonly path: string) {
    this.description = `serial ${path}`;
  }

  get isOpen(): boolean {
    return this.opened && !this.closeEmitted && (this.port?.isOpen ?? false);
  }

  open(): Promise<void> {
    if (this.port) return Promise.reject(new XyzTransportError('io', 'transport already used; make a new one'));
    return new Promise((resolve, reject) => {
      let port: SerialPort;
      try {
        port = new SerialPort({ path: this.path, ...XYZ_SERIAL_SETTINGS, autoOpen: false });
      } catch (err) {
        reject(serialError(this.path, err));
        return;
      }
      this.port = port;
      port.on('data', (chunk: Buffer) => this.dataListeners.emit(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length)));
      port.on('error', (err: Error) => {
        this.lastError = serialError(this.path, err);
      });
      port.on('close', (err: (Error & { disconnected?: boolean }) | null) => {
        const error = this.closing
          ? null
          : err?.disconnected
            ? new XyzTransportError('unplugged', `${this.path} is gone: the printer was unplugged or switched off.`, 'EIO')
            : (this.lastError ?? (err ? serialError(this.path, err) : new XyzTransportError('unplugged', `${this.path} closed.`)));
        this.finish(error);
      });
      port.open((err) => {
        if (err) {
          reject(serialError(this.path, err));
          return;
        }
        this.opened = true;
        port.set({ dtr: false, rts: false }, () => resolve());
      });
    });
  }

  write(bytes: Uint8Array): Promise<void> {
    const port = this.port;
    if (!port || !this.isOpen) return Promise.reject(this.lastError ?? new XyzTransportError('closed', `${this.path} is not open.`));
    return new Promise((resolve, reject) => {
      // One write per command: the printer takes one USB transfer as one command.
      port.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length), (err) => {
        if (err) reject(serialError(this.path, err));
        else resolve();
      });
    });
  }

  close(): Promise<void> {
    const port = this.port;
    this.closing = true;
    if (!port || !port.isOpen) {
      this.finish(null);
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      port.close(() => {
        this.finish(null);
        resolve();
      });
    });
  }

  onData(listener: (chunk: Uint8Array) => void): () => void {
    return this.dataListeners.add(listener);
  }

  onClose(listener: (error: XyzTransportError | null) => void): () => void {
    return this.closeListeners.add(listener);
  }

  private finish(error: XyzTransportError | null): void {
    if (this.closeEmitted || !this.opened) return;
    this.closeEmitted = true;
    this.closeListeners.emit(error);
    this.closeListeners.clear();
    this.dataListeners.clear();
  }
}
