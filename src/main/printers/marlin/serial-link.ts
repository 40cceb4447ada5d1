import { SerialPort } from 'serialport';
import { marlinSerialMessage } from './serial-errors';
import { printerBoardOf } from './usb-boards';

/** A serial port carrying text lines to and from the firmware; one instance per opening. */
export interface MarlinLink {
  readonly description: string;
  write(text: string): void;
  /** Returns a function that removes the listener. */
  onData(listener: (chunk: Uint8Array) => void): () => void;
  /** Called once: null after `close()`, else why the port went away. */
  onClose(listener: (reason: string | null) => void): void;
  close(): Promise<void>;
}

export type OpenLink = (path: string, baud: number) => Promise<MarlinLink>;

/**
 * Opens the port 8N1 without flow control (Marlin uses none unless built with XON/XOFF). Opening
 * raises DTR, which resets boards behind a USB-UART bridge (CH340, FTDI, the 16U2 of a Mega); the
 * handshake copes with that, so DTR is left as the OS sets it.
 */
export const openSerialLink: OpenLink = (path, baud) =>
  new Promise((resolve, reject) => {
    let port: SerialPort;
    try {
      port = new SerialPort({ path, baudRate: baud, dataBits: 8, parity: 'none', stopBits: 1, rtscts: false, xon: false, xoff: false, autoOpen: false });
    } catch (err) {
      reject(new Error(marlinSerialMessage(path, err)));
      return;
    }
    let closeListener: ((reason: string | null) => void) | null = null;
    let closing = false;
    let closed = false;
    let lastError: string | null = null;
    const finish = (reason: string | null): void => {
      if (closed) return;
      closed = true;
      closeListener?.(reason);
    };
    port.on('error', (err: Error) => {
      lastError = marlinSerialMessage(path, err);
    });
    port.on('close', (err: (Error & { disconnected?: boolean }) | null) => {
      finish(closing ? null : err?.disconnected ? `${path} is gone: the printer was unplugged or switched off.` : (lastError ?? `${path} closed.`));
    });
    port.open((err) => {
      if (err) {
        reject(new Error(marlinSerialMessage(path, err)));
        return;
      }
      resolve({
        description: `${path} at ${baud} baud`,
        write: (text) => {
          if (port.isOpen) port.write(Buffer.from(text, 'latin1'), (e) => e && (lastError = marlinSerialMessage(path, e)));
        },
        onData: (listener) => {
          const onChunk = (chunk: Buffer): void => listener(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length));
          port.on('data', onChunk);
          return () => void port.off('data', onChunk);
        },
        onClose: (listener) => {
          closeListener = listener;
        },
        close: () =>
          new Promise<void>((r) => {
            closing = true;
            if (!port.isOpen) {
              finish(null);
              r();
              return;
            }
            port.close(() => {
              finish(null);
              r();
            });
          }),
      });
    });
  });

/**
 * True when the port is a USB-UART bridge (CH340/CH341, FTDI, the 16U2 of a Mega): opening it
 * pulses DTR and resets the board. Native-USB boards (STM32 CDC) do not reset.
 */
export async function resetsOnOpen(path: string): Promise<boolean> {
  const ports = await SerialPort.list();
  const port = ports.find((p) => p.path === path);
  const board = port ? printerBoardOf(port) : null;
  return board !== null && /CH34|FTDI|Arduino/.test(board);
}
