import type { AddImagesResult, FileSource } from '../../../shared/contract';
import type { RpcErrorShape } from '../../../shared/rpc/result';
import { api } from '../../api';
import { fileSourceOf } from '../../files/send-to-printer';

export type AddOutcome = { ok: true; value: AddImagesResult } | { ok: false; error: RpcErrorShape };

/** Files staged before each addImages (the host lets one client keep 16 staged files waiting to be used). */
const STAGE_BATCH = 4;

/**
 * Adds picked or dropped files to a session. The desktop app passes tokens for them (main streams
 * them from disk); a browser cannot name host paths, so it sends the bytes in chunks first.
 */
export async function addFiles(connectionId: string, sessionId: string, files: File[], onProgress: (done: number, total: number) => void): Promise<AddOutcome> {
  const total: AddImagesResult = { added: [], duplicates: 0, failed: [] };
  for (let i = 0; i < files.length; i += STAGE_BATCH) {
    const batch = files.slice(i, i + STAGE_BATCH);
    const sources: FileSource[] = [];
    for (const file of batch) {
      const source = await fileSourceOf(file);
      if (!source.ok) total.failed.push({ name: file.name, message: source.error.message });
      // A browser's copy carries the capture time the file had on the user's disk.
      else if (source.file.kind === 'staged' && file.lastModified > 0) sources.push({ ...source.file, modifiedAt: Math.trunc(file.lastModified) });
      else sources.push(source.file);
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
