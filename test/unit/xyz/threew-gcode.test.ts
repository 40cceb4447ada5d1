import { createDecipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeThreeW, encodeThreeW, REQUIRED_HEADER_KEYS, ThreeWError } from '../../../src/main/printers/xyz/threew';
import type { ThreeWErrorCode } from '../../../src/main/printers/xyz/threew';

const text = (data: Uint8Array): string => Buffer.from(data).toString('utf8');
const processed = (gcode: string, model = 'dv1MX0A000'): string =>
  text(decodeThreeW(encodeThreeW(gcode, { model })).gcode);
const lines = (gcode: string): string[] => processed(gcode).split('\n');

function rawBodyPlaintext(file: Uint8Array): Buffer {
  const decipher = createDecipheriv('aes-256-ecb', Buffer.from('@xyzprinting.com@xyzprinting.com'), null);
  decipher.setAutoPadding(false);
  return Buffer.concat([decipher.update(Buffer.from(file).subarray(8192)), decipher.final()]);
}

function expectThreeWError(run: () => unknown, code: ThreeWErrorCode): void {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ThreeWError);
    expect((error as ThreeWError).code).toBe(code);
    return;
  }
  expect.fail(`expected ThreeWError ${code}`);
}

const CURA = [
  ';FLAVOR:Marlin',
  ';TIME:1234',
  ';Filament used: 1.5m',
  ';Layer height: 0.2',
  ';LAYER_COUNT:42',
  'M140 S0',
  'G0 F3000 X10 Y10',
  'G1 X20 E1',
  '',
].join('\n');

describe('header keys first', () => {
  it('puts the seven keys first, in order, derived from Cura metadata', () => {
    const out = lines(CURA);
    expect(out.slice(0, 7)).toEqual([
      '; filename = print.3w',
      '; print_time = 1234',
      '; machine = dv1MX0A000',
      '; facets = 0',
      '; total_layers = 42',
      '; version = 19110814',
      '; total_filament = 1500.00',
    ]);
    expect(out[7]).toBe(';FLAVOR:Marlin');
  });

  it('reads PrusaSlicer metadata', () => {
    const prusa =
      'G1 X1\n;LAYER_CHANGE\nG1 Z0.2\n;LAYER_CHANGE\nG1 Z0.4\n; filament used [mm] = 812.34\n; estimated printing time (normal mode) = 1h 2m 3s\n';
    const out = lines(prusa);
    expect(out).toContain('; print_time = 3723');
    expect(out).toContain('; total_layers = 2');
    expect(out).toContain('; total_filament = 812.34');
  });

  it('finds summary metadata at the end of a large file', () => {
    const large = 'G1 X1 Y1 E0.1\n'.repeat(20_000) + '; filament used [mm] = 5.50\n; total layers count = 7\n';
    const out = lines(large);
    expect(out).toContain('; total_filament = 5.50');
    expect(out).toContain('; total_layers = 7');
  });

  it("removes the slicer's own copies of the keys and forces machine to the model's file id", () => {
    const gcode = '; machine = somethingElse\n; print_time = 99\n; total_layers = 3\n; other = kept\nG1 X1\n';
    const out = processed(gcode, 'dv1JW0A000');
    expect(out.match(/; machine =/g)).toHaveLength(1);
    expect(out.match(/; print_time =/g)).toHaveLength(1);
    expect(out).toContain('; machine = daVinciJR10W\n');
    expect(out).toContain('; print_time = 99\n');
    expect(out).toContain('; other = kept\nG1 X1\n');
  });

  it('applies header value overrides', () => {
    const file = encodeThreeW('G1 X1\n', {
      model: 'dv1MX0A000',
      headerValues: { filename: 'part.3w', total_filament: 12.345, print_time: 77 },
    });
    const out = text(decodeThreeW(file).gcode);
    expect(out).toContain('; filename = part.3w\n');
    expect(out).toContain('; total_filament = 12.35\n');
    expect(out).toContain('; print_time = 77\n');
  });

  it('keeps CRLF line endings when the input uses them', () => {
    expect(processed('G1 X1\r\nG1 X2\r\n').startsWith('; filename = print.3w\r\n; print_time = 0\r\n')).toBe(true);
  });

  it('leaves G-code that already has an XYZ header byte-identical', () => {
    const once = processed(CURA);
    expect(processed(once)).toBe(once);
  });

  it('accepts a string or bytes with a UTF-8 BOM', () => {
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('G1 X1\n')]);
    expect(processed(text(withBom)).startsWith('; filename')).toBe(true);
    expect(text(decodeThreeW(encodeThreeW(withBom, { model: 'dv1MX0A000' })).gcode).endsWith('\nG1 X1\n')).toBe(true);
  });
});

