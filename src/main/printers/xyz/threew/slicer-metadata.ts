/**
 * Derives the values of the XYZ header keys from what common slicers write (Cura, Slic3r,
 * PrusaSlicer), for G-code that does not already carry an XYZ header.
 */

export interface SlicerMetadata {
  printTimeSeconds?: number;
  totalLayers?: number;
  totalFilamentMm?: number;
}

// Slicers write their summary at the top (Cura) or the bottom (Slic3r, PrusaSlicer). Searching only
// these windows keeps a missing marker from costing a scan of the whole file.
export const SEARCH_WINDOW = 64 * 1024;
/** Metadata values are short; bounding them keeps a pathological file from costing a big copy. */
export const MAX_VALUE_LENGTH = 200;

/** Where markers are looked for: `bytes[0, searchEnd)`; the value after a marker may run on to `bytes.length`. */
export interface SearchWindow {
  bytes: Buffer;
  searchEnd: number;
}

/** What the metadata is read from, so that a file streamed by needs to keep only its two ends. */
export interface SlicerText {
  /** The whole text when it is short, else its first and its last `SEARCH_WINDOW` bytes, in that order. */
  windows: SearchWindow[];
  /** `;LAYER_CHANGE` markers in the whole text; asked for only when no layer count is written. */
  layerChanges(): number;
}

export const LAYER_CHANGE_MARKER = ';LAYER_CHANGE';

/** The windows of G-code held in memory. */
export function searchWindows(gcode: Buffer): SearchWindow[] {
  if (gcode.length <= 2 * SEARCH_WINDOW) return [{ bytes: gcode, searchEnd: gcode.length }];
  return [
    { bytes: gcode.subarray(0, SEARCH_WINDOW + MAX_VALUE_LENGTH), searchEnd: SEARCH_WINDOW },
    { bytes: gcode.subarray(gcode.length - SEARCH_WINDOW), searchEnd: SEARCH_WINDOW },
  ];
}

/** Text after `marker` up to the end of its line, or undefined when the marker is absent. */
function restOfLineAfter(text: SlicerText, marker: string): string | undefined {
  for (const { bytes, searchEnd } of text.windows) {
    const at = bytes.subarray(0, searchEnd).indexOf(marker);
    if (at < 0) continue;
    const start = at + marker.length;
    const newline = bytes.indexOf(0x0a, start);
    const end = Math.min(newline < 0 ? bytes.length : newline, start + MAX_VALUE_LENGTH);
    return bytes.toString('latin1', start, end).trim();
  }
  return undefined;
}

function firstNumber(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const match = /-?\d+(?:\.\d+)?/.exec(text);
  if (!match) return undefined;
  const value = Number(match[0]);
  return Number.isFinite(value) ? value : undefined;
}

/** PrusaSlicer writes durations like `1d 2h 3m 4s`. */
function parseDuration(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const units: Record<string, number> = { d: 86400, h: 3600, m: 60, s: 1 };
  let total = 0;
  let matched = false;
  for (const part of text.matchAll(/(\d+)\s*([dhms])/g)) {
    const count = Number(part[1]);
    const unit = units[part[2] ?? ''] ?? 0;
    total += count * unit;
    matched = true;
  }
  return matched ? total : undefined;
}

/** Occurrences of `;LAYER_CHANGE` (it cannot overlap itself). */
export function countLayerChanges(gcode: Buffer): number {
  let count = 0;
  for (let at = gcode.indexOf(LAYER_CHANGE_MARKER); at >= 0; at = gcode.indexOf(LAYER_CHANGE_MARKER, at + LAYER_CHANGE_MARKER.length)) count++;
  return count;
}

export function readSlicerMetadata(gcode: SlicerText): SlicerMetadata {
  const metadata: SlicerMetadata = {};

  const printTime =
    firstNumber(restOfLineAfter(gcode, ';TIME:')) ??
    parseDuration(restOfLineAfter(gcode, '; estimated printing time (normal mode) ='));
  if (printTime !== undefined) metadata.printTimeSeconds = Math.round(printTime);

  const layerCount =
    firstNumber(restOfLineAfter(gcode, ';LAYER_COUNT:')) ??
    firstNumber(restOfLineAfter(gcode, '; total layers count ='));
  if (layerCount !== undefined) metadata.totalLayers = Math.round(layerCount);
  else {
    // Last resort, the only full scan: older PrusaSlicer marks each layer but writes no count.
    const layerChanges = gcode.layerChanges();
    if (layerChanges > 0) metadata.totalLayers = layerChanges;
  }

  // Cura reports metres, Slic3r and PrusaSlicer millimetres.
  const curaMetres = firstNumber(restOfLineAfter(gcode, ';Filament used:'));
  const slicerMm =
    firstNumber(restOfLineAfter(gcode, '; filament used [mm] =')) ??
    firstNumber(restOfLineAfter(gcode, '; filament used ='));
  if (curaMetres !== undefined) metadata.totalFilamentMm = curaMetres * 1000;
  else if (slicerMm !== undefined) metadata.totalFilamentMm = slicerMm;

  return metadata;
}
