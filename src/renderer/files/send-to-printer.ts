import type { FileSource } from '../../shared/contract';
import type { RpcErrorShape } from '../../shared/rpc/result';
import { api } from '../api';
import { useDevicesStore } from '../stores/devices-store';

export type SendOutcome = { ok: true } | { ok: false; error: RpcErrorShape };

const PRINTABLE = /\.(gcode|gco|g|3w)$/i;

export function isPrintable(file: File): boolean {
  return PRINTABLE.test(file.name);
}

/**
 * Sends a file the user picked or dropped to a printer. The desktop app passes a token for it
 * (main streams it from disk); a browser cannot name host paths, so it stages the bytes first.
 */
export async function sendToPrinter(deviceId: string, file: File): Promise<SendOutcome> {
  if (!isPrintable(file)) {
    return {
      ok: false,
      error: { code: 'BAD_REQUEST', message: `Printdeck prints .gcode and .3w files; "${file.name}" is neither.` },
    };
  }
  const setStaging = useDevicesStore.getState().setStaging;
  const source = await fileSourceOf(file, (sentBytes) =>
    setStaging(deviceId, { fileName: file.name, sentBytes, totalBytes: file.size }),
  );
  setStaging(deviceId, undefined);
  if (!source.ok) return source;
  const r = await api().call('printers.print', { deviceId, file: source.file, name: file.name });
  return r.ok ? { ok: true } : r;
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

async function stage(
  file: File,
  onProgress: (sentBytes: number) => void,
): Promise<{ ok: true; stagedId: string } | { ok: false; error: RpcErrorShape }> {
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