describe('G0 → G1', () => {
  const body = (gcode: string): string[] => lines(gcode).slice(REQUIRED_HEADER_KEYS.length);

  it('rewrites G0 commands and leaves everything else alone', () => {
    const input = [
      'G0 X1',
      'G0X2',
      '  G0 Y3',
      'G00 Z1',
      'N10 G0 X4',
      'g0 x5',
      'G0',
      'G0;travel',
      'G01 X6',
      'G0.5 X1',
      'G1 X7 ; G0 in a comment',
      'M117 G0',
      'G10',
      '',
    ].join('\n');
    expect(body(input)).toEqual([
      'G1 X1',
      'G1X2',
      '  G1 Y3',
      'G01 Z1',
      'N10 G1 X4',
      'g1 x5',
      'G1',
      'G1;travel',
      'G01 X6',
      'G0.5 X1',
      'G1 X7 ; G0 in a comment',
      'M117 G0',
      'G10',
      '',
    ]);
  });

  it('handles G0 at the very start and end of the file', () => {
    expect(body('G0 X1\nG0')).toEqual(['G1 X1', 'G1']);
  });
});

describe("PKCS#7 padding (not miniMover's bug)", () => {
  for (const extra of [0, 1, 15, 16, 17, 31, 32]) {
    it(`body length is the next multiple of 16 strictly above the plaintext (filler ${extra})`, () => {
      const gcode = 'G1 X1\n' + 'A'.repeat(extra);
      const file = encodeThreeW(gcode, { model: 'dv1MX0A000' });
      const plain = rawBodyPlaintext(file);
      const decoded = decodeThreeW(file).gcode;
      const pad = plain.length - decoded.length;
      expect(pad).toBeGreaterThanOrEqual(1);
      expect(pad).toBeLessThanOrEqual(16);
      expect(plain.length % 16).toBe(0);
      expect([...plain.subarray(decoded.length)]).toEqual(Array(pad).fill(pad));
    });
  }

  it('adds a whole 16-byte block when the G-code length is a multiple of 16', () => {
    let gcode = 'G1 X1\n';
    const headerLength = Buffer.byteLength(processed(''));
    while ((headerLength + Buffer.byteLength(gcode)) % 16 !== 0) gcode += ';';
    const file = Buffer.from(encodeThreeW(gcode, { model: 'dv1MX0A000' }));
    const decoded = decodeThreeW(file).gcode;
    expect(decoded.length % 16).toBe(0);
    expect(file.length - 8192).toBe(decoded.length + 16);
    // The last cipher block is AES-256-ECB of sixteen 0x10 bytes.
    expect(file.subarray(file.length - 16).toString('hex')).toBe('602e01180ea8e26109ce602ca31a8858');
  });
});

describe('round trips', () => {
  const samples = ['', 'G1 X1', CURA, 'G1 X1\n'.repeat(5000), ';' + 'x'.repeat(20_000) + '\nG1\n', 'G1 ; ünïcødé ✓\n'];
  for (const container of ['v5', 'v2', 'zip'] as const) {
    it(`${container}: decode(encode(g)) is the processed G-code and is stable`, () => {
      for (const sample of samples) {
        const file = encodeThreeW(sample, { model: 'dv1NX0A000', container });
        const first = decodeThreeW(file);
        expect(first.info.container).toBe(container);
        expect(first.info.machine).toBe('dv1NX0A000');
        expect(text(first.gcode).endsWith(sample.replace(/^G0/gm, 'G1'))).toBe(true);
        const again = encodeThreeW(first.gcode, { model: 'dv1NX0A000', container });
        expect(Buffer.from(again).equals(Buffer.from(file))).toBe(true);
      }
    });
  }

  it('cuts an oversized default header at a line end; explicit oversized headers are rejected', () => {
    const manyComments = Array.from({ length: 400 }, (_, i) => `; comment line number ${i}`).join('\n') + '\nG1 X1\n';
    const v5 = Buffer.from(encodeThreeW(manyComments, { model: 'dv1MX0A000' }));
    const headerLength = v5.readUInt32BE(0x24);
    expect(headerLength).toBeLessThanOrEqual(8080);
    expect(v5[0x70 + headerLength - 1]).toBe(0x0a);
    const v2 = encodeThreeW(manyComments, { model: 'dv1MX0A000', container: 'v2' });
    expect(decodeThreeW(v2).info.headerLength).toBeLessThanOrEqual(3408);
    expectThreeWError(() => encodeThreeW(manyComments, { model: 'dv1MX0A000', headerLength: 8081 }), 'HEADER_TOO_LONG');
    expectThreeWError(
      () => encodeThreeW(manyComments, { model: 'dv1MX0A000', container: 'v2', headerLength: 3408 }),
      'HEADER_TOO_LONG',
    );
    expectThreeWError(() => encodeThreeW('G1\n', { model: 'dv1MX0A000', headerLength: 10_000 }), 'HEADER_TOO_LONG');
    expectThreeWError(() => encodeThreeW('G1\n', { model: 'dv1MX0A000', headerLength: 5000 }), 'BAD_OPTION');
    expectThreeWError(() => encodeThreeW('G1\n', { model: 'dv1MX0A000', headerLength: -1 }), 'BAD_OPTION');
  });

  it('rejects unknown models and containers', () => {
    expectThreeWError(() => encodeThreeW('G1\n', { model: 'dvXXXX' }), 'UNKNOWN_MODEL');
    expectThreeWError(() => encodeThreeW('G1\n', { model: 'dv1MX0A000', container: 'v9' as 'v5' }), 'BAD_OPTION');
  });

  it('accepts a file id in place of a model number', () => {
    expect(decodeThreeW(encodeThreeW('G1\n', { model: 'daVinciJR10W' })).info.machine).toBe('daVinciJR10W');
  });
});
