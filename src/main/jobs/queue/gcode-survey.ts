/**
 * What a G-code file says about the printer it was sliced for, read in one pass over pieces (the
 * file is never held whole): the slicer's printer model and nozzle from its comments (PrusaSlicer /
 * SuperSlicer / OrcaSlicer `; printer_model =`, `; nozzle_diameter =`; Cura `;MACHINE_NAME:`,
 * `;NOZZLE_DIAMETER:`/`;MAXX:`), and the largest X/Y/Z the moves reach. Relative moves (G91) make
 * the extents unknown rather than wrong.
 */
export interface GcodeFacts {
  slicerPrinter: string | null;
  nozzleMm: number | null;
  extentsMm: { x: number; y: number; z: number } | null;
}

const MODEL_KEYS = [
  /^;\s*printer_model\s*=\s*(.+)$/i,
  /^;\s*MACHINE_NAME:\s*(.+)$/i,
  /^;\s*printer_settings_id\s*=\s*(.+)$/i,
  /^;\s*machine\s*=\s*(.+)$/i,
];
const NOZZLE_KEYS = [
  /^;\s*nozzle_diameter\s*=\s*([\d.]+)/i,
  /^;\s*NOZZLE_DIAMETER:\s*([\d.]+)/i,
  /^;\s*machine_nozzle_size\s*=\s*([\d.]+)/i,
];
/** Lines longer than this are not G-code; they are skipped, so a binary file cannot grow the carry. */
const MAX_LINE = 4096;

export class GcodeSurvey {
  private carry = '';
  private model: string | null = null;
  private modelRank = MODEL_KEYS.length;
  private nozzle: number | null = null;
  private relative = false;
  private moved = false;
  private max = { x: 0, y: 0, z: 0 };
  private declared: Partial<Record<'x' | 'y' | 'z', number>> = {};

  push(text: string): void {
    const lines = (this.carry + text).split('\n');
    this.carry = lines.pop() ?? '';
    if (this.carry.length > MAX_LINE) this.carry = '';
    for (const line of lines) this.line(line);
  }

  finish(): GcodeFacts {
    if (this.carry) this.line(this.carry);
    this.carry = '';
    const d = this.declared;
    const fromHeader = d.x !== undefined && d.y !== undefined && d.z !== undefined ? { x: d.x, y: d.y, z: d.z } : null;
    const extents = this.relative ? fromHeader : this.moved ? { ...this.max } : fromHeader;
    return { slicerPrinter: this.model, nozzleMm: this.nozzle, extentsMm: extents };
  }

  private line(raw: string): void {
    if (raw.length > MAX_LINE) return;
    const line = raw.trim();
    if (line.startsWith(';')) return this.comment(line);
    const code = line.split(';', 1)[0]!.trim().toUpperCase();
    if (code === '') return;
    if (code.startsWith('G91')) this.relative = true;
    else if (code.startsWith('G90')) this.relative = false;
    else if (/^G0?[01](\s|$)/.test(code) && !this.relative) this.move(code);
  }

  private move(code: string): void {
    for (const m of code.matchAll(/([XYZ])(-?\d+(?:\.\d+)?)/g)) {
      const axis = m[1]!.toLowerCase() as 'x' | 'y' | 'z';
      const value = Number(m[2]);
      if (Number.isFinite(value) && value > this.max[axis]) this.max[axis] = value;
      this.moved = true;
    }
  }

  private comment(line: string): void {
    MODEL_KEYS.forEach((re, rank) => {
      const m = re.exec(line);
      if (m && rank < this.modelRank && m[1]!.trim()) {
        this.model = m[1]!.trim().slice(0, 200);
        this.modelRank = rank;
      }
    });
    for (const re of NOZZLE_KEYS) {
      const m = re.exec(line);
      // PrusaSlicer lists one per extruder ("0.4,0.4"); the first is the one that prints.
      if (m && this.nozzle === null && Number(m[1]) > 0) this.nozzle = Number(m[1]);
    }
    const max = /^;\s*MAX([XYZ]):\s*(-?[\d.]+)/i.exec(line);
    if (max) this.declared[max[1]!.toLowerCase() as 'x' | 'y' | 'z'] = Number(max[2]);
  }
}
