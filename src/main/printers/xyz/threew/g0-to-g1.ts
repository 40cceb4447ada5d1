const CHAR_0 = 0x30;
const CHAR_1 = 0x31;
const CHAR_9 = 0x39;
const DOT = 0x2e;
const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;

function isDigit(byte: number | undefined): boolean {
  return byte !== undefined && byte >= CHAR_0 && byte <= CHAR_9;
}

/** Index of the first non-blank byte before `at` on its line, walking backwards; -1 at line start. */
function previousNonBlank(gcode: Uint8Array, at: number): number {
  let i = at - 1;
  while (i >= 0 && (gcode[i] === SPACE || gcode[i] === TAB)) i--;
  return i < 0 || gcode[i] === LF ? -1 : i;
}

/** True when the word at `at` is the first command of its line, optionally after an `N123` line number. */
function isCommandPosition(gcode: Uint8Array, at: number): boolean {
  let i = previousNonBlank(gcode, at);
  if (i < 0) return true;
  if (!isDigit(gcode[i])) return false;
  while (i >= 0 && isDigit(gcode[i])) i--;
  if (i < 0 || (gcode[i] !== 0x4e && gcode[i] !== 0x6e)) return false; // N / n
  return previousNonBlank(gcode, i) < 0;
}

/**
 * Rewrites every `G0` (also `G00`, `g0`) command to `G1` in place, because XYZ firmware does not
 * support G0 (spec §4.5). Same length, so no copy is needed. Returns how many were rewritten.
 * Works with native `indexOf` so the scan stays fast on large files.
 */
export function rewriteG0AsG1(gcode: Buffer, from = 0): number {
  let rewritten = 0;
  for (const pattern of ['G0', 'g0']) {
    for (let at = gcode.indexOf(pattern, from, 'latin1'); at >= 0;) {
      let end = at + 1;
      while (gcode[end] === CHAR_0) end++;
      const next = gcode[end];
      // `G01`, `G0.5` etc. are other words; only a bare run of zeros is the rapid-move command.
      if (!isDigit(next) && next !== DOT && isCommandPosition(gcode, at)) {
        gcode[end - 1] = CHAR_1;
        rewritten++;
      }
      at = gcode.indexOf(pattern, end, 'latin1');
    }
  }
  return rewritten;
}
