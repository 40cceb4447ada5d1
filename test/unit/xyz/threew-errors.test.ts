import { createCipheriv, createDecipheriv } from 'node:crypto';
import { crc32 } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeThreeW, encodeThreeW, inspectThreeW, ThreeWError } from '../../../src/main/printers/xyz/threew';
import type { ThreeWErrorCode } from '../../../src/main/printers/xyz/threew';

const KEY16 = Buffer.from('@xyzprinting.com');
const KEY32 = Buffer.from('@xyzprinting.com@xyzprinting.com');
const ZERO_IV = Buffer.alloc(16);

const GCODE = '; filename = t.3w\nG21\n' + 'G1 X10 Y10 E1\n'.repeat(2000);
const v5 = (): Buffer => Buffer.from(encodeThreeW(GCODE, { model: 'dv1NX0A000', container: 'v5' }));
const v2 = (): Buffer => Buffer.from(encodeThreeW(GCODE, { model: 'dv1NX0A000', container: 'v2' }));
const zip = (): Buffer => Buffer.from(encodeThreeW(GCODE, { model: 'dvF100B000', container: 'zip' }));

function expectCode(run: () => unknown, code: ThreeWErrorCode): ThreeWError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ThreeWError);
    expect((error as ThreeWError).code).toBe(code);
    expect((error as ThreeWError).message.length).toBeGreaterThan(10);
    return error as ThreeWError;
  }
  return expect.fail(`expected ThreeWError ${code}`);
}

/** Replaces the body of a v5 file and fixes its CRC, so only the body content is under test. */
function withV5Body(file: Buffer, body: Buffer): Buffer {
  const out = Buffer.concat([file.subarray(0, 8192), body]);
  out.writeUInt32BE(crc32(body), 0x30);
  return out;
}

function ecbRaw(plain: Buffer): Buffer {
  const cipher = createCipheriv('aes-256-ecb', KEY32, null);
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(plain), cipher.final()]);
}

/** Decrypts a TagEa128 body into its ZIP archive (8208-byte chunks, IV reset per chunk). */
function zipArchiveOf(file: Buffer): Buffer {
  const body = file.subarray(8192);
  const parts: Buffer[] = [];
  for (let at = 0; at < body.length; at += 8208) {
    const decipher = createDecipheriv('aes-128-cbc', KEY16, ZERO_IV);
    parts.push(Buffer.concat([decipher.update(body.subarray(at, at + 8208)), decipher.final()]));
  }
  return Buffer.concat(parts);
}

function withZipArchive(file: Buffer, archive: Buffer): Buffer {
  const parts: Buffer[] = [];
  for (let at = 0; at < archive.length; at += 8192) {
    const cipher = createCipheriv('aes-128-cbc', KEY16, ZERO_IV);
    parts.push(Buffer.concat([cipher.update(archive.subarray(at, at + 8192)), cipher.final()]));
  }
  const body = Buffer.concat(parts);
  const out = Buffer.concat([file.subarray(0, 8192), body]);
  out.writeUInt32BE(crc32(body), 4716);
  return out;
}

