import { createCipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { findModel, findModelBySerial, findModelsByFileId, XYZ_MODELS } from '../../../src/main/printers/xyz/models';
import { decodeThreeW, encodeThreeW, inspectThreeW } from '../../../src/main/printers/xyz/threew';

const KEY32 = Buffer.from('@xyzprinting.com@xyzprinting.com');

/** Independent bitwise CRC-32 (reflected 0xEDB88320) to cross-check what the codec stores. */
function referenceCrc32(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function aes256EcbRaw(data: Buffer): Buffer {
  const cipher = createCipheriv('aes-256-ecb', KEY32, null);
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(data), cipher.final()]);
}

const GCODE = [
  '; filename = 1.3w',
  '; print_time = 60',
  '; machine = dv1MX0A000',
  '; facets = 0',
  '; total_layers = 1',
  '; version = 19110814',
  '; total_filament = 1.00',
  'G21',
  'G1 X1 Y1',
  '',
].join('\n');

describe('known algorithm vectors', () => {
  it('CRC-32 reference check value', () => {
    expect(referenceCrc32(Buffer.from('123456789')).toString(16)).toBe('cbf43926');
  });

  it('AES vectors', () => {
    expect(aes256EcbRaw(Buffer.from('; filename = 1.3')).toString('hex')).toBe('a10b2dfbed3256bf13f7b1ca1cc83711');
    expect(aes256EcbRaw(Buffer.alloc(16, 0x10)).toString('hex')).toBe('602e01180ea8e26109ce602ca31a8858');
  });
});

describe('v5 layout', () => {
  const file = Buffer.from(encodeThreeW(GCODE, { model: 'dv1MX0A000', container: 'v5' }));

  it('has the fixed fields at their offsets', () => {
    expect(file.toString('latin1', 0, 12)).toBe('3DPFNKG13WTW');
    expect([...file.subarray(12, 16)]).toEqual([1, 5, 0, 0]);
    expect(file.readUInt32BE(0x10)).toBe(8);
    expect(file.subarray(0x14, 0x1c).every((b) => b === 0)).toBe(true);
    expect(file.toString('latin1', 0x1c, 0x24)).toBe('TagEJ256');
    expect(file.readUInt32BE(0x28)).toBe(68);
    expect(file.readUInt32BE(0x2c)).toBe(1);
    expect(file.subarray(0x34, 0x70).every((b) => b === 0)).toBe(true);
  });

  it('stores the unpadded header length and the plaintext header, zero-filled up to 8 KiB', () => {
    const headerLength = file.readUInt32BE(0x24);
    const header = GCODE.slice(0, GCODE.indexOf('G21'));
    expect(headerLength).toBe(Buffer.byteLength(header));
    expect(file.toString('latin1', 0x70, 0x70 + headerLength)).toBe(header);
    expect(file.subarray(0x70 + headerLength, 0x2000).every((b) => b === 0)).toBe(true);
  });

  it('stores the standard CRC-32 of the encrypted body', () => {
    expect(file.readUInt32BE(0x30)).toBe(referenceCrc32(file.subarray(0x2000)));
  });

  it('encrypts the body with AES-256-ECB: first block matches the spec vector', () => {
    // GCODE starts with "; filename = 1.3" like the real files.
    expect(file.subarray(0x2000, 0x2010).toString('hex')).toBe('a10b2dfbed3256bf13f7b1ca1cc83711');
    expect(file.length - 0x2000).toBe(Math.floor(Buffer.byteLength(GCODE) / 16) * 16 + 16);
  });
});

