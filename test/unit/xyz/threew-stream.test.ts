import fc from 'fast-check';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { streamedSource } from '../../../src/main/printers/xyz/driver/streamed-source';
import { prepareUpload } from '../../../src/main/printers/xyz/driver/upload-source';
import { findModel } from '../../../src/main/printers/xyz/models';
import { decodeThreeW, encodeThreeW, type ThreeWError } from '../../../src/main/printers/xyz/threew';
import { openThreeW } from '../../../src/main/printers/xyz/threew/decode-stream';
import { openInput } from '../../../src/main/printers/xyz/threew/file-source';
import { streamThreeW, type ChunkSource } from '../../../src/main/printers/xyz/threew/encode-stream';
import { G0Rewriter, rewriteG0AsG1 } from '../../../src/main/printers/xyz/threew/g0-to-g1';

/** Lines chosen to hit every rule of the conversion: header keys, BOM-free comments, G0 forms, blanks. */
const LINES = [
  '; machine = someone-else',
  '; filename = part.gcode',
  '; print_time = 77',
  ';FLAVOR:Marlin',
  ';TIME:3600',
  ';LAYER_COUNT:12',
  ';LAYER_CHANGE',
  '',
  '   ',
  'G0 X1 Y2',
  'g0 x1',
  'G00 F3000',
  'G0.5 X1',
  'G01 X2',
  'N10 G0 X1',
  'N7 g00',
  '  G0',
  'X1 G0',
  'G1 X20.5 E0.1',
  'M104 S200',
];

const gcodeArb = fc
  .record({
    lines: fc.array(fc.constantFrom(...LINES), { maxLength: 60 }),
    crlf: fc.boolean(),
    bom: fc.boolean(),
    finalNewline: fc.boolean(),
  })
  .map(({ lines, crlf, bom, finalNewline }) => {
    const text = lines.join(crlf ? '\r\n' : '\n') + (finalNewline ? '\n' : '');
    return Buffer.concat([bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), Buffer.from(text)]);
  });

/**
 * Cuts `bytes` at the given points (taken modulo its length) and replays them on every call. Like a
 * file read, each piece lives in one scratch buffer that is scribbled over once the next is asked
 * for, so a consumer that keeps a piece instead of copying it gets garbage.
 */
function piecesOf(bytes: Buffer, cuts: number[]): ChunkSource {
  const points = [...new Set(cuts.map((c) => (bytes.length === 0 ? 0 : c % bytes.length)))].sort((a, b) => a - b);
  return async function* () {
    const scratch = Buffer.alloc(bytes.length);
    let at = 0;
    for (const point of [...points, bytes.length]) {
      if (point > at) {
        const length = bytes.copy(scratch, 0, at, point);
        yield scratch.subarray(0, length);
        scratch.fill(0x47); // 'G': the worst thing to find in a held piece
      }
      at = Math.max(at, point);
    }
  };
}

async function wholeFileOf(source: ChunkSource, model: string, container: 'v5' | 'v2' | 'zip'): Promise<Buffer> {
  const stream = await streamThreeW(source, { model, container });
  const parts: Uint8Array[] = [stream.preamble];
  for await (const piece of stream.body()) parts.push(piece);
  const file = Buffer.concat(parts);
  expect(file.length).toBe(stream.size);
  return file;
}

