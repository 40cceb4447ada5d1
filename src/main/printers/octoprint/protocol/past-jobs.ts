import type { PastJob } from '../../../devices/driver';
import type { FileEntry, FilesListResponse } from './schemas/files';

const MAX_ENTRIES = 5000;

/**
 * What OctoPrint keeps of its past prints, in Printdeck's terms. OctoPrint (1.11) has no job
 * history: each file of `GET /api/files` carries only its counts and its last print (`prints.last`:
 * when it ended and whether it succeeded) and the last successful print's time
 * (`statistics.lastPrintTime`, per printer profile). So a file's last print is imported, one per
 * file; its duration is known only when it succeeded; OctoPrint counts a cancel as a failure, so a
 * cancelled print comes in as failed; filament is the slicer's estimate for the file.
 */
export function pastJobsOf(list: FilesListResponse, since: number | null): PastJob[] {
  const out: PastJob[] = [];
  const walk = (entries: readonly FileEntry[]): void => {
    for (const entry of entries) {
      if (out.length >= MAX_ENTRIES) return;
      if (entry.type === 'folder') {
        walk(entry.children ?? []);
        continue;
      }
      if (entry.origin !== undefined && entry.origin !== 'local') continue;
      const past = lastPrintOf(entry);
      if (past && (since === null || past.endedAt >= since)) out.push(past);
    }
  };
  walk(list.files);
  return out;
}

function lastPrintOf(entry: FileEntry): PastJob | null {
  const last = entry.prints?.last;
  if (!last || typeof last.date !== 'number' || !Number.isFinite(last.date) || last.date <= 0) return null;
  const endedAt = Math.round(last.date * 1000);
  const success = last.success === true;
  const printTime = success ? firstSeconds(entry.statistics?.lastPrintTime) : null;
  return {
    source: 'octoprint',
    // The file and when its last print ended: stable until the file is printed again.
    externalId: `${entry.path}@${endedAt}`.slice(0, 1100),
    fileName: (entry.display ?? entry.name).slice(0, 512),
    startedAt: null,
    endedAt,
    durationSec: printTime === null ? null : Math.round(printTime),
    outcome: success ? 'success' : 'failed',
    reason: success ? null : 'OctoPrint recorded the print as failed or cancelled',
    filamentMm: success ? estimatedFilament(entry) : null,
  };
}

function firstSeconds(perProfile: Record<string, number> | undefined): number | null {
  if (!perProfile) return null;
  const value = perProfile._default ?? Object.values(perProfile)[0];
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : null;
}

function estimatedFilament(entry: FileEntry): number | null {
  const tools = entry.gcodeAnalysis?.filament;
  if (!tools) return null;
  let sum = 0;
  for (const tool of Object.values(tools)) {
    const length = tool?.length;
    if (typeof length === 'number' && Number.isFinite(length) && length > 0) sum += length;
  }
  return sum > 0 ? sum : null;
}
