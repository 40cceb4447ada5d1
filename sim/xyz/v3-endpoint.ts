import { randomBytes } from 'node:crypto';
import {
  asciiBytes,
  concatBytes,
  replyAction,
  replyBinary,
  replyConfigOk,
  replyError,
  replyNamed,
  replyOk,
  replyQuery,
  replyTagInfo,
  XYZ_DEFAULT_BLOCK_SIZE,
  XyzHostStreamSplitter,
  type XyzHostEvent,
  type XyzHostRequest,
  type XyzLink,
} from '../../src/main/printers/xyz/protocol';
import type { SimPrinter } from './sim-printer';
import { sendThroughFaults, type WireFaults } from './wire-faults';

export { NO_WIRE_FAULTS, type WireFaults } from './wire-faults';

/** Largest `.3w` the simulated printer stores (bounded memory in the simulator). */
const MAX_UPLOAD_BYTES = 256 * 1024 * 1024;
/** USB: a command is one write with no terminator; bytes quiet this long end it. */
const USB_COMMAND_GAP_MS = 3;

/**
 * The XYZv3 side of one connection to the simulated printer (USB pty or one TCP socket): splits
 * the host's bytes into commands and upload blocks, answers in the exact printer framing of the
 * link, and hands complete uploads to the printer.
 */
export class V3Endpoint {
  private splitter = new XyzHostStreamSplitter();
  private pendingText: Uint8Array = new Uint8Array(0);
  private gapTimer: NodeJS.Timeout | null = null;
  private upload: { name: string; size: number; parts: Uint8Array[]; received: number } | null = null;
  private closed = false;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly printer: SimPrinter,
    private readonly link: XyzLink,
    private readonly write: (bytes: Uint8Array) => void,
    private readonly faults: () => WireFaults,
  ) {
    // Over USB the printer volunteers action progress lines; over TCP it says nothing.
    this.unsubscribe = printer.onAction((e) => {
      if (this.link === 'usb') this.send(replyAction(e.action, e.stat));
    });
  }

  get uploading(): boolean {
    return this.upload !== null;
  }

  /** Bytes from the host. */
  receive(chunk: Uint8Array): void {
    if (this.closed) return;
    if (this.upload) {
      // A command at a block boundary: the host gave up on the upload (cancel or reconnect).
      if (this.splitter.bufferedBytes === 0 && startsWithCommand(chunk)) this.abandonUpload();
      else return this.handle(this.splitter.feedWrite(chunk));
    }
    this.pendingText = concatBytes([this.pendingText, chunk]).slice(-4096);
    if (this.link === 'tcp') {
      const nl = this.pendingText.lastIndexOf(0x0a);
      if (nl < 0) return;
      const whole = this.pendingText.subarray(0, nl + 1);
      this.pendingText = this.pendingText.slice(nl + 1);
      this.handle(this.splitter.feedWrite(whole));
      return;
    }
    if (this.gapTimer) clearTimeout(this.gapTimer);
    this.gapTimer = setTimeout(() => this.flush(), USB_COMMAND_GAP_MS);
  }

  /** Treats the bytes received so far as one complete USB write now (tests replaying a capture). */
  flush(): void {
    if (this.gapTimer) clearTimeout(this.gapTimer);
    this.gapTimer = null;
    const whole = this.pendingText;
    this.pendingText = new Uint8Array(0);
    if (whole.length > 0) this.handle(this.splitter.feedWrite(whole));
  }

  /** The link went away. */
  close(): void {
    this.closed = true;
    if (this.gapTimer) clearTimeout(this.gapTimer);
    this.unsubscribe();
    if (this.upload) this.abandonUpload();
  }

  private abandonUpload(): void {
    this.upload = null;
    this.splitter = new XyzHostStreamSplitter();
    this.printer.abortUpload();
  }

  private send(bytes: Uint8Array): void {
    sendThroughFaults(bytes, this.faults(), this.write, () => this.closed);
  }

  private handle(events: XyzHostEvent[]): void {
    for (const event of events) {
      switch (event.kind) {
        case 'request':
          this.onRequest(event.request);
          break;
        case 'block':
          if (!this.upload) break;
          if (event.trailer === 'mismatch') {
            this.abandonUpload();
            this.send(replyError(4));
            break;
          }
          this.upload.parts.push(event.data);
          this.upload.received += event.data.length;
          this.send(replyOk());
          break;
        case 'complete': {
          const upload = this.upload;
          this.upload = null;
          if (upload) this.printer.receiveFile(upload.name, concatBytes(upload.parts));
          break;
        }
        case 'error':
          this.abandonUpload();
          this.send(replyError(5));
          break;
        case 'overflow':
        case 'stray-newline':
          break;
      }
    }
  }

  private onRequest(request: XyzHostRequest): void {
    const p = this.printer;
    const rejectAll = p.rejectAllWith();
    if (rejectAll !== null) return this.send(replyError(rejectAll));
    // A busy printer still reports its state (j 9700) but refuses commands.
    if (p.busy && request.verb !== 'query') return this.send(replyError(4));
    switch (request.verb) {
      case 'query':
        this.send(replyQuery(p.status(request.keys), request.keys, this.link));
        return;
      case 'config':
        this.onConfig(request.command);
        return;
      case 'action': {
        const stat = p.action(request.command);
        if (stat === null) this.send(replyError(1));
        else if (this.link === 'usb') this.send(replyAction(request.command.split(':')[0] ?? request.command, stat, {}, true));
        return;
      }
      case 'upload': {
        const refused = p.refuseUpload();
        if (refused !== null || request.size > MAX_UPLOAD_BYTES) {
          this.send(replyError(refused === 'busy' ? 1 : 2));
          return;
        }
        p.beginUpload();
        this.upload = { name: request.fileName, size: request.size, parts: [], received: 0 };
        this.splitter.beginUpload(request.size, XYZ_DEFAULT_BLOCK_SIZE);
        this.send(replyOk());
        return;
      }
      case 'uploadDidFinish':
        // XYZware on a mini w over TCP got two `ok`s; the nano on USB said nothing.
        if (this.link === 'tcp') this.send(asciiBytes('ok\nok\n'));
        return;
      case 'firmware':
        this.send(replyError(35));
        return;
      case 'unknown':
        this.send(replyError(0));
        return;
    }
  }

  private onConfig(command: string): void {
    const p = this.printer;
    const job = /^print\[(pause|resume|cancel|complete)\]$/.exec(command);
    if (job?.[1]) {
      const ok = p.jobControl(job[1] as 'pause' | 'resume' | 'cancel' | 'complete');
      this.send(ok ? replyConfigOk(this.link) : replyError(1));
      return;
    }
    if (command === 'taginfo') return this.send(replyTagInfo(p.serial));
    if (command === 'signature:[get]') return this.send(replyBinary('signature', randomBytes(32), false));
    if (command === 'uid') return this.send(replyBinary('uid', randomBytes(4), true));
    if (command === 'zoffset:get') return this.send(replyNamed(null, '-469'));
    this.send(replyConfigOk(this.link));
  }
}

function startsWithCommand(chunk: Uint8Array): boolean {
  const prefix = 'XYZv3/';
  if (chunk.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (chunk[i] !== prefix.charCodeAt(i)) return false;
  return true;
}