describe('malformed .3w input', () => {
  it('truncated files', () => {
    expectCode(() => decodeThreeW(new Uint8Array(0)), 'TRUNCATED');
    expectCode(() => decodeThreeW(v5().subarray(0, 8)), 'TRUNCATED');
    expectCode(() => decodeThreeW(v5().subarray(0, 5000)), 'TRUNCATED');
    expectCode(() => inspectThreeW(v5().subarray(0, 8191)), 'TRUNCATED');
    // Cut inside the body: the CRC no longer matches; without the CRC check the length is wrong.
    const cut = v5().subarray(0, 8192 + 1000 + 7);
    expectCode(() => decodeThreeW(cut), 'CRC_MISMATCH');
    expectCode(() => decodeThreeW(cut, { verifyCrc: false }), 'BAD_BODY_LENGTH');
    expectCode(() => decodeThreeW(v5().subarray(0, 8192)), 'CRC_MISMATCH');
    expectCode(() => decodeThreeW(v5().subarray(0, 8192), { verifyCrc: false }), 'BAD_BODY_LENGTH');
  });

  it('wrong magic', () => {
    const file = v5();
    file.write('XXXX', 0, 'latin1');
    expectCode(() => decodeThreeW(file), 'BAD_MAGIC');
    expectCode(() => inspectThreeW(Buffer.from('%PDF-1.7 not a printer file at all')), 'BAD_MAGIC');
    expectCode(() => decodeThreeW(Buffer.from('hello')), 'BAD_MAGIC');
  });

  it('unsupported version, unknown tag, bad offsets and huge declared lengths', () => {
    const version = v5();
    version[13] = 3;
    expectCode(() => decodeThreeW(version), 'UNSUPPORTED_VERSION');

    const tag = v5();
    tag.write('TagXX999', 0x1c, 'latin1');
    expectCode(() => decodeThreeW(tag), 'UNKNOWN_TAG');

    const tagOffset = v5();
    tagOffset.writeUInt32BE(0xffffffff, 0x10);
    expectCode(() => inspectThreeW(tagOffset), 'BAD_LAYOUT');

    const headerLength = v5();
    headerLength.writeUInt32BE(0xfffffff0, 0x24);
    expectCode(() => decodeThreeW(headerLength), 'BAD_LAYOUT');

    const headerOffset = v2();
    headerOffset.writeUInt32BE(0x7fffffff, 4712);
    expectCode(() => decodeThreeW(headerOffset), 'BAD_LAYOUT');
  });

  it('wrong CRC', () => {
    for (const [file, crcAt] of [
      [v5(), 0x30],
      [v2(), 4716],
      [zip(), 4716],
    ] as const) {
      file.writeUInt32BE((file.readUInt32BE(crcAt) ^ 1) >>> 0, crcAt);
      expectCode(() => decodeThreeW(file), 'CRC_MISMATCH');
      expect(inspectThreeW(file).crcOk).toBe(false);
      expect(Buffer.from(decodeThreeW(file, { verifyCrc: false }).gcode).toString()).toContain('G1 X10 Y10 E1');
    }
  });

  it('a corrupted body byte is caught by the CRC', () => {
    const file = v5();
    file.writeUInt8(file.readUInt8(9000) ^ 0xff, 9000);
    expectCode(() => decodeThreeW(file), 'CRC_MISMATCH');
  });

  it('bad padding: a garbage tail is rejected', () => {
    const plain = Buffer.from('G1 X1\nG1 X2 ... \n' + 'x'.repeat(12) + '\u0003\u0007\u0003');
    expect(plain.length % 16).toBe(0);
    expectCode(() => decodeThreeW(withV5Body(v5(), ecbRaw(plain))), 'BAD_PADDING');
    expect(inspectThreeW(withV5Body(v5(), ecbRaw(plain))).padding).toBe('invalid');
  });

  it("bad padding: miniMover's missing pad block is tolerated unless strict", () => {
    const plain = Buffer.from('G1 X1\nG1 X22 Y3\n');
    expect(plain.length).toBe(16);
    const file = withV5Body(v5(), ecbRaw(plain));
    const decoded = decodeThreeW(file);
    expect(Buffer.from(decoded.gcode).equals(plain)).toBe(true);
    expect(decoded.info.padding).toBe('missing');
    expectCode(() => decodeThreeW(file, { strictPadding: true }), 'BAD_PADDING');
  });

  it('accepts an unencrypted v5 body (first byte ";")', () => {
    const plain = Buffer.from('; filename = x.3w\nG1 X1\n');
    const decoded = decodeThreeW(withV5Body(v5(), plain));
    expect(Buffer.from(decoded.gcode).equals(plain)).toBe(true);
    expect(decoded.info.padding).toBe('none');
    expect(decoded.info.bodyEncrypted).toBe(false);
  });

  it('ZIP: forged sizes and non-ZIP content', () => {
    const file = zip();
    const archive = zipArchiveOf(file);
    const eocd = archive.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    const central = archive.readUInt32LE(eocd + 16);

    const huge = Buffer.from(archive);
    huge.writeUInt32LE(0x7fffffff, central + 24);
    expectCode(() => decodeThreeW(withZipArchive(file, huge)), 'TOO_LARGE');

    const tooSmall = Buffer.from(archive);
    tooSmall.writeUInt32LE(archive.readUInt32LE(central + 24) - 1, central + 24);
    expectCode(() => decodeThreeW(withZipArchive(file, tooSmall)), 'BAD_ZIP');

    const pastEnd = Buffer.from(archive);
    pastEnd.writeUInt32LE(0x7ffffff0, central + 20);
    expectCode(() => decodeThreeW(withZipArchive(file, pastEnd)), 'BAD_ZIP');

    const badCrc = Buffer.from(archive);
    badCrc.writeUInt32LE((badCrc.readUInt32LE(central + 16) ^ 1) >>> 0, central + 16);
    expectCode(() => decodeThreeW(withZipArchive(file, badCrc)), 'BAD_ZIP');

    expectCode(() => decodeThreeW(withZipArchive(file, Buffer.alloc(5000, 7))), 'BAD_ZIP');

    const ragged = Buffer.concat([file.subarray(0, 8192), file.subarray(8192 + 8)]);
    ragged.writeUInt32BE(crc32(ragged.subarray(8192)), 4716);
    expectCode(() => decodeThreeW(ragged), 'BAD_BODY_LENGTH');
  });

  it('decodes legacy base64 files and rejects non-G-code base64', () => {
    const gcode = '; machine = daVinciF10\nG21\nG1 X1\n';
    const legacy = Buffer.from(Buffer.from(gcode).toString('base64').replace(/.{76}/g, '$&\r\n'));
    const decoded = decodeThreeW(legacy);
    expect(Buffer.from(decoded.gcode).toString()).toBe(gcode);
    expect(decoded.info.container).toBe('legacy-base64');
    expect(decoded.info.machine).toBe('daVinciF10');
    expectCode(() => decodeThreeW(Buffer.from('QUJDREVGR0g=')), 'BAD_MAGIC');
  });
});

