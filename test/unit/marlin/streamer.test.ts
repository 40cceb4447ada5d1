import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Streamer, type JobSource } from '../../../src/main/printers/marlin/engine/streamer';
import { checksum, frameLine } from '../../../src/main/printers/marlin/protocol/framing';
import { parseReply } from '../../../src/main/printers/marlin/protocol/replies';
import { mulberry32 } from '../../../sim/marlin/wire';

const lines = (text: string): string[] => text.split('\n').filter((l) => l !== '');

function job(commands: string[]): JobSource {
  let i = 0;
  return { next: () => (i < commands.length ? { command: commands[i++]!, sourceBytes: 10 } : null) };
}

/** A streamer past its `N0 M110 N0` (acknowledged), ready for line 1. */
function ready(options = {}): Streamer {
  const s = new Streamer({ cleanLinesAfterResend: 0, ...options });
  s.reset(0);
  expect(s.writes(0)).toBe('N0 M110 N0*125\n');
  s.receive(parseReply('ok'), 0);
  return s;
}

const reply = (s: Streamer, text: string, now = 0) => s.receive(parseReply(text), now);

describe('Streamer: one line in flight (no ADVANCED_OK seen)', () => {
  it('sends the next line only after the ok of the previous one', () => {
    const s = ready();
    s.setJob(job(['G28', 'G1 X10', 'G1 X20']));
    expect(s.writes(0)).toBe(`${frameLine(1, 'G28')}\n`);
    expect(s.writes(0)).toBe('');
    reply(s, 'echo:busy: processing');
    reply(s, ' T:20.00 /0.00 B:20.00 /0.00 @:0 B@:0');
    expect(s.writes(0)).toBe('');
    expect(reply(s, 'ok').map((a) => a.n)).toEqual([1]);
    expect(s.writes(0)).toBe(`${frameLine(2, 'G1 X10')}\n`);
  });

  it('after Resend: N sends line N again, and the ok that follows the Resend acknowledges nothing', () => {
    const s = ready();
    s.setJob(job(['G1 X1', 'G1 X2']));
    s.writes(0);
    reply(s, 'Error:checksum mismatch, Last Line: 0');
    reply(s, 'Resend: 1');
    expect(reply(s, 'ok')).toEqual([]);
    expect(s.writes(0)).toBe(`${frameLine(1, 'G1 X1')}\n`);
    expect(s.counters.linesResent).toBe(1);
    expect(reply(s, 'ok').map((a) => a.n)).toEqual([1]);
    expect(s.writes(0)).toBe(`${frameLine(2, 'G1 X2')}\n`);
  });

  it('goes on without the ok when an older firmware sends none after Resend', () => {
    const s = ready({ resendOkWaitMs: 500 });
    s.setJob(job(['G1 X1']));
    s.writes(0);
    reply(s, 'Resend: 1', 0);
    expect(s.writes(100)).toBe('');
    expect(s.writes(600)).toBe(`${frameLine(1, 'G1 X1')}\n`);
  });

  it('gives up, in words, when the same line is asked for again and again', () => {
    const s = ready({ maxConsecutiveResends: 3, resendOkWaitMs: 0 });
    s.setJob(job(['G1 X1']));
    for (let i = 0; i < 4; i++) {
      s.writes(i);
      reply(s, 'Resend: 1', i);
    }
    expect(s.failed).toMatch(/asked for line 1 again 4 times/);
    expect(s.writes(10)).toBe('');
  });

  it('after a long silence sends one probe line, so a lost line is asked for by number', () => {
    const s = ready({ silenceMs: 1_000 });
    s.setJob(job(['G1 X1', 'G1 X2']));
    s.writes(0);
    s.tick(500);
    expect(s.writes(500)).toBe('');
    s.tick(1_200);
    expect(s.writes(1_200)).toBe(`${frameLine(2, 'M105')}\n`);
    reply(s, 'Resend: 1', 1_300);
    reply(s, 'ok', 1_300);
    expect(lines(s.writes(2_000))).toEqual([frameLine(1, 'G1 X1')]);
  });

  it('numbers M110 N<m> as line m and goes on from m + 1', () => {
    const s = ready();
    s.enqueue('M110 N41');
    expect(s.writes(0)).toBe(`${frameLine(41, 'M110 N41')}\n`);
    reply(s, 'ok');
    s.enqueue('M105');
    expect(s.writes(0)).toBe(`${frameLine(42, 'M105')}\n`);
  });

  it('keeps urgent commands ahead of queued commands and print lines', () => {
    const s = ready();
    s.setJob(job(['G1 X1']));
    s.enqueue('M117 hi');
    s.enqueue('M105', undefined, true);
    const order: string[] = [];
    for (let i = 0; i < 3; i++) {
      order.push(s.writes(0).trim());
      reply(s, 'ok');
    }
    expect(order.map((l) => /^N\d+ (.*)\*/.exec(l)![1])).toEqual(['M105', 'M117 hi', 'G1 X1']);
  });
});

