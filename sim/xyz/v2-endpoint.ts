import {
  concatBytes,
  encodeV2Lines,
  latin1Text,
  XyzV2FrameDecoder,
  type XyzV2FrameEvent,
} from '../../src/main/printers/xyz/protocol';
import type { SimPrinter } from './sim-printer';
import { sendThroughFaults, type WireFaults } from './wire-faults';

/** Largest offline print the simulated printer stores (bounded memory). */
const MAX_UPLOAD_BYTES = 256 * 1024 * 1024;
/** Longest command line kept; anything longer is noise and dropped. */
const MAX_LINE_BYTES = 4096;
/** USB: miniMover sends v2 commands without a terminator, one write each; a quiet gap ends one. */
const USB_COMMAND_GAP_MS = 3;
/** A half-received offline print is dropped after this long without bytes (the host went away) [G]. */
const UPLOAD_IDLE_MS = 10_000;
const V2_PREFIX = 'XYZ_@3D:';

/** New-style state → the old two-digit code v2 printers report (inverse of miniMover's table). */
const OLD_CODES = new Map<number, number>([
  [9511, 10],
  [9520, 0],
  [9501, 1],
  [9505, 11],
  [9508, 7],
  [9509, 8],
  [9602, 12],
  [9700, 30],
]);

type Mode =
  | { kind: 'command' }
  /** `OFFLINE_OK` sent; the `M1:` header comes next. */
  | { kind: 'header' }
  | { kind: 'frames'; name: string; decoder: XyzV2FrameDecoder; parts: Uint8Array[] };

/**
 * The printer side of the older `XYZ_@3D:` protocol on the simulated USB port: info,
 * status, cartridge and life replies as `KEY:value` lines, and the offline print: `XYZ_@3D:4` →
 * `OFFLINE_OK`, `M1:` → `M1_OK`, then frames checked by their byte sum (`CheckSumOK:PN:<n>` or
 * `CheckSumFail`, after which the same frame is expected again). A complete file is judged like
 * the firmware judges it (container per model, machine id, CRC); a file it would not print gets
 * `OFFLINE_FAIL` in place of the last frame's `CheckSumOK` (how a real 1.0 words this is not
 * documented [G]). XYZv3 commands get no answer, as on a printer that does not speak v3.
 */
export class V2Endpoint {
  private text: Uint8Array = new Uint8Array(0);
  private gapTimer: NodeJS.Timeout | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private mode: Mode = { kind: 'command' };
  private closed = false;
  /** Frames whose byte sum did not match (tests read it). */
  badFrames = 0;

  constructor(
    private readonly printer: SimPrinter,
    private readonly write: (bytes: Uint8Array) => void,
    private readonly faults: () => WireFaults,
  ) {}

  get uploading(): boolean {
    return this.mode.kind !== 'command';
  }

  receive(chunk: Uint8Array): void {
    if (this.closed || chunk.length === 0) return;
    const mode = this.mode;
    if (mode.kind === 'frames') {
      // A command where the next frame should start: the host gave up on the upload.
      if (mode.decoder.bufferedBytes === 0 && startsWith(chunk, V2_PREFIX)) this.abandonUpload();
      else {
        const rest = this.feedFrames(mode, chunk);
        if (rest.length > 0) this.receive(rest);
        return;
      }
    }
    this.text = concatBytes([this.text, chunk]);
    this.takeLines();
    if (this.text.length > MAX_LINE_BYTES) this.text = new Uint8Array(0);
    if (this.gapTimer) clearTimeout(this.gapTimer);
    this.gapTimer = this.text.length > 0 ? setTimeout(() => this.flush(), USB_COMMAND_GAP_MS) : null;
  }

  close(): void {
    this.closed = true;
    if (this.gapTimer) clearTimeout(this.gapTimer);
    if (this.idleTimer) clearTimeout(this.idleTimer);
    if (this.mode.kind !== 'command') this.abandonUpload();
  }