/** Runs decode and inspect; anything other than success or ThreeWError fails the property. */
function decodeOnlyThrowsThreeWError(file: Uint8Array, verifyCrc: boolean): void {
  const started = performance.now();
  for (const run of [() => decodeThreeW(file, { verifyCrc }), () => inspectThreeW(file)]) {
    try {
      run();
    } catch (error) {
      if (!(error instanceof ThreeWError)) throw error;
    }
  }
  // "Never hang": a few-KiB input must be handled in far less than a second.
  expect(performance.now() - started).toBeLessThan(1000);
}

describe('property: random and mutated files', () => {
  const seeds = [v5(), v2(), zip()].map((file) => file.subarray(0, Math.min(file.length, 8192 + 4 * 8208)));

  it('random bytes never crash with anything but ThreeWError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 10_000 }), (bytes) =>
        decodeOnlyThrowsThreeWError(bytes, true),
      ),
      { numRuns: 200 },
    );
  });

  it('random bytes after a valid magic never crash', () => {
    const magic = Buffer.from('3DPFNKG13WTW\u0001', 'latin1');
    fc.assert(
      fc.property(fc.constantFrom(2, 5), fc.uint8Array({ minLength: 0, maxLength: 12_000 }), (version, rest) => {
        decodeOnlyThrowsThreeWError(Buffer.concat([magic, Buffer.from([version]), rest]), false);
      }),
      { numRuns: 200 },
    );
  });

  it('mutated valid files (byte edits, u32 fields, truncation) never crash', () => {
    const mutation = fc.record({
      seed: fc.integer({ min: 0, max: seeds.length - 1 }),
      edits: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
      fieldEdits: fc.array(
        fc.tuple(
          fc.constantFrom(0x10, 0x24, 0x28, 0x30, 4712, 4716),
          fc.constantFrom(0, 1, 68, 0x7fffffff, 0xffffffff, 8000, 8192),
        ),
        { maxLength: 3 },
      ),
      keep: fc.option(fc.nat(), { nil: undefined }),
      verifyCrc: fc.boolean(),
    });
    fc.assert(
      fc.property(mutation, ({ seed, edits, fieldEdits, keep, verifyCrc }) => {
        const file = Buffer.from(seeds.at(seed) ?? v5());
        for (const [at, value] of edits) file[at % file.length] = value;
        for (const [at, value] of fieldEdits) file.writeUInt32BE(value, at);
        const cut = keep === undefined ? file : file.subarray(0, keep % (file.length + 1));
        decodeOnlyThrowsThreeWError(cut, verifyCrc);
      }),
      { numRuns: 300 },
    );
  });
});
