import type { OctoprintFile, OctoprintFileList } from '../../../shared/contract';
import type { FileEntry, FilesListResponse } from './protocol';

const MAX_FILES = 5000;

/** Flattens OctoPrint's (recursive) file tree into the list the UI shows, newest first. */
export function toFileList(list: FilesListResponse, busy: ReadonlySet<string>): OctoprintFileList {
  const files: OctoprintFile[] = [];
  const walk = (entries: readonly FileEntry[]): void => {
    for (const entry of entries) {
      if (files.length >= MAX_FILES) return;
      if (entry.type === 'folder') {
        walk(entry.children ?? []);
        continue;
      }
      if (entry.origin !== undefined && entry.origin !== 'local') continue;
      files.push({
        path: entry.path.slice(0, 1024),
        name: entry.name.slice(0, 512),
        display: (entry.display ?? entry.name).slice(0, 512),
        type: entry.type.slice(0, 32),
        size: typeof entry.size === 'number' && entry.size >= 0 ? entry.size : null,
        date: entry.date ?? null,
        estimatedPrintSec: nonNegative(entry.gcodeAnalysis?.estimatedPrintTime),
        busy: busy.has(entry.path),
      });
    }
  };
  walk(list.files);
  files.sort((a, b) => (b.date ?? 0) - (a.date ?? 0));
  return { files, freeBytes: list.free ?? null, totalBytes: list.total ?? null };
}

function nonNegative(value: number | null | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : null;
}
