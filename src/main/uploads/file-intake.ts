import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, readdir, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Files Printdeck treats as images to upload (photos, printer snapshots, camera RAW and video clips). */
const IMAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png', '.gif', '.webp', '.bmp', '.tif', '.tiff', '.heic', '.heif', '.dng', '.cr2', '.nef', '.arw', '.mp4', '.mov']);

export function isImageName(name: string): boolean {
  return IMAGE_EXTENSIONS.has(path.extname(name).toLowerCase());
}

export interface FileFacts {
  size: number;
  mtimeMs: number;
  /** When the picture was taken, as far as the file system knows. */
  createdAt: number;
  sha256: string;
}

/** Size, times and SHA-256 of a file, read in a stream (never whole into memory). */
export async function fileFacts(file: string): Promise<FileFacts> {
  const before = await stat(file);
  if (!before.isFile()) throw new Error(`${file} is not a file.`);
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 256 * 1024 })) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  const after = await stat(file);
  if (after.size !== size || after.mtimeMs !== before.mtimeMs) throw new Error(`${path.basename(file)} changed while it was being read; try again.`);
  const created = before.birthtimeMs > 0 ? Math.min(before.birthtimeMs, before.mtimeMs) : before.mtimeMs;
  return { size, mtimeMs: Math.trunc(after.mtimeMs), createdAt: Math.trunc(created), sha256: hash.digest('hex') };
}

/** The image files directly inside a folder, sorted by name. */
export async function imagesInFolder(folder: string, limit: number): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && isImageName(e.name))
    .map((e) => path.join(folder, e.name))
    .sort()
    .slice(0, limit);
}

/**
 * The uploads data folder: copies of files Printdeck owns (sent by a browser, captured from a
 * camera), so they stay readable until uploaded whatever happens to the original.
 */
export class OwnedFiles {
  readonly dir: string;
  /** Asked before each new copy of `bytes`; throws when there is no room (the disk budget). */
  beforeWrite: (bytes: number) => Promise<void> = async () => undefined;

  constructor(dataDir: string) {
    this.dir = path.join(dataDir, 'uploads', 'files');
  }

  private async target(name: string): Promise<string> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const ext = path.extname(name).toLowerCase().replace(/[^a-z0-9.]/g, '').slice(0, 8);
    return path.join(this.dir, `${randomUUID()}${ext}`);
  }

  /** Copies a file in (through a temporary name, so a crash never leaves a half file under the final name). */
  async copyIn(source: string, name: string): Promise<string> {
    await this.beforeWrite((await stat(source)).size);
    const dest = await this.target(name);
    await copyFile(source, `${dest}.part`);
    await rename(`${dest}.part`, dest);
    return dest;
  }

  async writeIn(data: Uint8Array, name: string): Promise<string> {
    await this.beforeWrite(data.length);
    const dest = await this.target(name);
    await writeFile(`${dest}.part`, data, { mode: 0o600 });
    await rename(`${dest}.part`, dest);
    return dest;
  }
}
