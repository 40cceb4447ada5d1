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
    return { ok: false, error: { code: 'BAD_REQUEST', message: `Printdeck prints .gcode and .3w files; "${file.name}" is neither.` } };
  }
  const picked = (await window.printdeckFiles?.refOf(file)) ?? null;
  if (picked) {
    const r = await api().call('printers.print', { deviceId, file: picked, name: file.name });
    return r.ok ? { ok: true } : r;
  }
  const staged = await stage(deviceId, file);
  if (!staged.ok) return staged;
  const r = await api().call('printers.print', { deviceId, file: { kind: 'staged', stagedId: staged.stagedId }, name: file.name });
  return r.ok ? { ok: true } : r;
}

async function stage(deviceId: string, file: File): Promise<{ ok: true; stagedId: string } | { ok: false; error: RpcErrorShape }> {
  const setStaging = useDevicesStore.getState().setStaging;
  const begin = await api().call('files.stageBegin', { name: file.name, size: file.size });
  if (!begin.ok) return begin;
  const { stagedId, chunkBytes } = begin.value;
  try {
    for (let offset = 0; offset < file.size; offset += chunkBytes) {
      setStaging(deviceId, { fileName: file.name, sentBytes: offset, totalBytes: file.size });
      const bytes = new Uint8Array(await file.slice(offset, offset + chunkBytes).arrayBuffer());
      const r = await api().call('files.stageChunk', { stagedId, offset, dataBase64: toBase64(bytes) });
      if (!r.ok) return r;
    }
    const done = await api().call('files.stageFinish', { stagedId });
    if (!done.ok) return done;
    return { ok: true, stagedId };
  } finally {
    setStaging(deviceId, undefined);
  }
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  const step = 0x8000;
  for (let i = 0; i < bytes.length; i += step) binary += String.fromCharCode(...bytes.subarray(i, i + step));
  return btoa(binary);
}