describe('Streamer: ADVANCED_OK', () => {
  it('fills the command queue (largest B + 1) once an ok carries N P B, within the receive buffer', () => {
    const s = ready();
    s.setJob(job(Array.from({ length: 20 }, (_, i) => `G1 X${i}`)));
    s.writes(0);
    reply(s, 'ok N1 P15 B3');
    expect(s.advanced).toBe(true);
    expect(s.queueSize).toBe(4);
    expect(lines(s.writes(0))).toHaveLength(4);
    expect(s.inFlight).toHaveLength(4);
    // An ok naming line 4 acknowledges 2..4 (the firmware answers in order).
    expect(reply(s, 'ok N4 P12 B3').map((a) => a.n)).toEqual([2, 3, 4]);
  });

  it('after Resend: N sends every line from N on again, in order (Marlin dropped them all)', () => {
    const s = ready({ cleanLinesAfterResend: 0 });
    s.setJob(job(Array.from({ length: 10 }, (_, i) => `G1 X${i}`)));
    s.writes(0);
    reply(s, 'ok N1 P15 B3');
    expect(lines(s.writes(0)).map((l) => Number(/^N(\d+)/.exec(l)![1]))).toEqual([2, 3, 4, 5]);
    reply(s, 'ok N2 P15 B3');
    reply(s, 'Error:checksum mismatch, Last Line: 2');
    reply(s, 'Resend: 3');
    reply(s, 'ok');
    expect(s.inFlight.map((x) => x.n)).toEqual([]);
    expect(lines(s.writes(0)).map((l) => Number(/^N(\d+)/.exec(l)![1]))).toEqual([3, 4, 5, 6]);
  });

  it('sends one line at a time after connecting, until that many lines went through clean', () => {
    const s = new Streamer({ cleanLinesAfterResend: 3 });
    s.reset(0);
    s.writes(0);
    reply(s, 'ok N0 P15 B3');
    expect(s.advanced).toBe(true);
    s.setJob(job(Array.from({ length: 20 }, (_, i) => `G1 X${i}`)));
    for (let n = 1; n <= 2; n++) {
      expect(lines(s.writes(0))).toHaveLength(1);
      reply(s, `ok N${n} P15 B3`);
    }
    expect(lines(s.writes(0))).toHaveLength(4);
  });

  it('after a resend request sends one line at a time until the link has been clean for a while', () => {
    const s = ready({ cleanLinesAfterResend: 3 });
    s.setJob(job(Array.from({ length: 20 }, (_, i) => `G1 X${i}`)));
    s.writes(0);
    reply(s, 'Resend: 1');
    reply(s, 'ok');
    for (let n = 1; n <= 3; n++) {
      expect(lines(s.writes(0))).toEqual([frameLine(n, `G1 X${n - 1}`)]);
      reply(s, `ok N${n} P15 B3`);
    }
    expect(lines(s.writes(0))).toHaveLength(4);
  });

  it('does not take the ok of a line cut in two by the firmware for one of its own', () => {
    const s = ready({ cleanLinesAfterResend: 0 });
    s.setJob(job(Array.from({ length: 8 }, (_, i) => `G1 X${i}`)));
    s.writes(0);
    reply(s, 'ok N1 P15 B3');
    s.writes(0);
    reply(s, 'Resend: 3');
    reply(s, 'ok');
    // The tail of line 4 arrived after the flush and ran unnumbered: its ok names no line.
    expect(reply(s, 'ok P15 B3')).toEqual([]);
    expect(s.counters.strayOks).toBe(1);
    expect(s.inFlight.map((x) => x.n)).toEqual([2]);
  });

  it('never has more lines in flight than the queue holds nor bytes than the receive buffer holds (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^G1( [XYZE]-?[0-9]{1,4}\.[0-9]{1,3}){1,5}$/), { minLength: 5, maxLength: 60 }),
        fc.array(fc.nat(3), { minLength: 5, maxLength: 200 }),
        fc.integer({ min: 64, max: 256 }),
        (commands, acks, rx) => {
          const s = ready({ rxBufferBytes: rx });
          s.setJob(job(commands));
          reply(s, 'ok P15 B3');
          for (const k of acks) {
            s.writes(0);
            expect(s.inFlight.length).toBeLessThanOrEqual(4);
            if (s.inFlight.length > 1) expect(s.bytesInFlight).toBeLessThan(rx);
            for (let i = 0; i < k && s.inFlight.length > 0; i++) reply(s, `ok N${s.inFlight[0]!.n} P10 B1`);
          }
        },
      ),
    );
  });
});