describe('v2 layout', () => {
  for (const [container, tag] of [
    ['v2', 'TagEJ256'],
    ['zip', 'TagEa128'],
  ] as const) {
    it(`${container}: fixed fields, AES-128-CBC header and CRC`, () => {
      const file = Buffer.from(encodeThreeW(GCODE, { model: 'dv1MX0A000', container }));
      expect(file.toString('latin1', 0, 12)).toBe('3DPFNKG13WTW');
      expect([...file.subarray(12, 16)]).toEqual([1, 2, 0, 0]);
      expect(file.readUInt32BE(16)).toBe(4684);
      expect(file.subarray(20, 4704).every((b) => b === 0)).toBe(true);
      expect(file.toString('latin1', 4704, 4712)).toBe(tag);
      expect(file.readUInt32BE(4712)).toBe(68);
      expect(file.readUInt32BE(4716)).toBe(referenceCrc32(file.subarray(8192)));
      expect(file.subarray(4720, 4784).every((b) => b === 0)).toBe(true);
      // AES-128-CBC(key16, IV 0, "; filename = 1.3")
      expect(file.subarray(4784, 4800).toString('hex')).toBe('d66c82cd3463b240a3c8205c9b9610be');
      const header = GCODE.slice(0, GCODE.indexOf('G21'));
      const encryptedLength = (Math.floor(Buffer.byteLength(header) / 16) + 1) * 16;
      expect(file.subarray(4784 + encryptedLength, 8192).every((b) => b === 0)).toBe(true);
      expect(inspectThreeW(file).headerLength).toBe(encryptedLength);
    });
  }

  it('zip: 8192-byte plaintext chunks become 8208-byte cipher chunks', () => {
    // Incompressible-looking comment lines make the ZIP span several chunks.
    const noisy = Array.from(
      { length: 3000 },
      (_, i) => `G1 X${(i * 7919) % 1000}.${i % 97} Y${(i * 104729) % 997} E${i}`,
    ).join('\n');
    const file = Buffer.from(encodeThreeW(noisy, { model: 'dvF100B000', container: 'zip' }));
    const bodyLength = file.length - 8192;
    expect(bodyLength).toBeGreaterThan(8208);
    expect((bodyLength % 8208) % 16).toBe(0);
    expect(new TextDecoder().decode(decodeThreeW(file).gcode).endsWith(noisy)).toBe(true);
  });
});

describe('model table', () => {
  it('maps model numbers to file ids and containers', () => {
    expect(findModel('dv1MX0A000')?.fileId).toBe('dv1MX0A000');
    expect(findModel('DV1JW0A000')?.fileId).toBe('daVinciJR10W');
    expect(findModel('dv1JS0A000')?.fileId).toBe('dv1JSOA000');
    expect(findModel('dv1NX0A000')?.container).toBe('v5');
    expect(findModel('dvF110B000')?.container).toBe('zip');
    expect(findModel('dvF110B000')?.wifiProtocol).toBe('json');
    expect(findModel('dvF110B000')?.capabilities.camera).toBe(true);
    expect(findModel('dv1SW0A000')?.capabilities.heatedBed).toBe(true);
    expect(findModel('dv1NX0A000')?.capabilities.maintenance).toContain('calibrate');
    expect(findModel('dv1JW0A000')?.capabilities.maintenance).toEqual([]);
    expect(findModel('nope')).toBeUndefined();
  });

  it('finds models by serial prefix and by file id', () => {
    expect(findModelBySerial('3FNAXPUS5TH7CM0041')?.modelNumber).toBe('dv1NX0A000');
    expect(findModelsByFileId('daVinciF10').map((m) => m.modelNumber)).toEqual([
      'dvF100B000',
      'dvF100A000',
      'dvF10SA000',
    ]);
  });

  it('has unique model numbers', () => {
    expect(new Set(XYZ_MODELS.map((m) => m.modelNumber)).size).toBe(XYZ_MODELS.length);
  });

  it("encodes with each model's file id as machine", () => {
    for (const model of XYZ_MODELS) {
      const info = inspectThreeW(encodeThreeW('G1 X1\n', { model: model.modelNumber }));
      expect(info.machine).toBe(model.fileId);
      expect(info.container).toBe(model.container);
    }
  });
});
