import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { XyzReplyParser, asciiBytes, concatBytes, type XyzReplyEvent } from '../../../src/main/printers/xyz/protocol';
import { captureExchanges, loadNanoCapture } from '../../support/xyz-capture';

const feedAll = (parser: XyzReplyParser, chunks: readonly Uint8Array[]): XyzReplyEvent[] =>
  chunks.flatMap((c) => parser.feed(c));
const parse = (text: string | Uint8Array): XyzReplyEvent[] =>
  new XyzReplyParser().feed(typeof text === 'string' ? asciiBytes(text) : text);

/** Splits `bytes` at the given cut points. */
function chunked(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const p of points) {
    out.push(bytes.subarray(prev, p));
    prev = p;
  }
  out.push(bytes.subarray(prev));
  return out;
}

const sig = concatBytes([
  asciiBytes('signature:"'),
  Uint8Array.from([0x0a, 0x22, 0x24, 0x0a, ...new Array<number>(28).fill(0x41)]),
  asciiBytes('"\n'),
]);
const VALID_STREAM = concatBytes([
  asciiBytes('b:0\nn:daVinci Nano    \nj:9511,0\n$\n'),
  asciiBytes('ok \n$\n\n'),
  asciiBytes('E4$\nE1\n'),
  asciiBytes('home:{"stat":"start"}\n$\nload:{"stat":"complete"}\n'),
  sig,
  asciiBytes('uid:"\n\n\n\n"\n$\n-469\n$\ntaginfo:{3FNAXPUS5TH7CM0041}\n$\n'),
  asciiBytes('d:1,2,3\r\n'),
]);

describe('XyzReplyParser', () => {
  it('classifies each line kind', () => {
    expect(parse('b:0\nn:daVinci Nano    \n$\n')).toEqual([
      { kind: 'field', key: 'b', value: '0' },
      { kind: 'field', key: 'n', value: 'daVinci Nano' },
      { kind: 'end' },
    ]);
    expect(parse('ok \nok\n')).toEqual([{ kind: 'ok' }, { kind: 'ok' }]);
    expect(parse('E4$\nE\n')).toEqual([
      { kind: 'error', code: 4, text: 'E4$' },
      { kind: 'error', code: null, text: 'E' },
    ]);
    expect(parse('load:{"stat":"heat","extemp":"200"}\n')).toEqual([
      { kind: 'action', action: 'load', stat: 'heat', body: '{"stat":"heat","extemp":"200"}' },
    ]);
    expect(parse('-469\n')).toEqual([{ kind: 'value', text: '-469' }]);
    expect(parse('taginfo:{X}\n')).toEqual([{ kind: 'named', name: 'taginfo', value: '{X}' }]);
  });

  it('ignores the stray blank lines of `$\\n\\n`', () => {
    expect(parse('ok\n$\n\n\n')).toEqual([{ kind: 'ok' }, { kind: 'end' }]);
  });

  it('reads binary values containing LF, quote and $ without splitting them', () => {
    const events = parse(sig);
    expect(events).toHaveLength(1);
    const e = events[0];
    expect(e?.kind === 'binary' && e.bytes.length).toBe(32);
    expect(e?.kind === 'binary' && [...e.bytes.subarray(0, 4)]).toEqual([0x0a, 0x22, 0x24, 0x0a]);
  });

  it('waits for more bytes when a line is incomplete', () => {
    const p = new XyzReplyParser();
    expect(p.feed(asciiBytes('b:'))).toEqual([]);
    expect(p.feed(asciiBytes('0'))).toEqual([]);
    expect(p.feed(asciiBytes('\n$'))).toEqual([{ kind: 'field', key: 'b', value: '0' }]);
    expect(p.feed(asciiBytes('\n'))).toEqual([{ kind: 'end' }]);
  });

  it('a too-long line yields line-too-long, then resynchronises at the next LF', () => {
    const p = new XyzReplyParser({ maxLineBytes: 64 });
    const events = p.feed(concatBytes([asciiBytes('x'.repeat(500)), asciiBytes('\nb:1\n$\n')]));
    expect(events[0]).toMatchObject({ kind: 'protocol-error', code: 'line-too-long' });
    expect(events.slice(1)).toEqual([{ kind: 'field', key: 'b', value: '1' }, { kind: 'end' }]);
    expect(p.bufferedBytes).toBe(0);
  });

  it('a too-long reply yields reply-too-long and skips to the next terminator', () => {
    const p = new XyzReplyParser({ maxReplyBytes: 40 });
    const events = p.feed(asciiBytes(`${'c:1234567890\n'.repeat(10)}$\nb:2\n$\n`));
    expect(events).toEqual([
      { kind: 'field', key: 'c', value: '1234567890' },
      { kind: 'field', key: 'c', value: '1234567890' },
      { kind: 'field', key: 'c', value: '1234567890' },
      { kind: 'protocol-error', code: 'reply-too-long', detail: 'reply exceeded 40 bytes' },
      { kind: 'field', key: 'b', value: '2' },
      { kind: 'end' },
    ]);
  });

  it('property: any chunking of a valid stream yields the same events', () => {
    const whole = parse(VALID_STREAM);
    expect(whole.filter((e) => e.kind === 'protocol-error')).toEqual([]);
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 40 }), (cuts) => {
        const p = new XyzReplyParser();
        expect(feedAll(p, chunked(VALID_STREAM, cuts))).toEqual(whole);
        expect(p.bufferedBytes).toBe(0);
      }),
    );
  });

  it('property: every capture reply parses the same under any re-chunking', () => {
    const replies = captureExchanges(loadNanoCapture())
      .map((e) => concatBytes(e.printer))
      .filter((b) => b.length > 0);
    const stream = concatBytes(replies.slice(0, 40));
    const whole = parse(stream);
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 30 }), (cuts) => {
        expect(feedAll(new XyzReplyParser(), chunked(stream, cuts))).toEqual(whole);
      }),
      { numRuns: 50 },
    );
  });

  it('property: random and mutated bytes never throw and the buffer stays bounded', () => {
    const limits = { maxLineBytes: 256, maxReplyBytes: 1024 };
    const mutated = fc
      .tuple(
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 20 }),
        fc.array(fc.nat(), { maxLength: 20 }),
      )
      .map(([edits, cuts]) => {
        const copy = VALID_STREAM.slice();
        for (const [at, value] of edits) copy[at % copy.length] = value;
        return chunked(copy, cuts);
      });
    const random = fc.array(fc.uint8Array({ maxLength: 600 }), { maxLength: 10 });
    fc.assert(
      fc.property(fc.oneof(mutated, random), (chunks) => {
        const p = new XyzReplyParser(limits);
        for (const c of chunks) {
          const events = p.feed(c);
          expect(p.bufferedBytes).toBeLessThanOrEqual(limits.maxLineBytes);
          for (const e of events) expect(typeof e.kind).toBe('string');
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a single huge chunk without newline does not grow the buffer past the bound', () => {
    const p = new XyzReplyParser({ maxLineBytes: 1024 });
    const events = p.feed(new Uint8Array(1_000_000).fill(0x41));
    expect(p.bufferedBytes).toBeLessThanOrEqual(1024);
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.kind === 'protocol-error')).toBe(true);
    expect(p.feed(asciiBytes('\nok\n'))).toEqual([{ kind: 'ok' }]);
  });
});