/**
 * A firmware reduced to what matters for ordering: it takes whole lines in the order they arrive,
 * checks number and checksum like Marlin (M110, then number, then checksum), answers each with an
 * ok or with Error/Resend/ok after dropping everything else that had arrived, and records what it
 * runs. The wire corrupts one byte of some lines.
 */
function runAgainstFirmware(commands: string[], options: { advanced: boolean; corrupt: (i: number) => boolean; okAfterResend: boolean }): string[] {
  const s = new Streamer({ resendOkWaitMs: 5 });
  s.reset(0);
  s.setJob(job(commands));
  let lastN = 0;
  const executed: string[] = [];
  let sentCount = 0;
  let now = 0;
  for (let round = 0; round < 100_000 && !s.jobFinished; round++) {
    now += 1;
    const arriving = lines(s.writes(now)).map((l) => {
      const i = sentCount++;
      if (!options.corrupt(i)) return l;
      const at = 1 + (i % Math.min(6, l.length - 2));
      return l.slice(0, at) + (l[at] === '7' ? '8' : '7') + l.slice(at + 1);
    });
    const out: string[] = [];
    for (const line of arriving) {
      const m110 = /M110 N(\d+)/.exec(line);
      const n = Number(m110 ? m110[1] : /^N(\d+)/.exec(line)?.[1]);
      const star = line.lastIndexOf('*');
      const bad = (!m110 && n !== lastN + 1) || star < 0 || Number(line.slice(star + 1)) !== checksum(line.slice(0, star));
      if (bad) {
        out.push(`Error:checksum mismatch, Last Line: ${lastN}`, `Resend: ${lastN + 1}`);
        if (options.okAfterResend) out.push('ok');
        break;
      }
      lastN = n;
      executed.push(line.slice(0, star).replace(/^N\d+ /, ''));
      out.push(options.advanced ? `ok N${n} P15 B3` : 'ok');
    }
    for (const r of out) reply(s, r, now);
    s.tick(now);
  }
  return executed.filter((c) => c !== 'M110 N0' && c !== 'M105');
}

describe('Streamer against a checking firmware on a noisy wire', () => {
  it('the firmware runs every line exactly once, in order (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^G1 X[0-9]{1,3} Y[0-9]{1,3}$/), { minLength: 1, maxLength: 80 }),
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 1, max: 20 }),
        fc.integer(),
        (commands, advanced, okAfterResend, percent, seed) => {
          const random = mulberry32(seed);
          const ran = runAgainstFirmware(commands, { advanced, okAfterResend, corrupt: () => random() < percent / 100 });
          expect(ran).toEqual(commands);
        },
      ),
      { numRuns: 60 },
    );
  });
});
