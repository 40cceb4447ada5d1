import type { AddImagesResult, FileSource } from '../../../shared/contract';
import type { RpcErrorShape } from '../../../shared/rpc/result';
import { api } from '../../api';

export type AddOutcome = { ok: true; value: AddImagesResult } | { ok: false; error: RpcErrorShape };

/** Files staged before each addImages (the host lets one client keep 16 staged files waiting to be used). */
const STAGE_BATCH = 4;

/**
 * Adds picked or dropped files to a session. The desktop app passes tokens for them (main streams
 * them from disk); a browser cannot name host paths, so it sends the bytes in chunks first.
 */
export async function addFiles(connectionId: string, sessionId: string, files: File[], onProgress: (done: number, total: number) => void): Promise<AddOutcome> {
  const total: AddImagesResult = { added: [], duplicates: 0, failed: [] };
  const refOf = window.printdeckFiles?.refOf;
  for (let i = 0; i < files.length; i += STAGE_BATCH) {
    const batch = files.slice(i, i + STAGE_BATCH);
    const sources: FileSource[] = [];
    for (const file of batch) {
      const picked = refOf ? await refOf(file) : null;
      if (picked) {
        sources.push(picked);
        continue;
      }
      const staged = await stage(file);
      if (staged.ok) sources.push({ kind: 'staged', stagedId: staged.stagedId, ...(file.lastModified > 0 ? { modifiedAt: Math.trunc(file.lastModified) } : {}) });
      else total.failed.push({ name: file.name, message: staged.error.message });
    }
    if (sources.length > 0) {
      const r = await api().call('uploads.addImages', { connectionId, sessionId, files: sources });
      if (!r.ok) return r;
      total.added.push(...r.value.added);
      total.duplicates += r.value.duplicates;
      total.failed.push(...r.value.failed);
    }
    onProgress(Math.min(files.length, i + batch.length), files.length);
  }
  return { ok: true, value: total };
}

async function stage(file: File): Promise<{ ok: true; stagedId: string } | { ok: false; error: RpcErrorShape }> {
  const begin = await api().call('files.stageBegin', { name: file.name, size: file.size });
  if (!begin.ok) return begin;
  const { stagedId, chunkBytes } = begin.value;
  for (let offset = 0; offset < file.size; offset += chunkBytes) {
    const bytes = new Uint8Array(await file.slice(offset, offset + chunkBytes).arrayBuffer());
    const r = await api().call('files.stageChunk', { stagedId, offset, dataBase64: toBase64(bytes) });
    if (!r.ok) return r;
  }
  const done = await api().call('files.stageFinish', { stagedId });
  return done.ok ? { ok: true, stagedId } : done;
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  const step = 0x8000;
  for (let i = 0; i < bytes.length; i += step) binary += String.fromCharCode(...bytes.subarray(i, i + step));
  return btoa(binary);
}
