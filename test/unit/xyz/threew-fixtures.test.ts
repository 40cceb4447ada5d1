import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeThreeW, encodeThreeW, inspectThreeW } from '../../../src/main/printers/xyz/threew';

// Real XYZ-made files, kept in the repository (test/fixtures/xyz/README.md says where they come from).
const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '../../fixtures/xyz');

interface Golden {
  file: string;
  model: string;
  machine: string;
  headerLength: number;
  gcodeLength: number;
  sha256: string;
}

const GOLDEN: Golden[] = [
  {
    file: 'AstroKe.3w',
    model: 'dv1NX0A000',
    machine: 'dv1NX0A000',
    headerLength: 1079,
    gcodeLength: 363_919,
    sha256: 'eb7a1dfdfd759bc08f3c3e10167698e7756246b294b5fce32358b306c99b412e',
  },
  {
    file: '3DBenchy.3w',
    model: 'dv1JW0A000',
    machine: 'daVinciJR10W',
    headerLength: 1604,
    gcodeLength: 1_665_995,
    sha256: '2cfba4e01d4920e710d1cb73f3ff4e4098abacf66b379f231b9e5b5a52f94504',
  },
];

const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');
const load = (name: string): Buffer => readFileSync(resolve(FIXTURES, name));

describe('.3w golden files', () => {
  it('finds the fixtures through a path computed from the test location', () => {
    expect(FIXTURES.endsWith('/test/fixtures/xyz')).toBe(true);
    expect(load('AstroKe.3w').length).toBe(372_112);
  });

  for (const golden of GOLDEN) {
    describe(golden.file, () => {
      const file = load(golden.file);

      it('decodes to the known G-code (sha256, length, padding removed)', () => {
        const { gcode, info } = decodeThreeW(file);
        expect(gcode.length).toBe(golden.gcodeLength);
        expect(sha256(gcode)).toBe(golden.sha256);
        expect(info.padding).toBe('pkcs7');
        expect(info.container).toBe('v5');
        expect(info.machine).toBe(golden.machine);
        expect(info.modelNumbers).toContain(golden.model);
        expect(info.crcOk).toBe(true);
      });

      it('re-encodes to the identical encrypted body', () => {
        const { gcode } = decodeThreeW(file);
        const again = Buffer.from(encodeThreeW(gcode, { model: golden.model }));
        expect(again.subarray(0x2000).equals(file.subarray(0x2000))).toBe(true);
      });

      it('with the same header length reproduces the first 8 KiB (and so the whole file)', () => {
        const { gcode } = decodeThreeW(file);
        const again = Buffer.from(encodeThreeW(gcode, { model: golden.model, headerLength: golden.headerLength }));
        expect(again.subarray(0, 0x2000).equals(file.subarray(0, 0x2000))).toBe(true);
        expect(again.equals(file)).toBe(true);
      });

      it('inspect reports header keys, lengths and CRC without decoding the body', () => {
        const info = inspectThreeW(file);
        expect(info.headerLength).toBe(golden.headerLength);
        expect(info.bodyLength).toBe(file.length - 0x2000);
        expect(info.gcodeLength).toBe(golden.gcodeLength);
        expect(info.headerKeys['machine']).toBe(golden.machine);
        expect(info.headerKeys['filename']).toBe('1.3w');
        expect(info.crcStored).toBe(info.crcComputed);
      });
    });
  }

  it('AstroKe: the default header is the leading comment block (XYZprint V2.0.1 rule, 1079 bytes)', () => {
    const file = load('AstroKe.3w');
    const again = Buffer.from(encodeThreeW(decodeThreeW(file).gcode, { model: 'dv1NX0A000' }));
    expect(again.readUInt32BE(0x24)).toBe(1079);
    expect(again.equals(file)).toBe(true);
  });

  it('3DBenchy: the default header stops before "G21 ;" which XYZprint V1.3.2 also stored', () => {
    const file = load('3DBenchy.3w');
    const again = Buffer.from(encodeThreeW(decodeThreeW(file).gcode, { model: 'dv1JW0A000' }));
    expect(again.readUInt32BE(0x24)).toBe(1599);
    expect(file.toString('latin1', 0x70 + 1599, 0x70 + 1604)).toBe('G21 ;');
  });

  it('matches the known algorithm vectors for AstroKe', () => {
    const file = load('AstroKe.3w');
    expect(file.readUInt32BE(0x24)).toBe(1079);
    expect(file.readUInt32BE(0x30).toString(16)).toBe('a47c137e');
    expect(crc32(file.subarray(0x2000)).toString(16)).toBe('a47c137e');
    expect(file.length - 0x2000).toBe(363_920);
    // First cipher block of both bodies = AES-256-ECB("; filename = 1.3").
    expect(file.subarray(0x2000, 0x2010).toString('hex')).toBe('a10b2dfbed3256bf13f7b1ca1cc83711');
    // Upload trailers of the official client: CRC-32 of block 0 and of the last block (45, 3472 bytes).
    expect(crc32(file.subarray(0, 8192)).toString(16)).toBe('1cc4119a');
    const last = file.subarray(45 * 8192);
    expect(last.length).toBe(3472);
    expect(crc32(last).toString(16)).toBe('19415b5e');
  });

  it('turns the real G-code into the other containers and back unchanged', () => {
    const { gcode } = decodeThreeW(load('AstroKe.3w'));
    for (const container of ['v2', 'zip'] as const) {
      const encoded = encodeThreeW(gcode, { model: 'dv1NX0A000', container });
      const decoded = decodeThreeW(encoded);
      expect(decoded.info.container).toBe(container);
      expect(sha256(decoded.gcode)).toBe(GOLDEN[0]?.sha256);
      expect(inspectThreeW(encoded).headerKeys['machine']).toBe('dv1NX0A000');
    }
  });
});
