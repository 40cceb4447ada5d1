import { writeFileSync } from 'node:fs';
import path from 'node:path';
import * as jpeg from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import { exifThumbnail, makeThumbnail, THUMB_MAX_BYTES, THUMB_PX } from '../../../src/main/uploads/thumbnails';
import { tempDir } from '../../support/test-hub';
import { makeJpeg } from '../../support/uploads-fixtures';

/** A JPEG whose APP1 EXIF segment carries `thumb` as the IFD1 thumbnail, followed by junk "image data". */
function jpegWithExif(thumb: Buffer): Buffer {
  const tiff = Buffer.alloc(8 + 2 + 4 + 2 + 24 + 4);
  tiff.write('II', 0, 'latin1');
  tiff.writeUInt16LE(42, 2);
  tiff.writeUInt32LE(8, 4); // IFD0 at 8, no entries
  tiff.writeUInt16LE(0, 8);
  tiff.writeUInt32LE(14, 10); // IFD1 at 14
  tiff.writeUInt16LE(2, 14);
  const thumbOffset = tiff.length;
  tiff.writeUInt16LE(0x0201, 16);
  tiff.writeUInt16LE(4, 18);
  tiff.writeUInt32LE(1, 20);
  tiff.writeUInt32LE(thumbOffset, 24);
  tiff.writeUInt16LE(0x0202, 28);
  tiff.writeUInt16LE(4, 30);
  tiff.writeUInt32LE(1, 32);
  tiff.writeUInt32LE(thumb.length, 36);
  const payload = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff, thumb]);
  const app1 = Buffer.alloc(4);
  app1.writeUInt16BE(0xffe1, 0);
  app1.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), app1, payload, Buffer.from([0xff, 0xda, 0x00, 0x02]), Buffer.alloc(5_000_000, 0x55)]);
}

describe('thumbnails', () => {
  it('downscales a small JPEG to at most THUMB_PX and under the size cap', async () => {
    const file = makeJpeg(path.join(tempDir(), 'a.jpg'), 640, 480);
    const t = await makeThumbnail(file);
    expect(t?.mime).toBe('image/jpeg');
    const img = jpeg.decode(t!.data, { useTArray: true });
    expect(Math.max(img.width, img.height)).toBe(THUMB_PX);
    expect(t!.data.length).toBeLessThanOrEqual(THUMB_MAX_BYTES);
  });

  it('uses the embedded EXIF thumbnail of a big photo instead of decoding it', async () => {
    const small = readSmall();
    const file = path.join(tempDir(), 'big.jpg');
    writeFileSync(file, jpegWithExif(small));
    expect(exifThumbnail(jpegWithExif(small))?.equals(small)).toBe(true);
    const t = await makeThumbnail(file);
    expect(t?.data.equals(small)).toBe(true);
  });

  it('gives no thumbnail for what it cannot read cheaply', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'x.heic'), Buffer.alloc(1000, 1));
    writeFileSync(path.join(dir, 'bad.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 4, 1, 2, 3, 4]));
    expect(await makeThumbnail(path.join(dir, 'x.heic'))).toBeNull();
    expect(await makeThumbnail(path.join(dir, 'bad.jpg'))).toBeNull();
  });
});

function readSmall(): Buffer {
  const data = Buffer.alloc(16 * 12 * 4, 200);
  return jpeg.encode({ data, width: 16, height: 12 }, 50).data;
}
