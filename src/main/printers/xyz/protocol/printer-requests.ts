import { latin1Text } from './bytes';
import type { XyzRequest } from './request';
import { XyzUploadDecoder, type XyzUploadEvent } from './upload-decoder';

/** PRINTER SIDE (simulator): reading what the host sends. */

export type XyzHostRequest = XyzRequest | { verb: 'unknown'; text: string };

const UPLOAD = /^(upload|firmware)=([^,]+),(\d+)(?:,(SaveToSD|Downgrade))?$/;

/** Parses one command line (terminator optional) as the printer would. Never throws. */
export function parseHostRequest(line: string): XyzHostRequest {
  const text = line.replace(/[\r\n]+$/, '');
  if (!text.startsWith('XYZv3/')) return { verb: 'unknown', text };
  const body = text.slice('XYZv3/'.length);
  if (body === 'uploadDidFinish') return { verb: 'uploadDidFinish' };
  const upload = UPLOAD.exec(body);
  if (upload) {
    const [, verb, fileName = '', size = '0', flag] = upload;
    return verb === 'upload'
      ? { verb: 'upload', fileName, size: Number(size), saveToSd: flag === 'SaveToSD' }
      : { verb: 'firmware', fileName, size: Number(size), downgrade: flag === 'Downgrade' };
  }
  const eq = body.indexOf('=');
  const verb = body.slice(0, eq);
  const arg = body.slice(eq + 1);
  if (eq > 0 && arg.length > 0) {
    if (verb === 'query' && /^[A-Za-z0-9]{1,4}$/.test(arg)) return { verb: 'query', keys: arg };
    if (verb === 'config') return { verb: 'config', command: arg };
    if (verb === 'action') return { verb: 'action', command: arg };
  }
  return { verb: 'unknown', text };
}

export type XyzHostEvent =
  | { kind: 'request'; request: XyzHostRequest }
  | XyzUploadEvent
  /** A CR/LF between the upload line and block 0 (miniMover does this). */
  | { kind: 'stray-newline' }
  | { kind: 'overflow'; discarded: number };

/**
 * Splits the host→printer byte stream into commands and upload blocks. USB commands carry no
 * terminator, so (like the firmware apparently does) one write = one command: call `feedWrite`
 * once per host write. CR/LF-terminated commands (TCP, py-threedub) are split on the newline.
 */
export class XyzHostStreamSplitter {
  private text = '';
  private upload: XyzUploadDecoder | null = null;
  private awaitingFirstBlock = false;

  constructor(private readonly maxCommandBytes = 1024) {}

  get bufferedBytes(): number {
    return this.text.length + (this.upload?.bufferedBytes ?? 0);
  }

  /** The simulator accepted `upload=`/`firmware=`: the next bytes are blocks. */
  beginUpload(totalBytes: number, blockSize: number): void {
    this.upload = new XyzUploadDecoder(totalBytes, blockSize);
    this.awaitingFirstBlock = true;
  }

  feedWrite(chunk: Uint8Array): XyzHostEvent[] {
    const events: XyzHostEvent[] = [];
    let rest = chunk;
    while (rest.length > 0) {
      if (this.upload) rest = this.feedUpload(rest, events);
      else {
        this.feedText(latin1Text(rest), events);
        rest = new Uint8Array(0);
      }
    }
    // End of a write with text pending: that is a whole command on USB.
    if (!this.upload && this.text.length > 0) this.emitCommand(events);
    return events;
  }

  private feedUpload(bytes: Uint8Array, events: XyzHostEvent[]): Uint8Array {
    const decoder = this.upload;
    if (!decoder) return bytes;
    let rest = bytes;
    if (this.awaitingFirstBlock) {
      while (rest[0] === 0x0d || rest[0] === 0x0a) {
        events.push({ kind: 'stray-newline' });
        rest = rest.subarray(1);
      }
      if (rest.length === 0) return rest;
      this.awaitingFirstBlock = false;
    }
    const { events: uploadEvents, consumed } = decoder.feed(rest);
    events.push(...uploadEvents);
    if (decoder.done) this.upload = null;
    return rest.subarray(consumed);
  }

  private feedText(chunk: string, events: XyzHostEvent[]): void {
    for (const ch of chunk) {
      if (ch === '\n') {
        if (this.text.replace(/\r$/, '').length > 0) this.emitCommand(events);
        this.text = '';
        continue;
      }
      this.text += ch;
      if (this.text.length > this.maxCommandBytes) {
        events.push({ kind: 'overflow', discarded: this.text.length });
        this.text = '';
      }
    }
  }

  private emitCommand(events: XyzHostEvent[]): void {
    const request = parseHostRequest(this.text);
    this.text = '';
    events.push({ kind: 'request', request });
  }
}
