import { open, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../../../shared/rpc/result';
import type { XyzContainer, XyzModel } from '../models';
import { ThreeWError } from '../threew';
import { openThreeW } from '../threew/decode-stream';
import { streamThreeW } from '../threew/encode-stream';
import { openInput } from '../threew/file-source';
import { BODY_OFFSET, MAX_GCODE_BYTES, MAX_THREEW_BYTES, TAG_ZIP } from '../threew/layout';
import { readPreamble } from '../threew/preamble-read';
import { streamedSource } from './streamed-source';
import { printTimeOf, type UploadSource } from './source';

export { memorySource, printTimeOf, type UploadSource } from './source';

/** `My Part (2).gcode` → `My_Part_2.3w`: printable ASCII, no commas, bounded. */
export function printerFileName(name: string): string {
  const base = path.basename(name).replace(/\.(gcode|gco|g|3w)$/i, '');
  const safe = base.replace(/[^A-Za-z0-9_-]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 40);
  return `${safe.length > 0 ? safe : 'print'}.3w`;
}

function containerOf(preamble: Uint8Array): XyzContainer | null {
  try {
    const p = readPreamble(preamble);
    return p.version === 5 ? 'v5' : p.tag === TAG_ZIP ? 'zip' : 'v2';
  } catch {
    return null;
  }
}

async function fileSource(name: string, filePath: string, size: number): Promise<UploadSource> {
  const handle: FileHandle = await open(filePath, 'r');
  const head = new Uint8Array(Math.min(size, BODY_OFFSET));
  await handle.read(head, 0, head.length, 0);
  return {
    name,
    size,
    container: containerOf(head),
    estimatedSeconds: printTimeOf(head),
    async read(offset, length) {
      const buffer = new Uint8Array(Math.min(length, size - offset));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
      if (bytesRead !== buffer.length) throw new AppError('CONFLICT', `${path.basename(filePath)} changed while it was being sent.`);
      return buffer;
    },
    close: () => handle.close(),
  };
}

export function isThreeWName(name: string): boolean {
  return /\.3w$/i.test(name);
}

function encodeFailure(err: unknown): never {
  if (err instanceof ThreeWError && err.code === 'INPUT_CHANGED') throw new AppError('CONFLICT', `The file changed while it was being converted: ${err.message}.`);
  if (err instanceof ThreeWError) throw new AppError('BAD_REQUEST', `Cannot make a .3w file: ${err.message}`);
  throw err;
}

/**
 * The file to upload: a `.3w` is streamed as it is; G-code is converted with the model's
 * container.
 */
export async function prepareUpload(
  filePath: string,
  displayName: string,
  model: XyzModel,
  /** Re-encode into this container; without it a `.3w` is sent as it is and G-code gets the model's default. */
  container?: XyzContainer,
): Promise<UploadSource> {
  const info = await stat(filePath).catch(() => null);
  if (!info?.isFile()) throw new AppError('NOT_FOUND', `There is no file at ${filePath}.`);
  const name = printerFileName(displayName);
  if (isThreeWName(displayName) && container === undefined) return fileSource(name, filePath, info.size);
  try {
    const gcode = isThreeWName(displayName)
      ? (await openThreeW(await openInput(filePath, MAX_THREEW_BYTES, '.3w file'))).gcode
      : (await openInput(filePath, MAX_GCODE_BYTES + 3, 'G-code file')).chunks;
    const stream = await streamThreeW(gcode, {
      model: model.modelNumber,
      container: container ?? model.container,
      headerValues: { filename: name },
    });
    return streamedSource(name, stream);
  } catch (err) {
    return encodeFailure(err);
  }
}
