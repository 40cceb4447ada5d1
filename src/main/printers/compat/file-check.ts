import { open, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { FileCheck } from '../../../shared/contract';
import type { DeviceStatus } from '../../../shared/domain/device';
import { findModelsByFileId } from '../xyz/models';
import { inspectThreeW } from '../xyz/threew';
import { sameModelName, slicerTarget, TARGET_WINDOW_BYTES, type SlicerTarget } from './slicer-target';

/** A `.3w` is inspected whole (its header is encrypted inside the body); bigger ones are not read. */
const MAX_THREEW_INSPECT_BYTES = 64 * 1024 * 1024;

/**
 * Compares the printer a file was sliced for with the device it is about to go to, before anything
 * is sent: a Benchy sliced for a Jr. 1.0w should not go to a nano without a word.
 */
export async function checkPrintFile(file: { path: string; name: string }, shownName: string, device: DeviceStatus): Promise<FileCheck> {
  // Judged by the file's own name (a staged file keeps the one it was staged with), shown by the caller's.
  const target = path.extname(file.name).toLowerCase() === '.3w' ? await threeWTarget(file.path) : await gcodeTarget(file.path);
  return verdict(target, device, shownName);
}

export function verdict(target: SlicerTarget | null, device: Pick<DeviceStatus, 'name' | 'family' | 'model'>, fileName: string): FileCheck {
  if (!target) {
    return { verdict: 'unknown', slicedFor: null, slicer: null, message: `${fileName} does not say which printer it was sliced for; make sure it was sliced for ${device.name}.` };
  }
  const slicedFor = target.xyzFileId ? xyzNames(target.machine) : target.machine;
  const base = { slicedFor, slicer: target.slicer };
  const deviceModel = device.family === 'xyz' ? device.model : null;
  if (!deviceModel) {
    return { ...base, verdict: 'unknown', message: `${fileName} was sliced for ${slicedFor} (${target.slicer}). Printdeck cannot tell which printer ${device.name} is: make sure it is that one.` };
  }
  const matches = target.xyzFileId ? xyzFileIdSuits(target.machine, deviceModel) : sameModelName(target.machine, deviceModel);
  return matches
    ? { ...base, verdict: 'match', message: `${fileName} was sliced for ${slicedFor}, which is what ${device.name} is.` }
    : {
        ...base,
        verdict: 'mismatch',
        message: `${fileName} was sliced for ${slicedFor} (${target.slicer}), but ${device.name} is a ${deviceModel}. Sizes, temperatures and start code may not suit it: the print may fail or hit the frame.`,
      };
}

/** Several models share a file id (`daVinciF10`): any of them suits. */
function xyzFileIdSuits(fileId: string, deviceModel: string): boolean {
  return findModelsByFileId(fileId).some((m) => sameModelName(m.name, deviceModel));
}

function xyzNames(fileId: string): string {
  const names = findModelsByFileId(fileId).map((m) => m.name);
  return names.length > 0 ? names.join(' / ') : `a da Vinci (${fileId})`;
}

async function gcodeTarget(file: string): Promise<SlicerTarget | null> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const read = async (position: number, length: number): Promise<string> => {
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buffer, 0, length, position);
      return buffer.subarray(0, bytesRead).toString('latin1');
    };
    const head = await read(0, Math.min(size, TARGET_WINDOW_BYTES));
    const tail = size > TARGET_WINDOW_BYTES ? await read(Math.max(TARGET_WINDOW_BYTES, size - TARGET_WINDOW_BYTES), Math.min(TARGET_WINDOW_BYTES, size - TARGET_WINDOW_BYTES)) : '';
    return slicerTarget(head, tail);
  } finally {
    await handle.close();
  }
}

async function threeWTarget(file: string): Promise<SlicerTarget | null> {
  const { size } = await stat(file);
  if (size > MAX_THREEW_INSPECT_BYTES) return null;
  try {
    const info = inspectThreeW(new Uint8Array(await readFile(file)));
    return info.machine ? { slicer: 'XYZware', machine: info.machine, xyzFileId: true } : null;
  } catch {
    // A damaged .3w names no printer; the print itself reports what is wrong with it.
    return null;
  }
}
