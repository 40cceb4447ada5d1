import {
  encodeV2PrintHeader,
  encodeV2Request,
  v2ByteSum,
  v2UploadVerdict,
  writeU32BE,
  XYZ_V2_FRAME_SIZE,
  XyzV2Command,
  type XyzV2Token,
} from '../protocol';
import { XyzTransportError } from '../transport';
import { XyzCancelledError, XyzNoAnswerError, XyzRejectedError } from './backend';
import type { UploadSource } from './upload-source';
import type { V2Line, V2Reply, V2Timeouts } from './v2-line';

/** Resends of one frame after `CheckSumFail` before the upload is given up (a bad cable, not a blip). */
export const V2_MAX_RESENDS_PER_FRAME = 3;
/** `wait` / `M888_WAIT` replies honoured per step, each giving the printer `frameWaitMs` more. */
const V2_MAX_WAITS_PER_STEP = 4;

// HYX, the v2 offline-print client reported working on a da Vinci 1.0, ends its lines with CR LF
//; the firmware then reads the frames that follow the `M1:` line.
const CRLF = '\r\n';

interface Step {
  /** For messages: "the offline-print request", "frame 3 of 12". */
  what: string;
  /** Tokens that let the upload go on at this step; other "continue" tokens are stale and skipped. */
  accept: readonly XyzV2Token[];
  /** A checksum verdict makes sense only for a frame. */
  frame: boolean;
  timeoutMs: number;
}

function refused(token: XyzV2Token, what: string): XyzRejectedError {
  switch (token) {
    case 'OFFLINE_NO':
    case 'OFFLINE_NG':
      return new XyzRejectedError(`The printer is not ready to take a print (${token} to ${what}).`, false, token);
    case 'OFFLINE_FAIL':
      return new XyzRejectedError(`The printer refused the file (${token} to ${what}).`, false, token);
    case 'M1_FAIL':
      return new XyzRejectedError(`The printer refused the print header (${token}).`, false, token);
    default:
      return new XyzRejectedError(`The printer stopped the upload with ${token} to ${what}.`, false, token);
  }
}

/** `[frame bytes][u32 BE byte sum]`. */
function frameWire(data: Uint8Array): Uint8Array {
  const wire = new Uint8Array(data.length + 4);
  wire.set(data);
  writeU32BE(wire, data.length, v2ByteSum(data));
  return wire;
}

/**
 * One v2 offline-print upload: `XYZ_@3D:4` → `OFFLINE_OK`, the `M1:` header
 * → `M1_OK`, then 10236-byte frames each followed by its byte sum and answered before the next
 * one goes (`M2_OK` / `CheckSumOK` go on, `CheckSumFail` / `Resend` send the same frame again a
 * bounded number of times, `wait` gives the printer longer, anything else ends the upload).
 * Cancellation is honoured between frames, after the frame on the wire has been answered, so the
 * printer and the host never disagree about where the stream stands.
 */
export class V2Uploader {
  private cursor = 0;
  private lines: V2Reply = [];

  constructor(
    private readonly line: V2Line,
    private readonly timeouts: V2Timeouts,
    private readonly maxResends = V2_MAX_RESENDS_PER_FRAME,
  ) {}

  async run(source: UploadSource, onSent: (bytes: number) => void, signal: AbortSignal): Promise<void> {
    this.lines = this.line.listen();
    this.cursor = 0;
    const t = this.timeouts;
    await this.line.write(encodeV2Request(XyzV2Command.offlinePrint, CRLF));
    await this.verdict({ what: 'the offline-print request', accept: ['OFFLINE_OK'], frame: false, timeoutMs: t.offlineOkMs });
    if (signal.aborted) throw new XyzCancelledError();
    // XYZware always names the job `MyTest`; the printer shows no name, so we do the same.
    await this.line.write(encodeV2PrintHeader({ length: source.size, estimatedSeconds: source.estimatedSeconds ?? 0 }, CRLF));
    // TB saw `OFFLINE_OK` again instead of `M1_OK` on one printer: both mean go on.
    await this.verdict({ what: 'the print header', accept: ['M1_OK', 'OFFLINE_OK'], frame: false, timeoutMs: t.headerMs });

    const frames = Math.ceil(source.size / XYZ_V2_FRAME_SIZE);
    let next = source.read(0, XYZ_V2_FRAME_SIZE);
    for (let index = 0, offset = 0; offset < source.size; index++) {
      if (signal.aborted) throw new XyzCancelledError();
      const data = await next;
      if (data.length === 0) throw new XyzRejectedError('The file ended early while it was being sent.', false, 'short-read');
      const after = offset + data.length;
      // The next frame is read from disk while this one is on the wire.
      if (after < source.size) next = source.read(after, XYZ_V2_FRAME_SIZE);
      const wire = frameWire(data);
      const step: Step = { what: `frame ${index + 1} of ${frames}`, accept: ['M2_OK', 'CheckSumOK'], frame: true, timeoutMs: t.frameMs };
      for (let resends = 0; ; resends++) {
        await this.line.write(wire);
        if ((await this.verdict(step)) === 'continue') break;
        if (resends >= this.maxResends) {
          throw new XyzRejectedError(`The printer kept failing the checksum of ${step.what} (${resends + 1} tries); check the USB cable.`, false, 'v2-checksum');
        }
        if (signal.aborted) throw new XyzCancelledError();
      }
      offset = after;
      onSent(offset);
    }
    // Printing starts by itself; the print flow polls for it.
  }

  /** Waits for the printer's word on `step`, skipping lines that are not reply tokens. */
  private async verdict(step: Step): Promise<'continue' | 'resend'> {
    let deadline = Date.now() + step.timeoutMs;
    let waits = 0;
    for (;;) {
      while (this.cursor < this.lines.length) {
        const line = this.lines[this.cursor++];
        // `XYZ_@3D:start` opens an info reply; it is never an answer to an upload step.
        if (line?.kind !== 'token' || line.token === 'start') continue;
        switch (v2UploadVerdict(line.token)) {
          case 'continue':
            if (step.accept.includes(line.token)) return 'continue';
            continue;
          case 'resend':
            if (step.frame) return 'resend';
            throw refused(line.token, step.what);
          case 'wait':
            if (++waits > V2_MAX_WAITS_PER_STEP) throw new XyzNoAnswerError(`The printer kept asking to wait at ${step.what}.`, 'timeout');
            deadline = Date.now() + this.timeouts.frameWaitMs;
            continue;
          case 'abort':
            throw refused(line.token, step.what);
        }
      }
      if (!this.line.isOpen) throw this.line.closedBy ?? new XyzTransportError('unplugged', 'The printer’s USB port went away during the upload.');
      const left = deadline - Date.now();
      if (left <= 0) throw new XyzNoAnswerError(`The printer did not answer ${step.what} in time.`, 'timeout');
      await this.line.nudge(left);
    }
  }
}
