import { randomBytes } from 'node:crypto';
import type net from 'node:net';
import {
  encodeCameraImage,
  encodeCameraStart,
  encodeJsonResponse,
  isCameraAck,
  XYZ_JSON_EOF_MARKER,
  XyzJsonStreamDecoder,
} from '../../src/main/printers/xyz/protocol';
import { renderCameraFrame } from './camera';
import type { SimPrinter } from './sim-printer';

const MAX_FILE_BYTES = 256 * 1024 * 1024;
const EOF_BYTES = Buffer.from(XYZ_JSON_EOF_MARKER, 'latin1');

/** Old two-digit state codes the 1.1 Plus reports in `j`. */
function legacyState(code: number): number {
  const map: Record<number, number> = { 9511: 10, 9501: 1, 9505: 11, 9508: 7, 9509: 8, 9512: 12, 9700: 30 };
  // Paused and file check have no old code; the 1.1 Plus firmware's choice is unknown, so the new one is sent.
  return map[code] ?? code;
}

/** The `data` object of command 2 (seed format). */
export function jsonStatusData(p: SimPrinter): Record<string, unknown> {
  const { code } = p.stateCode();
  const temps = p.temperatures();
  const d = p.jobNumbers();
  const remaining = p.filamentRemaining();
  const j = legacyState(code);
  return {
    p: p.model.modelNumber,
    i: p.serial,
    n: p.name,
    v: { os: '1.1.0.19', app: '1.1.7.3', engine: 'N/A' },
    w: [`W1:${remaining === null ? '--------------' : 'GB9XZTH988P001'}`, 'W2:--------------'],
    f: [remaining ?? 0, 0],
    t: [String(temps.nozzle), '--'],
    j,
    L: { m: '4183146537', e: '21785' },
    s: { e: 0, c: 0, j: 0, o: 0 },
    // At idle the 1.1 Plus reports 2 here (seed); it reads as a machine state, not an error.
    e: j < 100 ? 2 : p.errorValue(),
    b: String(p.model.capabilities.heatedBed ? 60 : '--'),
    d: d ? { print_percentage: d.percent, elapsed_time: d.elapsedMin, estimated_time: d.remainingMin } : { message: 'No printing job!' },
    o: { p: 0, t: 0, f: 0 },
  };
}

/**
 * One TCP connection to the simulated 1.1 Plus speaking JSON: one command, its reply,
 * then the printer closes the connection — except the camera and the file transfer, which take
 * a second step (ack / file bytes) on the same connection.
 */
