import { mkdir, open, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as jpeg from 'jpeg-js';

/** Longest side of a thumbnail, in pixels. */
export const THUMB_PX = 160;
/** Thumbnails larger than this are not kept (the contract caps what it serves). */
export const THUMB_MAX_BYTES = 48 * 1024;
/** JPEGs are decoded only up to this size; bigger photos need their embedded EXIF thumbnail. */
const DECODE_MAX_FILE_BYTES = 3 * 1024 * 1024;
const DECODE_MAX_MP = 4;
/** PNGs this small are served as they are. */
const PNG_AS_IS_BYTES = 96 * 1024;
const EXIF_SCAN_BYTES = 128 * 1024;

export type ThumbKind = { mime: 'image/jpeg' | 'image/png'; data: Buffer };

/**
 * Makes a small thumbnail of an image file, or returns null for formats (or sizes) it cannot
 * thumbnail cheaply: JPEG from the EXIF thumbnail or by decoding small files, PNG only when small.
 */
export async function makeThumbnail(file: string): Promise<ThumbKind | null> {
  const info = await stat(file);
  const head = await readHead(file, Math.min(info.size, EXIF_SCAN_BYTES));
  if (isJpeg(head)) {
    const exif = exifThumbnail(head);
    if (exif && exif.length <= THUMB_MAX_BYTES) return { mime: 'image/jpeg', data: exif };
    if (info.size > DECODE_MAX_FILE_BYTES) return null;
    return downscaleJpeg(await readFile(file));
  }
  if (isPng(head) && info.size <= PNG_AS_IS_BYTES) return { mime: 'image/png', data: await readFile(file) };
  return null;
}

/** Stores thumbnails under the data folder, one file per image id. */
export class ThumbnailStore {
  readonly dir: string;

  constructor(dataDir: string) {
    this.dir = path.join(dataDir, 'uploads', 'thumbs');
  }

  async save(imageId: string, thumb: ThumbKind): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const file = this.file(imageId, thumb.mime);
    await writeFile(`${file}.part`, thumb.data, { mode: 0o600 });
    await rename(`${file}.part`, file);
  }

  async load(imageId: string): Promise<ThumbKind | null> {
    for (const mime of ['image/jpeg', 'image/png'] as const) {
      const data = await readFile(this.file(imageId, mime)).catch(() => null);
      if (data && data.length <= THUMB_MAX_BYTES * 2) return { mime, data };
    }
    return null;
  }

  private file(imageId: string, mime: ThumbKind['mime']): string {
    return path.join(this.dir, `${imageId.replace(/[^A-Za-z0-9-]/g, '')}${mime === 'image/png' ? '.png' : '.jpg'}`);
  }
}

async function readHead(file: string, bytes: number): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

function isJpeg(b: Buffer): boolean {
  return b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;
}

function isPng(b: Buffer): boolean {
  return b.length > 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
}

/** The JPEG thumbnail cameras embed in the EXIF APP1 segment (IFD1), if there is one. */
export function exifThumbnail(b: Buffer): Buffer | null {
  let p = 2;
  while (p + 4 <= b.length && b[p] === 0xff) {
    const marker = b[p + 1] as number;
    const len = b.readUInt16BE(p + 2);
    if (marker === 0xda || len < 2) return null;
    if (marker === 0xe1 && b.toString('latin1', p + 4, p + 10) === 'Exif\0\0') return thumbFromTiff(b.subarray(p + 10, Math.min(b.length, p + 2 + len)));
    p += 2 + len;
  }
  return null;
}

function thumbFromTiff(t: Buffer): Buffer | null {
  if (t.length < 8) return null;
  const le = t.toString('latin1', 0, 2) === 'II';
  const u16 = (o: number): number => (o + 2 <= t.length ? (le ? t.readUInt16LE(o) : t.readUInt16BE(o)) : 0);
  const u32 = (o: number): number => (o + 4 <= t.length ? (le ? t.readUInt32LE(o) : t.readUInt32BE(o)) : 0);
  const ifd0 = u32(4);
  if (ifd0 <= 0 || ifd0 + 2 > t.length) return null;
  const count0 = u16(ifd0);
  const ifd1 = u32(ifd0 + 2 + count0 * 12);
  if (ifd1 <= 0 || ifd1 + 2 > t.length) return null;
  const count1 = u16(ifd1);
  let offset = 0;
  let length = 0;
  for (let i = 0; i < count1 && i < 64; i++) {
    const e = ifd1 + 2 + i * 12;
    const tag = u16(e);
    if (tag === 0x0201) offset = u32(e + 8);
    if (tag === 0x0202) length = u32(e + 8);
  }
  if (offset <= 0 || length <= 0 || offset + length > t.length) return null;
  const thumb = t.subarray(offset, offset + length);
  return isJpeg(thumb) ? Buffer.from(thumb) : null;
}

function downscaleJpeg(data: Buffer): ThumbKind | null {
  let img;
  try {
    img = jpeg.decode(data, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: DECODE_MAX_MP, maxMemoryUsageInMB: 96 });
  } catch {
    return null;
  }
  const scale = Math.min(1, THUMB_PX / Math.max(img.width, img.height));
  const w = Math.max(1, Math.round(img.width * scale));
  const h = Math.max(1, Math.round(img.height * scale));
  const out = Buffer.alloc(w * h * 4);
  // Box filter: average the source pixels that fall into each thumbnail pixel.
  for (let y = 0; y < h; y++) {
    const y0 = Math.floor(y / scale);
    const y1 = Math.min(img.height, Math.max(y0 + 1, Math.floor((y + 1) / scale)));
    for (let x = 0; x < w; x++) {
      const x0 = Math.floor(x / scale);
      const x1 = Math.min(img.width, Math.max(x0 + 1, Math.floor((x + 1) / scale)));
      let r = 0;
      let g = 0;
      let bl = 0;
      let n = 0;
      for (let sy = y0; sy < y1; sy++) {
        for (let sx = x0; sx < x1; sx++) {
          const i = (sy * img.width + sx) * 4;
          r += img.data[i] as number;
          g += img.data[i + 1] as number;
          bl += img.data[i + 2] as number;
          n++;
        }
      }
      const o = (y * w + x) * 4;
      out[o] = r / n;
      out[o + 1] = g / n;
      out[o + 2] = bl / n;
      out[o + 3] = 255;
    }
  }
  const encoded = jpeg.encode({ data: out, width: w, height: h }, 70).data;
  return encoded.length <= THUMB_MAX_BYTES ? { mime: 'image/jpeg', data: encoded } : null;
}
