import type { XyzJobControl, XyzStatus } from '../protocol';
import type { XyzTransportError } from '../transport';
import type { UploadSource } from './upload-source';

export type XyzWireProtocol = 'v3' | 'v2' | 'json';

/** A maintenance step the printer is asked to take. */
export type XyzActionCommand =
  | { kind: 'home' }
  | { kind: 'jog'; axis: 'x' | 'y' | 'z'; direction: '+' | '-'; mm: number }
  | { kind: 'load' | 'unload'; step: 'new' | 'cancel' | 'retry' }
  | { kind: 'calibrate'; step: 'new' | 'detectorok' | 'release' };

/**
 * One protocol spoken to one connected printer. The driver's state machine talks to this and
 * nothing else, so v3 (USB/TCP), v2 (USB) and the 1.1 Plus JSON protocol look alike to it.
 */
export interface XyzBackend {
  readonly protocol: XyzWireProtocol;
  readonly description: string;
  /** A full status (`query=a`, command 2 + 4, or `XYZ_@3D:0` + `:8`), merged into `base`. */
  status(base?: XyzStatus): Promise<XyzStatus>;
  jobControl(control: XyzJobControl): Promise<void>;
  upload(source: UploadSource, onSent: (bytes: number) => void, signal: AbortSignal): Promise<void>;
  action(command: XyzActionCommand): Promise<void>;
  snapshot(): Promise<Uint8Array>;
  close(): Promise<void>;
  /** The link broke (USB unplugged, socket closed). */
  onLost(listener: (error: XyzTransportError) => void): () => void;
}

/** The printer answered, but said no: `E…` lines, JSON results ≠ 0. */
export class XyzRejectedError extends Error {
  override readonly name = 'XyzRejectedError';
  constructor(
    message: string,
    /** Busy (back off and retry) rather than refused for good. */
    readonly busy: boolean,
    readonly code: string,
  ) {
    super(message);
  }
}

/** The printer did not answer in time, or answered with bytes that do not frame. */
export class XyzNoAnswerError extends Error {
  override readonly name = 'XyzNoAnswerError';
  constructor(
    message: string,
    readonly kind: 'timeout' | 'garbled',
  ) {
    super(message);
  }
}

export class XyzCancelledError extends Error {
  override readonly name = 'XyzCancelledError';
  constructor() {
    super('Cancelled.');
  }
}
