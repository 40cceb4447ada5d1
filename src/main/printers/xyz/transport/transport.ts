/**
 * A byte pipe to one printer. It knows nothing of the protocol: bytes out, bytes in, and a close
 * with the reason in words. One instance is one connection; the driver makes a new one to reconnect.
 */
export interface XyzByteTransport {
  /** Where it goes, for logs and messages (`tcp 192.168.1.20:9100`, `serial /dev/ttyACM0`). */
  readonly description: string;
  readonly isOpen: boolean;
  open(): Promise<void>;
  /** Resolves once the bytes were handed to the OS; rejects with an XyzTransportError. */
  write(bytes: Uint8Array): Promise<void>;
  close(): Promise<void>;
  onData(listener: (chunk: Uint8Array) => void): () => void;
  /** Called once when the link ends: null when `close()` ended it, else why it broke. */
  onClose(listener: (error: XyzTransportError | null) => void): () => void;
}

export type XyzTransportErrorCode =
  /** The device vanished (USB unplugged, pty closed, ENOENT / EIO). */
  | 'unplugged'
  /** EACCES / EPERM on the serial device. */
  | 'permission'
  /** Another program holds the port. */
  | 'busy'
  /** TCP refused / reset / unreachable. */
  | 'refused'
  | 'timeout'
  /** The peer closed the connection. */
  | 'closed'
  | 'io';

/** Every transport failure, with a message a person can act on. */
export class XyzTransportError extends Error {
  override readonly name = 'XyzTransportError';
  constructor(
    readonly code: XyzTransportErrorCode,
    message: string,
    readonly osCode: string | null = null,
  ) {
    super(message);
  }
}

export function isTransportError(value: unknown): value is XyzTransportError {
  return value instanceof XyzTransportError;
}