  /** The bytes so far are one whole USB write (no terminator): treat them as a line. */
  private flush(): void {
    this.gapTimer = null;
    const line = latin1Text(this.text).trim();
    this.text = new Uint8Array(0);
    if (line !== '') this.onLine(line);
  }

  /** Handles every CR/LF-terminated line; after `M1_OK` the rest of the buffer is frame data. */
  private takeLines(): void {
    for (;;) {
      const end = this.text.findIndex((b) => b === 0x0a || b === 0x0d);
      if (end < 0) return;
      const line = latin1Text(this.text.subarray(0, end)).trim();
      let next = end + 1;
      if (this.text[end] === 0x0d && this.text[next] === 0x0a) next++;
      this.text = this.text.slice(next);
      if (line !== '') this.onLine(line);
      if (this.mode.kind === 'frames') {
        const rest = this.text;
        this.text = new Uint8Array(0);
        if (rest.length > 0) this.receive(rest);
        return;
      }
    }
  }

  private send(lines: readonly (readonly [string, string] | string)[]): void {
    sendThroughFaults(encodeV2Lines(lines), this.faults(), this.write, () => this.closed);
  }

  private onLine(line: string): void {
    if (this.mode.kind === 'header') {
      this.onHeader(line);
      return;
    }
    if (!line.startsWith(V2_PREFIX)) return; // XYZv3 and noise: this firmware stays silent.
    const command = Number(line.slice(V2_PREFIX.length));
    if (!Number.isInteger(command)) return;
    const p = this.printer;
    switch (command) {
      case 0:
        return this.send(this.infoLines());
      case 5:
        return this.send([
          ['MCHLIFE', '69342'],
          ['MCHEXDUR_LIFE', '21785'],
        ]);
      case 6:
      case 7:
        return this.send([this.cartridgeLine(command - 5)]);
      case 8:
        return this.send(this.statusLines());
      case 4: {
        const refused = p.refuseUpload();
        // Not idle / busy: `OFFLINE_NO`; no cartridge: `OFFLINE_NG` (which word a real 1.0 uses
        // for which is not documented [G]; the host treats both as "not ready").
        if (refused !== null) return this.send(['OFFLINE_NO']);
        if (!p.hasCartridge) return this.send(['OFFLINE_NG']);
        this.mode = { kind: 'header' };
        this.armIdleTimer();
        return this.send(['OFFLINE_OK']);
      }
      default:
        return;
    }
  }

  /** `M1:<name>,<len>,<h>.<m>.<s>,EE1_OK,EE2_OK`. */
  private onHeader(line: string): void {
    const m = /^M1:([\x21-\x2b\x2d-\x7e]+),(\d{1,12}),\d+\.\d+\.\d+,EE1_(?:OK|NG),EE2_(?:OK|NG)$/.exec(line);
    const length = m ? Number(m[2]) : 0;
    if (!m?.[1] || length <= 0 || length > MAX_UPLOAD_BYTES) {
      this.mode = { kind: 'command' };
      this.clearIdleTimer();
      return this.send(['M1_FAIL']);
    }
    this.printer.beginUpload();
    this.mode = { kind: 'frames', name: m[1], decoder: new XyzV2FrameDecoder(length), parts: [] };
    this.armIdleTimer();
    this.send(['M1_OK']);
  }

  /** Frame bytes; returns what is left over once the whole file has arrived. */
  private feedFrames(mode: Extract<Mode, { kind: 'frames' }>, chunk: Uint8Array): Uint8Array {
    this.armIdleTimer();
    let input = chunk;
    const f = this.faults();
    if (f.corruptFrames > 0 && mode.decoder.bufferedBytes === 0) {
      // Line noise on the first byte of this frame: its byte sum no longer matches.
      f.corruptFrames--;
      input = chunk.slice();
      input[0] = (input[0] ?? 0) ^ 0xff;
    }
    const { events, consumed } = mode.decoder.feed(input);
    for (const event of events) this.onFrameEvent(mode, event);
    return chunk.subarray(consumed);
  }