describe('.3w streaming encode', () => {
  it('property: any cutting of the G-code gives the bytes encodeThreeW gives', async () => {
    await fc.assert(
      fc.asyncProperty(gcodeArb, fc.array(fc.nat(), { maxLength: 12 }), fc.constantFrom('v5' as const, 'v2' as const, 'zip' as const), async (gcode, cuts, container) => {
        const expected = Buffer.from(encodeThreeW(gcode, { model: 'dv1MX0A000', container }));
        expect((await wholeFileOf(piecesOf(gcode, cuts), 'dv1MX0A000', container)).equals(expected)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('lines longer than what is held (a 100 KiB comment in the header, a 200 KiB code line) convert the same', async () => {
    const gcode = Buffer.from(
      `;${'c'.repeat(100_000)}\n; total_layers = 3\nG0 X1 ${'Y1 G0 '.repeat(40_000)}G0\nG0 X2\n`,
    );
    const expected = Buffer.from(encodeThreeW(gcode, { model: 'dv1MX0A000' }));
    const cuts = Array.from({ length: 40 }, (_, i) => i * 9_973);
    expect((await wholeFileOf(piecesOf(gcode, cuts), 'dv1MX0A000', 'v5')).equals(expected)).toBe(true);
  });

  it('a ZIP body of several megabytes streams to the bytes of the in-memory encoder', async () => {
    const noisy = Array.from({ length: 120_000 }, (_, i) => `G${i % 3 === 0 ? 0 : 1} X${(i * 7919) % 1000}.${i % 97} Y${(i * 104729) % 997} E${i}`).join('\n');
    const gcode = Buffer.from(`;TIME:60\n${noisy}\n`);
    const expected = Buffer.from(encodeThreeW(gcode, { model: 'dvF100B000', container: 'zip' }));
    const cuts = Array.from({ length: 50 }, (_, i) => i * 65_537);
    expect((await wholeFileOf(piecesOf(gcode, cuts), 'dvF100B000', 'zip')).equals(expected)).toBe(true);
  }, 60_000);

  it('property: the piecewise G0 rewrite equals the rewrite of the whole text', () => {
    const textArb = fc.array(fc.constantFrom('G0', 'g0', 'G00', '0', '1', '.', ' ', '\t', '\n', 'N1', 'X', 'G', 'N'), { maxLength: 200 });
    fc.assert(
      fc.property(textArb, fc.array(fc.nat(), { maxLength: 10 }), (words, cuts) => {
        const text = Buffer.from(words.join(''));
        const whole = Buffer.from(text);
        rewriteG0AsG1(whole);
        const out: Buffer[] = [];
        const rewriter = new G0Rewriter((bytes) => out.push(Buffer.from(bytes)));
        const points = [...new Set(cuts.map((c) => (text.length === 0 ? 0 : c % text.length)))].sort((a, b) => a - b);
        let at = 0;
        for (const point of [...points, text.length]) {
          rewriter.push(text.subarray(at, Math.max(at, point)));
          at = Math.max(at, point);
        }
        rewriter.finish();
        expect(Buffer.concat(out).toString('latin1')).toBe(whole.toString('latin1'));
      }),
    );
  });

  it('sends a large G-code without reading it whole: the source runs only a bounded way ahead of the upload', async () => {
    const CHUNK = 256 * 1024;
    const TOTAL_CHUNKS = 128; // 32 MiB of G-code, never in memory at once
    let pulled = 0;
    let passes = 0;
    let largestPiece = 0;
    // Every line has the same length, so a chunk is whole lines and each one is generated afresh.
    const line = Buffer.from('G0 X10.000 Y20.000 F9000\nG1 X11.000 Y21.000 E0.0500\n');
    const chunkBytes = Buffer.alloc(Math.floor(CHUNK / line.length) * line.length);
    for (let at = 0; at < chunkBytes.length; at += line.length) line.copy(chunkBytes, at);
    const source: ChunkSource = async function* () {
      passes++;
      pulled = 0;
      yield Buffer.from(';FLAVOR:Marlin\n;TIME:100\n;LAYER_COUNT:5\n');
      for (let i = 0; i < TOTAL_CHUNKS; i++) {
        pulled += chunkBytes.length;
        largestPiece = Math.max(largestPiece, chunkBytes.length);
        yield Buffer.from(chunkBytes);
      }
    };
    const stream = await streamThreeW(source, { model: 'dv1MX0A000', container: 'v5' });
    expect(passes).toBe(2);
    const upload = streamedSource('big.3w', stream);
    let sent = 0;
    let lead = 0;
    let crc = 0;
    const BLOCK = 8192;
    while (sent < upload.size) {
      const block = await upload.read(sent, BLOCK);
      expect(block.length).toBe(Math.min(BLOCK, upload.size - sent));
      if (sent >= 8192) crc = crc32(block, crc);
      sent += block.length;
      // Until the body is asked for, `pulled` still counts the checksum pass.
      if (passes === 3) lead = Math.max(lead, pulled - sent);
    }
    await upload.close();
    expect(passes).toBe(3);
    expect(sent).toBe(stream.size);
    expect(sent).toBeGreaterThan(TOTAL_CHUNKS * chunkBytes.length);
    // What the converter held between source and wire: a piece or two, not the file.
    expect(lead).toBeLessThanOrEqual(4 * CHUNK);
    expect(largestPiece).toBeLessThanOrEqual(CHUNK);
    expect(crc).toBe(stream.preamble.readUInt32BE(0x30));
  }, 60_000);

  it('prepareUpload converts a G-code file on disk to the same bytes as encodeThreeW', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'printdeck-3w-stream-'));
    try {
      const gcode = Buffer.from(';FLAVOR:Marlin\n;TIME:42\n' + 'G0 X1 Y1\nG1 X2 Y2 E0.1\n'.repeat(200_000));
      await writeFile(join(dir, 'part.gcode'), gcode);
      const model = findModel('dv1MX0A000')!;
      const upload = await prepareUpload(join(dir, 'part.gcode'), 'part.gcode', model);
      const parts: Uint8Array[] = [];
      for (let at = 0; at < upload.size; at += 65_536) parts.push(await upload.read(at, 65_536));
      await upload.close();
      const expected = encodeThreeW(gcode, { model: model.modelNumber, headerValues: { filename: 'part.3w' } });
      expect(Buffer.concat(parts).equals(Buffer.from(expected))).toBe(true);
      expect(upload.estimatedSeconds).toBe(42);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a retried upload reads from the start again and gets the same bytes', async () => {
    const gcode = Buffer.from(';TIME:5\n' + 'G0 X1 Y1\nG1 X2 E1\n'.repeat(5000));
    const stream = await streamThreeW(piecesOf(gcode, [1000, 50_000]), { model: 'dv1MX0A000' });
    const upload = streamedSource('a.3w', stream);
    const first = [await upload.read(0, 10_236), await upload.read(10_236, 10_236)];
    const again = [await upload.read(0, 10_236), await upload.read(10_236, 10_236)];
    expect(Buffer.concat(again).equals(Buffer.concat(first))).toBe(true);
    const expected = Buffer.from(encodeThreeW(gcode, { model: 'dv1MX0A000' }));
    expect(Buffer.concat(first).equals(expected.subarray(0, 20_472))).toBe(true);
  });

  it('property: decoding a file on disk in pieces gives what decodeThreeW gives, or the same error', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'printdeck-3w-decode-'));
    try {
      await fc.assert(
        fc.asyncProperty(
          gcodeArb,
          fc.constantFrom('v5' as const, 'v2' as const, 'zip' as const),
          fc.oneof(fc.constant(null), fc.record({ at: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) }), fc.record({ cut: fc.nat() })),
          async (gcode, container, damage) => {
            const file = Buffer.from(encodeThreeW(gcode, { model: 'dv1MX0A000', container }));
            let bytes = file;
            if (damage && 'xor' in damage) {
              bytes = Buffer.from(file);
              const at = damage.at % bytes.length;
              bytes[at] = bytes[at]! ^ damage.xor;
            } else if (damage) {
              bytes = file.subarray(0, damage.cut % (file.length + 1));
            }
            const path = join(dir, 'x.3w');
            await writeFile(path, bytes);
            const expected = (() => {
              try {
                return { gcode: Buffer.from(decodeThreeW(bytes, { verifyCrc: false }).gcode) };
              } catch (error) {
                return { code: (error as ThreeWError).code };
              }
            })();
            let actual: { gcode: Buffer } | { code: string };
            try {
              const opened = await openThreeW(await openInput(path, 1 << 30, '.3w file'), { verifyCrc: false });
              const parts: Buffer[] = [];
              for await (const piece of opened.gcode()) parts.push(Buffer.from(piece));
              actual = { gcode: Buffer.concat(parts) };
            } catch (error) {
              actual = { code: (error as ThreeWError).code };
            }
            expect(actual).toEqual(expected);
          },
        ),
        { numRuns: 120 },
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
