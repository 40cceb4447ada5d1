/**
 * Which printer a G-code file was sliced for, from the comments slicers write. Sans-I/O: text in,
 * a target out. Cura writes `;MACHINE_NAME:` in its header; PrusaSlicer, SuperSlicer and Orca
 * write `; printer_model = ` (and the profile name `; printer_settings_id = `) in the config block
 * at the end; XYZware and Printdeck write `; machine = <file id>` for da Vinci printers.
 */
export interface SlicerTarget {
  /** Who wrote it: what a person recognises, e.g. "Cura", "PrusaSlicer". */
  slicer: string;
  /** The printer as the slicer names it, e.g. "XYZprinting da Vinci Jr. 1.0w", "MK3S". */
  machine: string;
  /** True when `machine` is a da Vinci `.3w` file id (`daVinciJR10W`), not a display name. */
  xyzFileId: boolean;
}

/** How much of each end of a file is looked at: headers sit at the top, PrusaSlicer's config at the bottom. */
export const TARGET_WINDOW_BYTES = 64 * 1024;
const MAX_VALUE = 200;

/** Values that name no printer (Cura's default, empty PrusaSlicer models). */
const NO_MACHINE = new Set(['', 'unknown', 'custom', 'custom fff printer']);

export function slicerTarget(head: string, tail = ''): SlicerTarget | null {
  const text = tail ? `${head}\n${tail}` : head;
  const cura = valueOf(text, /^;[ \t]*MACHINE_NAME[ \t]*:[ \t]*(.*)$/m);
  if (cura) return { slicer: 'Cura', machine: cura, xyzFileId: false };
  const model = valueOf(text, /^;[ \t]*printer_model[ \t]*=[ \t]*(.*)$/m);
  if (model) {
    const slicer = /PrusaSlicer/i.test(text) ? 'PrusaSlicer' : /SuperSlicer/i.test(text) ? 'SuperSlicer' : /OrcaSlicer/i.test(text) ? 'OrcaSlicer' : 'the slicer';
    return { slicer, machine: model, xyzFileId: false };
  }
  const profile = valueOf(text, /^;[ \t]*printer_settings_id[ \t]*=[ \t]*(.*)$/m);
  if (profile) return { slicer: /PrusaSlicer/i.test(text) ? 'PrusaSlicer' : 'the slicer', machine: profile, xyzFileId: false };
  const xyz = valueOf(text, /^;[ \t]*machine[ \t]*=[ \t]*(.*)$/m);
  if (xyz) return { slicer: 'XYZware', machine: xyz, xyzFileId: true };
  return null;
}

function valueOf(text: string, pattern: RegExp): string | null {
  const m = pattern.exec(text);
  if (!m) return null;
  const value = (m[1] ?? '').trim().replace(/^"(.*)"$/, '$1').slice(0, MAX_VALUE);
  return NO_MACHINE.has(value.toLowerCase()) ? null : value;
}

/** Vendor words slicers put before a model name that the printer does not report. */
const VENDOR_WORDS = new Set(['xyzprinting', 'xyz', 'printing', 'original', 'the']);

/** "XYZprinting da Vinci Jr. 1.0w" and "da Vinci Jr. 1.0w" are the same model; "da Vinci Jr. 1.0" is not. */
export function sameModelName(a: string, b: string): boolean {
  return words(a) === words(b);
}

function words(name: string): string {
  return name
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w && !VENDOR_WORDS.has(w))
    .join(' ');
}
