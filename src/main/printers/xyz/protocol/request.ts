import { asciiBytes } from './bytes';
import { XyzProtocolError } from './protocol-error';
import type { XyzLink } from './transport';

/** One host→printer command of the `XYZv3/` text protocol. */
export type XyzRequest =
  | { verb: 'query'; keys: string }
  | { verb: 'config'; command: string }
  | { verb: 'action'; command: string }
  | { verb: 'upload'; fileName: string; size: number; saveToSd: boolean }
  | { verb: 'firmware'; fileName: string; size: number; downgrade: boolean }
  | { verb: 'uploadDidFinish' };

const QUERY_KEYS = /^(?:a|[A-Za-z0-9]{1,4})$/;

function assertSafeText(what: string, text: string): void {
  // A CR/LF or other control byte inside an argument would split the command on TCP and could
  // be taken as block data on USB, so refuse it at build time.
  if (text.length === 0 || /[\u0000-\u001f\u007f-\uffff]/.test(text)) {
    throw new XyzProtocolError('invalid-argument', `${what} must be non-empty printable ASCII`);
  }
}

function assertSize(size: number): void {
  if (!Number.isSafeInteger(size) || size <= 0 || size > 0xffffffff) {
    throw new XyzProtocolError('invalid-argument', `size must be a positive 32-bit integer, got ${size}`);
  }
}

/** `query=a` (everything) or up to 4 letters, e.g. `djte`. */
export function queryRequest(keys = 'a'): XyzRequest {
  if (!QUERY_KEYS.test(keys)) throw new XyzProtocolError('invalid-argument', `bad query keys "${keys}"`);
  return { verb: 'query', keys };
}

export function configRequest(command: string): XyzRequest {
  assertSafeText('config command', command);
  return { verb: 'config', command };
}

export function actionRequest(command: string): XyzRequest {
  assertSafeText('action command', command);
  return { verb: 'action', command };
}

/** `upload=<name>,<size>[,SaveToSD]`; size is the byte length of the .3w file. */
export function uploadRequest(fileName: string, size: number, saveToSd = false): XyzRequest {
  assertSafeText('file name', fileName);
  if (fileName.includes(',')) throw new XyzProtocolError('invalid-argument', 'file name must not contain a comma');
  assertSize(size);
  return { verb: 'upload', fileName, size, saveToSd };
}

/** `firmware=<name>,<size>[,Downgrade]`; size excludes the 16-byte header that is not sent. */
export function firmwareRequest(fileName: string, size: number, downgrade = false): XyzRequest {
  assertSafeText('file name', fileName);
  if (fileName.includes(',')) throw new XyzProtocolError('invalid-argument', 'file name must not contain a comma');
  assertSize(size);
  return { verb: 'firmware', fileName, size, downgrade };
}

export function uploadDidFinishRequest(): XyzRequest {
  return { verb: 'uploadDidFinish' };
}

/** The command text without any terminator. */
export function requestText(request: XyzRequest): string {
  switch (request.verb) {
    case 'query':
      return `XYZv3/query=${request.keys}`;
    case 'config':
      return `XYZv3/config=${request.command}`;
    case 'action':
      return `XYZv3/action=${request.command}`;
    case 'upload':
      return `XYZv3/upload=${request.fileName},${request.size}${request.saveToSd ? ',SaveToSD' : ''}`;
    case 'firmware':
      return `XYZv3/firmware=${request.fileName},${request.size}${request.downgrade ? ',Downgrade' : ''}`;
    case 'uploadDidFinish':
      return 'XYZv3/uploadDidFinish';
  }
}

/**
 * Bytes to write. USB: one buffer and no terminator, exactly like the official client (a stray
 * newline before upload blocks may be counted as data). TCP: CR LF like XYZware.
 */
export function encodeRequest(request: XyzRequest, link: XyzLink): Uint8Array {
  const text = requestText(request);
  return asciiBytes(link === 'tcp' ? `${text}\r\n` : text);
}
