import { describe, expect, it } from 'vitest';
import { SimPrinter } from '../../../sim/xyz/sim-printer';
import { V2Endpoint } from '../../../sim/xyz/v2-endpoint';
import { NO_WIRE_FAULTS, type WireFaults } from '../../../sim/xyz/wire-faults';
import { XyzCancelledError, XyzNoAnswerError, XyzRejectedError } from '../../../src/main/printers/xyz/driver/backend';
import { memorySource } from '../../../src/main/printers/xyz/driver/upload-source';
import { V2_TIMEOUTS, type V2Line, type V2Reply, type V2Timeouts } from '../../../src/main/printers/xyz/driver/v2-line';
import { V2Uploader } from '../../../src/main/printers/xyz/driver/v2-upload';
import { asciiBytes, latin1Text, XYZ_V2_FRAME_SIZE, XyzV2ReplyParser } from '../../../src/main/printers/xyz/protocol';
import { encodeThreeW } from '../../../src/main/printers/xyz/threew';

const GCODE = ['; print_time = 3725', 'G21', 'G90', ...Array.from({ length: 4000 }, (_, i) => `G1 X${i % 100} Y${(i * 7) % 100} E${i / 10}`)].join('\n');
const FAST: V2Timeouts = { ...V2_TIMEOUTS, offlineOkMs: 200, headerMs: 200, frameMs: 200, frameWaitMs: 300 };

/** A V2Line whose far end is `answer`: each host write gets the reply lines it returns. */
class ScriptedLine implements V2Line {
  readonly writes: Uint8Array[] = [];
  isOpen = true;
  closedBy = null;
  private lines: V2Reply = [];
  private readonly parser = new XyzV2ReplyParser();
  private wake: (() => void) | null = null;
  constructor(private readonly answer: (write: Uint8Array, index: number) => string | Uint8Array | null) {}
  write(bytes: Uint8Array): Promise<void> {
    this.writes.push(bytes.slice());
    const reply = this.answer(bytes, this.writes.length - 1);
    if (reply !== null) setTimeout(() => this.deliver(typeof reply === 'string' ? asciiBytes(reply) : reply), 1);
    return Promise.resolve();
  }
  deliver(bytes: Uint8Array): void {
    this.lines.push(...this.parser.feed(bytes));
    this.wake?.();
  }
  listen(): V2Reply {
    this.lines = [];
    return this.lines;
  }
  nudge(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(t);
        resolve();
      };
    });
  }
}

/** The simulator's v2 endpoint as the far end, wired back-to-back in memory. */
function simLine(model: string, faults: Partial<WireFaults> = {}): { line: ScriptedLine; printer: SimPrinter; endpoint: V2Endpoint } {
  const printer = new SimPrinter({ model, timeScale: 1 });
  const wire = { ...NO_WIRE_FAULTS, ...faults };
  let line: ScriptedLine | null = null;
  const endpoint = new V2Endpoint(printer, (bytes) => line?.deliver(bytes), () => wire);
  line = new ScriptedLine((bytes) => {
    endpoint.receive(bytes);
    return null;
  });
  return { line, printer, endpoint };
}

const zipFor = (model: string): Uint8Array => encodeThreeW(GCODE, { model, container: 'zip' });

describe('v2 offline-print upload (driver V2Uploader against the simulator V2Endpoint)', () => {
  it('sends XYZ_@3D:4, the M1 header with length and h.m.s, then framed bytes the printer accepts', async () => {
    const { line, printer, endpoint } = simLine('dvF100B000');
    const file = zipFor('dvF100B000');
    const sent: number[] = [];
    await new V2Uploader(line, FAST).run(memorySource('part.3w', file, 'zip'), (n) => sent.push(n), new AbortController().signal);
    expect(latin1Text(line.writes[0] ?? new Uint8Array())).toBe('XYZ_@3D:4\r\n');
    expect(latin1Text(line.writes[1] ?? new Uint8Array())).toBe(`M1:MyTest,${file.length},1.2.5,EE1_OK,EE2_OK\r\n`);
    const frames = Math.ceil(file.length / XYZ_V2_FRAME_SIZE);
    expect(line.writes).toHaveLength(2 + frames);
    expect(line.writes[2]).toHaveLength(XYZ_V2_FRAME_SIZE + 4);
    expect(sent.at(-1)).toBe(file.length);
    expect(endpoint.uploading).toBe(false);
    expect(printer.phaseKind).toBe('checking');
  });

  it('gets OFFLINE_FAIL for a file made for another model, and the printer keeps nothing', async () => {
    const { line, printer } = simLine('dvF100B000');
    const wrong = memorySource('other.3w', zipFor('dvF200B000'), 'zip');
    await expect(new V2Uploader(line, FAST).run(wrong, () => undefined, new AbortController().signal)).rejects.toThrow(/refused the file \(OFFLINE_FAIL/);
    expect(printer.phaseKind).toBe('idle');
    expect(printer.received.map((r) => r.container)).toEqual(['zip']);
  });

  it('is refused with OFFLINE_NO while the printer is busy', async () => {
    const { line, printer } = simLine('dvF100B000');
    printer.setBusy(5_000);
    const err = await new V2Uploader(line, FAST).run(memorySource('a.3w', zipFor('dvF100B000'), 'zip'), () => undefined, new AbortController().signal).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(XyzRejectedError);
    expect((err as XyzRejectedError).code).toBe('OFFLINE_NO');
  });

  it('honours wait, skips stale tokens, and times out when the printer falls silent', async () => {
    const payload = new Uint8Array(100).fill(7);
    const script = ['OFFLINE_OK\n', 'M2_OK\nM1_OK\n', 'wait\n'];
    const line = new ScriptedLine((_bytes, i) => script[i] ?? null);
    // Frame 1 answered `wait` and then nothing: it fails after frameWaitMs, not frameMs.
    const t0 = Date.now();
    const err = await new V2Uploader(line, FAST).run(memorySource('a.3w', payload, null), () => undefined, new AbortController().signal).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(XyzNoAnswerError);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(FAST.frameWaitMs - 20);
    expect((err as Error).message).toMatch(/frame 1 of 1/);
  });

  it('stops between frames when cancelled, after the frame on the wire was answered', async () => {
    const { line } = simLine('dvF100B000');
    const controller = new AbortController();
    const run = new V2Uploader(line, FAST).run(memorySource('a.3w', zipFor('dvF100B000'), 'zip'), () => controller.abort(), controller.signal);
    await expect(run).rejects.toBeInstanceOf(XyzCancelledError);
    expect(line.writes).toHaveLength(3);
  });
});
