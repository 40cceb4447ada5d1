import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Reader for `nano-usb-print-capture.raw`, a Windows serial-monitor log of IRPs.
 *
 * Record format, worked out by inspecting the bytes (no lengths are stored anywhere):
 *   [u8 marker][u32 LE code][payload]
 * `code` is an IOCTL_SERIAL_* code (0x001B00xx) or a small IRP kind: 1 open, 2 close, 3 read,
 * 4 write. Each IRP appears twice, as request then completion. Payload sizes follow the Windows
 * structs (e.g. SET_TIMEOUTS request 20 bytes, GET_COMMSTATUS completion 20); a read request has no
 * payload and its completion carries the bytes read; a write request and its completion both carry
 * the bytes written. The first record is an open whose payload is the UTF-16LE device path;
 * after it, and after every close completion, come 8 bytes (two equal u32 values) marking the
 * re-open. Variable payloads end where the next well-formed record chain starts.
 */

export interface CaptureRecord {
  direction: 'host' | 'printer';
  bytes: Uint8Array;
}

const IOCTL_SIZES = new Map<number, readonly [request: number, completion: number]>([
  [0x1b0004, [4, 0]], // SET_BAUD_RATE
  [0x1b000c, [3, 0]], // SET_LINE_CONTROL
  [0x1b001c, [20, 0]], // SET_TIMEOUTS
  [0x1b0020, [0, 20]], // GET_TIMEOUTS
  [0x1b0028, [0, 0]], // CLR_DTR
  [0x1b0030, [0, 0]], // SET_RTS
  [0x1b0034, [0, 0]], // CLR_RTS
  [0x1b0044, [4, 0]], // SET_WAIT_MASK
  [0x1b0048, [0, 4]], // WAIT_ON_MASK
  [0x1b0050, [0, 4]], // GET_BAUD_RATE
  [0x1b0054, [0, 3]], // GET_LINE_CONTROL
  [0x1b0058, [0, 6]], // GET_CHARS
  [0x1b005c, [6, 0]], // SET_CHARS
  [0x1b0060, [0, 16]], // GET_HANDFLOW
  [0x1b0064, [16, 0]], // SET_HANDFLOW
  [0x1b006c, [0, 20]], // GET_COMMSTATUS
  [2, [0, 0]], // close
]);
const READ = 3;
const WRITE = 4;

export const XYZ_FIXTURE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../fixtures/xyz');

export function loadXyzFixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(resolve(XYZ_FIXTURE_DIR, name)));
}

function u32le(d: Uint8Array, at: number): number {
  return ((d[at] ?? 0) | ((d[at + 1] ?? 0) << 8) | ((d[at + 2] ?? 0) << 16) | ((d[at + 3] ?? 0) << 24)) >>> 0;
}

function isReopenMarker(d: Uint8Array, at: number): boolean {
  if (at + 8 > d.length) return false;
  for (let i = 0; i < 4; i++) if (d[at + i] !== d[at + 4 + i]) return false;
  return true;
}

function codeAt(d: Uint8Array, at: number): number | null {
  if (at + 5 > d.length) return null;
  const code = u32le(d, at + 1);
  return IOCTL_SIZES.has(code) || code === READ || code === WRITE ? code : null;
}

/** Do the next few records starting at `at` parse with fixed sizes? */
function chainLooksValid(d: Uint8Array, at: number, pending: ReadonlyMap<number, boolean>): boolean {
  const state = new Map(pending);
  for (let step = 0; step < 3; step++) {
    if (at === d.length) return true;
    const code = codeAt(d, at);
    if (code === null) return false;
    if (code === READ || code === WRITE) return true;
    const sizes = IOCTL_SIZES.get(code) ?? [0, 0];
    const completion = state.get(code) ?? false;
    state.set(code, !completion);
    at += 5 + sizes[completion ? 1 : 0];
    if (code === 2 && completion && isReopenMarker(d, at)) at += 8;
  }
  return true;
}

export function parseXyzCapture(d: Uint8Array): CaptureRecord[] {
  if (d[0] !== 0x8f || u32le(d, 1) !== 1) throw new Error('capture does not start with an open record');
  let at = 5;
  while ((d[at + 1] ?? 1) === 0 && (d[at] ?? 0) >= 0x20 && (d[at] ?? 0) < 0x7f) at += 2;
  if (!isReopenMarker(d, at)) throw new Error('open record not followed by its marker');
  at += 8;
  const pending = new Map<number, boolean>();
  const out: CaptureRecord[] = [];
  while (at < d.length) {
    const code = codeAt(d, at);
    if (code === null) throw new Error(`unrecognised record at 0x${at.toString(16)}`);
    const completion = pending.get(code) ?? false;
    pending.set(code, !completion);
    const start = at + 5;
    const sizes = IOCTL_SIZES.get(code);
    if (sizes) {
      at = start + sizes[completion ? 1 : 0];
      if (code === 2 && completion && at < d.length) {
        if (!isReopenMarker(d, at)) throw new Error(`close not followed by re-open marker at 0x${at.toString(16)}`);
        at += 8;
      }
      continue;
    }
    if (code === READ && !completion) {
      at = start;
      continue;
    }
    let end = start;
    while (end <= d.length && !chainLooksValid(d, end, pending)) end++;
    const payload = d.subarray(start, end);
    // Write data appears in request and completion; take it once, from the request.
    if (code === WRITE && !completion) out.push({ direction: 'host', bytes: payload });
    if (code === READ && payload.length > 0) out.push({ direction: 'printer', bytes: payload });
    at = end;
  }
  return out;
}

let cached: CaptureRecord[] | null = null;

export function loadNanoCapture(): CaptureRecord[] {
  cached ??= parseXyzCapture(loadXyzFixture('nano-usb-print-capture.raw'));
  return cached;
}

export interface CaptureExchange {
  host: Uint8Array;
  /** Printer chunks in arrival order (chunking as the serial driver delivered it). */
  printer: Uint8Array[];
}

/** Groups the records into host write + following printer reads. */
export function captureExchanges(records: readonly CaptureRecord[]): CaptureExchange[] {
  const out: CaptureExchange[] = [];
  for (const r of records) {
    if (r.direction === 'host') out.push({ host: r.bytes, printer: [] });
    else out.at(-1)?.printer.push(r.bytes);
  }
  return out;
}