  private onFrameEvent(mode: Extract<Mode, { kind: 'frames' }>, event: XyzV2FrameEvent): void {
    if (event.kind === 'complete') {
      this.mode = { kind: 'command' };
      this.clearIdleTimer();
      const bytes = concatBytes(mode.parts);
      const verdict = this.printer.judgeFile(bytes);
      if (verdict.error !== null) {
        this.printer.recordRejected(mode.name, bytes, verdict.container);
        return this.send(['OFFLINE_FAIL']);
      }
      this.send([['CheckSumOK', `PN:${mode.parts.length - 1}`]]);
      this.printer.receiveFile(mode.name, bytes);
      return;
    }
    if (!event.checksumOk) {
      this.badFrames++;
      return this.send(['CheckSumFail']);
    }
    mode.parts.push(event.data);
    // The last frame is answered once the file has been judged (the 'complete' event follows).
    if (!mode.decoder.done) this.send([['CheckSumOK', `PN:${event.index}`]]);
  }

  private abandonUpload(): void {
    this.mode = { kind: 'command' };
    this.clearIdleTimer();
    this.printer.abortUpload();
  }

  private armIdleTimer(): void {
    this.clearIdleTimer();
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (this.mode.kind !== 'command') this.abandonUpload();
    }, UPLOAD_IDLE_MS);
    this.idleTimer.unref();
  }

  private clearIdleTimer(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  private infoLines(): (readonly [string, string] | string)[] {
    const p = this.printer;
    const lines: (readonly [string, string] | string)[] = [
      `${V2_PREFIX}start`,
      ['MDU', p.model.modelNumber],
      ['FW_V', this.isOnePlus ? '1.1.7' : '1.2.3'],
      ['MCH_ID', p.serial],
      ['PROTOCOL', '2'],
    ];
    if (this.isOnePlus) {
      lines.push(['Welcome', p.model.fileId], ['OS_V', '1.1.0.19'], ['APP_V', '1.1.7.3'], ['PRT_NAME', p.name], ['PRT_IP', '127.0.0.1']);
    }
    return lines;
  }

  /** `XYZ_@3D:8`. Times in minutes, as the v3 `d:` key. */
  private statusLines(): (readonly [string, string] | string)[] {
    const p = this.printer;
    const { code } = p.stateCode();
    const old = String(OLD_CODES.get(code) ?? code);
    const temps = p.temperatures();
    const job = p.jobNumbers();
    const lines: (readonly [string, string] | string)[] = [
      ['WORK_PARSENT', String(job?.percent ?? 0)],
      ['WORK_TIME', String(job?.elapsedMin ?? 0)],
      ['EST_TIME', String(job?.remainingMin ?? 0)],
      ['ET0', String(temps.nozzle)],
    ];
    if (p.model.capabilities.extruders > 1) lines.push(['ET1', '25']);
    lines.push(['BT', p.model.capabilities.heatedBed ? '25' : '0'], ['MCH_STATE', old]);
    if (this.isOnePlus) lines.push(['PRN_STATE', old]);
    lines.push(['LANG', 'en']);
    return lines;
  }

  /** `EE1:`/`EE2:` cartridge EEPROM lines, or `W1:--------------` when there is none. */
  private cartridgeLine(slot: 1 | 2 | number): readonly [string, string] {
    const p = this.printer;
    const remaining = p.filamentRemaining();
    if (slot !== 1 || remaining === null) return [`W${slot}`, '--------------'];
    return ['EE1', `XYZ001,50,FFFFFF,20160101,240000,${remaining},210,90,1,1,3F11A0B1C2,0`];
  }

  private get isOnePlus(): boolean {
    // The 1.1 Plus reports more identity lines and `PRN_STATE`.
    return this.printer.model.wifiProtocol === 'json';
  }
}

function startsWith(chunk: Uint8Array, prefix: string): boolean {
  if (chunk.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (chunk[i] !== prefix.charCodeAt(i)) return false;
  return true;
}
