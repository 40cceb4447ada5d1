import type { FileSource } from '../../shared/contract';
import type { RpcErrorShape } from '../../shared/rpc/result';
import { api } from '../api';
import { useDevicesStore } from '../stores/devices-store';

export type SendOutcome = { ok: true } | { ok: false; error: RpcErrorShape };

const PRINTABLE = /\.(gcode|gco|g|3w)$/i;

export function isPrintable(file: File): boolean {
  return PRINTABLE.test(file.name);
}

/** A file main can read: a token for a picked file (desktop), or the bytes staged on the host (browser). */
export interface PreparedFile {
  source: FileSource;
  name: string;
}

/**
 * Makes a file the user picked or dropped readable by main for a printer, without printing it yet,
 * showing the staging progress on that printer's card.
 */
export async function prepareFile(deviceId: string, file: File): Promise<{ ok: true; value: PreparedFile } | { ok: false; error: RpcErrorShape }> {
  if (!isPrintable(file)) {
    return { ok: false, error: { code: 'BAD_REQUEST', message: `Printdeck prints .gcode and .3w files; "${file.name}" is neither.` } };
  }
  const setStaging = useDevicesStore.getState().setStaging;
  try {
    const source = await fileSourceOf(file, (sentBytes) => setStaging(deviceId, { fileName: file.name, sentBytes, totalBytes: file.size }));
    return source.ok ? { ok: true, value: { source: source.file, name: file.name } } : source;
  } finally {
    setStaging(deviceId, undefined);
  }
}

export async function printPrepared(deviceId: string, prepared: PreparedFile): Promise<SendOutcome> {
  const r = await api().call('printers.print', { deviceId, file: prepared.source, name: prepared.name });
  return r.ok ? { ok: true } : r;
}

/** Gives up a prepared file that will not be printed, so its staged copy does not hold a slot. */
export async function discardPrepared(prepared: PreparedFile): Promise<void> {
  if (prepared.source.kind === 'staged') await api().call('files.stageCancel', { stagedId: prepared.source.stagedId });
}

/**
 * How main gets a file the user picked or dropped: the desktop app passes a token (main reads it
 * from disk); a browser cannot name host paths, so it stages the bytes first, reporting progress.
 */
export async function fileSourceOf(
  file: File,
  onProgress: (sentBytes: number) => void = () => undefined,
): Promise<{ ok: true; file: FileSource } | { ok: false; error: RpcErrorShape }> {
  const picked = (await window.printdeckFiles?.refOf(file)) ?? null;
  if (picked) return { ok: true, file: picked };
  const staged = await stage(file, onProgress);
  return staged.ok ? { ok: true, file: { kind: 'staged', stagedId: staged.stagedId } } : staged;
}

async function stage(file: File, onProgress: (sentBytes: number) => void): Promise<{ ok: true; stagedId: string } | { ok: false; error: RpcErrorShape }> {
  const begin = await api().call('files.stageBegin', { name: file.name, size: file.size });
  if (!begin.ok) return begin;
  const { stagedId, chunkBytes } = begin.value;
  for (let offset = 0; offset < file.size; offset += chunkBytes) {
    onProgress(offset);
    const bytes = new Uint8Array(await file.slice(offset, offset + chunkBytes).arrayBuffer());
    const r = await api().call('files.stageChunk', { stagedId, offset, dataBase64: toBase64(bytes) });
    if (!r.ok) return r;
  }
  const done = await api().call('files.stageFinish', { stagedId });
  if (!done.ok) return done;
  return { ok: true, stagedId };
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  const step = 0x8000;
  for (let i = 0; i < bytes.length; i += step) binary += String.fromCharCode(...bytes.subarray(i, i + step));
  return btoa(binary);
}
