import type { PickedFile } from '../../../../shared/contract';
import type { RpcErrorShape } from '../../../../shared/rpc/result';
import { api } from '../../../api';

export type Staged = { ok: true; source: PickedFile | { kind: 'staged'; stagedId: string } } | { ok: false; error: RpcErrorShape };

/**
 * Where main can read a picked or dropped file: a token for it in the desktop app, or the bytes staged
 * through files.stage* in a browser (which cannot name host paths).
 */
export async function fileSourceFor(file: File, onProgress: (sent: number) => void): Promise<Staged> {
  const picked = (await window.printdeckFiles?.refOf(file)) ?? null;
  if (picked) return { ok: true, source: picked };
  const begin = await api().call('files.stageBegin', { name: file.name, size: file.size });
  if (!begin.ok) return begin;
  const { stagedId, chunkBytes } = begin.value;
  for (let offset = 0; offset < file.size; offset += chunkBytes) {
    onProgress(offset);
    const bytes = new Uint8Array(await file.slice(offset, offset + chunkBytes).arrayBuffer());
    const r = await api().call('files.stageChunk', { stagedId, offset, dataBase64: toBase64(bytes) });
    if (!r.ok) return r;
  }
  onProgress(file.size);
  const done = await api().call('files.stageFinish', { stagedId });
  if (!done.ok) return done;
  return { ok: true, source: { kind: 'staged', stagedId } };
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
