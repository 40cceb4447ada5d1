import type { PastJob } from '../../devices/driver';

/**
 * How far apart Printdeck's times and the printer's may be for one print: Printdeck notes a start
 * or an end when a status snapshot shows it (seconds after the printer did, longer on a slow link),
 * and the printer's clock may be a little off.
 */
export const MATCH_TOLERANCE_MS = 5 * 60_000;

/** A print Printdeck recorded itself (watching the printer), as the matching sees it. */
export interface RecordedPrint {
  id: number;
  fileName: string | null;
  startedAt: number;
  endedAt: number | null;
}

/** The name a file is known by on both sides: the last path segment, case folded. */
export function sameFileKey(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? name;
  return base.trim().toLowerCase();
}

/**
 * The print of `recorded` (one device's prints that Printdeck watched and nothing was imported into
 * yet) that is this entry of the printer's own history, or null. Names must agree where both are
 * known; times are compared by end where both sides know it (OctoPrint keeps only when a print
 * ended), else by start (a print whose end Printdeck missed, e.g. while it was not running). Of
 * several within the tolerance, the closest wins.
 */
export function matchPastJob(
  entry: PastJob,
  recorded: readonly RecordedPrint[],
  toleranceMs = MATCH_TOLERANCE_MS,
): RecordedPrint | null {
  let best: RecordedPrint | null = null;
  let bestGap = Infinity;
  for (const r of recorded) {
    if (entry.fileName !== null && r.fileName !== null && sameFileKey(entry.fileName) !== sameFileKey(r.fileName))
      continue;
    const gap = timeGap(entry, r);
    if (gap === null || gap > toleranceMs || gap >= bestGap) continue;
    best = r;
    bestGap = gap;
  }
  return best;
}

function timeGap(entry: PastJob, r: RecordedPrint): number | null {
  if (r.endedAt !== null) return Math.abs(entry.endedAt - r.endedAt);
  if (entry.startedAt !== null) return Math.abs(entry.startedAt - r.startedAt);
  return null;
}
