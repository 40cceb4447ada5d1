/**
 * Derives the values of the XYZ header keys from what common slicers write (Cura, Slic3r,
 * PrusaSlicer), for G-code that does not already carry an XYZ header (spec §4.5).
 */

export interface SlicerMetadata {
  printTimeSeconds?: number;
  totalLayers?: number;
  totalFilamentMm?: number;
}

// Slicers write their summary at the top (Cura) or the bottom (Slic3r, PrusaSlicer). Searching only
// these windows keeps a missing marker from costing a scan of the whole file.
const SEARCH_WINDOW = 64 * 1024;

function searchWindows(gcode: Buffer): Buffer[] {
  if (gcode.length <= 2 * SEARCH_WINDOW) return [gcode];
  return [gcode.subarray(0, SEARCH_WINDOW), gcode.subarray(gcode.length - SEARCH_WINDOW)];
}

/** Text after `marker` up to the end of its line, or undefined when the marker is absent. */
function restOfLineAfter(gcode: Buffer, marker: string): string | undefined {
  for (const window of searchWindows(gcode)) {
    const at = window.indexOf(marker);
    if (at < 0) continue;
    const start = window.byteOffset - gcode.byteOffset + at + marker.length;
    const newline = gcode.indexOf(0x0a, start);
    // Metadata values are short; bounding the slice keeps a pathological file from costing a big copy.
    const end = Math.min(newline < 0 ? gcode.length : newline, start + 200);
    return gcode.toString('latin1', start, end).trim();
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

function countOccurrences(gcode: Buffer, marker: string): number {
  let count = 0;
  for (let at = gcode.indexOf(marker); at >= 0; at = gcode.indexOf(marker, at + marker.length)) count++;
  return count;
}

export function readSlicerMetadata(gcode: Buffer): SlicerMetadata {
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
    const layerChanges = countOccurrences(gcode, ';LAYER_CHANGE');
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