export function serveJsonConnection(printer: SimPrinter, socket: net.Socket, delayMs: () => number): void {
  const decoder = new XyzJsonStreamDecoder(64 * 1024);
  let mode: 'command' | 'camera' | 'file' | 'done' = 'command';
  let file: { name: string; size: number; parts: Buffer[]; received: number } | null = null;
  let jpeg: Uint8Array | null = null;
  const reply = (bytes: Uint8Array, end = true): void => {
    const go = (): void => {
      if (socket.destroyed) return;
      socket.write(bytes);
      if (end) socket.end();
    };
    const delay = delayMs();
    if (delay > 0) setTimeout(go, delay);
    else go();
    if (end) mode = 'done';
  };
  const incorrect = (command = -1): void => reply(encodeJsonResponse({ result: 5, command, message: 'Command incorrect!' }));

  const onCommand = (value: unknown): void => {
    const cmd = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
    const command = typeof cmd.command === 'number' ? cmd.command : -1;
    switch (command) {
      case 2:
        return reply(encodeJsonResponse({ result: 0, command: 2, data: jsonStatusData(printer) }));
      case 4: {
        const d = printer.jobNumbers();
        if (!d) return reply(encodeJsonResponse({ result: 1, command: 4, message: 'No printing job!' }));
        return reply(encodeJsonResponse({ result: 0, command: 4, print_percentage: d.percent, elapsed_time: d.elapsedMin, estimated_time: d.remainingMin }));
      }
      case 3: {
        jpeg = renderCameraFrame(printer.progress, printer.phaseKind === 'heating');
        mode = 'camera';
        return reply(encodeCameraStart(jpeg.length), false);
      }
      case 1: {
        const size = typeof cmd.fileLen === 'number' ? cmd.fileLen : -1;
        const name = typeof cmd.fileName === 'string' ? cmd.fileName.slice(0, 128) : '';
        if (printer.busy || printer.refuseUpload() !== null) {
          return reply(encodeJsonResponse({ result: 6, command: 1, message: 'The printer is currently busy, please try again later!' }));
        }
        if (!Number.isSafeInteger(size) || size <= 0 || size > MAX_FILE_BYTES || !name) return incorrect(1);
        printer.beginUpload();
        file = { name, size, parts: [], received: 0 };
        mode = 'file';
        return reply(encodeJsonResponse({ result: 1, command: 1, message: 'START_RECEIVE' }), false);
      }
      case 6: {
        const state = cmd.state;
        const control = state === 1 ? 'pause' : state === 2 ? 'resume' : state === 3 ? 'cancel' : null;
        if (!control || printer.token === null || cmd.token !== printer.token) return incorrect();
        if (printer.busy) return reply(encodeJsonResponse({ result: 6, command: 6, message: 'The printer is currently busy, please try again later!' }));
        return printer.jobControl(control) ? reply(encodeJsonResponse({ result: 0, command: 6 })) : incorrect();
      }
      case 5:
        return reply(encodeJsonResponse({ result: 0, command: 5 }));
      case 7:
        return reply(encodeJsonResponse({ result: 2, command: 7, message: 'GET_LOG_ERROR' }));
      case 8:
        return reply(encodeJsonResponse({ result: 0, command: 8 }));
      default:
        return incorrect(command === -1 ? -1 : command);
    }
  };

  const onFileBytes = (chunk: Buffer): void => {
    if (!file) return;
    file.parts.push(chunk);
    file.received += chunk.length;
    if (file.received < file.size + EOF_BYTES.length) return;
    const all = Buffer.concat(file.parts);
    const body = all.subarray(0, file.size);
    const marker = all.subarray(file.size, file.size + EOF_BYTES.length);
    const name = file.name;
    file = null;
    if (!marker.equals(EOF_BYTES)) return reply(encodeJsonResponse({ result: 4, command: 1, message: 'File checksum error!' }));
    // Decrypt-and-check happens in the printer's file check; a file that is not a .3w is refused here.
    if (!body.subarray(0, 12).equals(Buffer.from('3DPFNKG13WTW'))) {
      return reply(encodeJsonResponse({ result: 2, command: 1, message: 'Not Support file Format!' }));
    }
    printer.receiveFile(name, new Uint8Array(body));
    printer.token = randomBytes(6).toString('hex');
    return reply(encodeJsonResponse({ result: 0, command: 1, token: printer.token }));
  };

  socket.on('data', (chunk: Buffer) => {
    if (mode === 'file') return onFileBytes(chunk);
    if (mode === 'done') return;
    // XYZv3 text on the JSON port (a driver probing): the 1.1 Plus answers "Command incorrect".
    if (mode === 'command' && chunk[0] === 0x58) return incorrect();
    for (const event of decoder.feed(chunk)) {
      if (mode === 'camera') {
        if (event.kind === 'object' && isCameraAck(event.value) && jpeg) reply(encodeCameraImage(jpeg));
        else incorrect(3);
        return;
      }
      if (event.kind === 'error') return incorrect();
      onCommand(event.value);
      if ((mode as string) === 'file') {
        // Bytes after the command object in the same chunk are already file data.
        const rest = chunk.subarray(event.endOffset);
        if (rest.length > 0) onFileBytes(rest);
      }
      return;
    }
  });
  socket.on('error', () => socket.destroy());
}
