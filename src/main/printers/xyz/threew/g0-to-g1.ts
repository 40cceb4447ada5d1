import { ThreeWError } from './errors';

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
 * support G0. Same length, so no copy is needed. Returns how many were rewritten.
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

/** Longest stretch the streaming rewriter holds while looking for a place where it may cut. */
export const MAX_G0_CONTEXT = 64 * 1024;

// Whether a `G0` is rewritten depends on its line before it (blanks, an `N123`) and on the zeros
// and the byte after it, so a cut is safe after a line end or after a byte that is none of those.
function isSafeCutAfter(byte: number | undefined): boolean {
  if (byte === undefined || byte === LF) return true;
  if (byte === SPACE || byte === TAB || isDigit(byte) || byte === DOT) return false;
  return byte !== 0x47 && byte !== 0x67 && byte !== 0x4e && byte !== 0x6e; // G g N n
}

/**
 * `rewriteG0AsG1` for G-code that arrives in pieces: it cuts only where the result cannot depend on
 * what lies across the cut, so the output is the same as rewriting the whole text at once, and it
 * holds at most `MAX_G0_CONTEXT` bytes (plus the piece being added). The rewrite happens in one
 * work buffer used again for every piece, so bytes given to `out` are valid only during the call.
 */
export class G0Rewriter {
  private work: Buffer = Buffer.alloc(0);
  /** Bytes of `work` not passed on yet (with the context byte). */
  private length = 0;
  /** 1 when `work[0]` is the last byte already passed on, kept so the next line start is not guessed. */
  private context = 0;

  constructor(private readonly out: (bytes: Buffer) => void) {}

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    // Copied, since the rewrite is in place and the caller's bytes are only read.
    const need = this.length + chunk.length;
    if (this.work.length < need) {
      const bigger = Buffer.allocUnsafe(Math.max(need, 2 * this.work.length));
      this.work.copy(bigger, 0, 0, this.length);
      this.work = bigger;
    }
    this.work.set(chunk, this.length);
    this.length = need;
    const pending = this.work.subarray(0, this.length);
    const lastLineEnd = pending.lastIndexOf(LF);
    if (lastLineEnd >= this.context) {
      this.emit(lastLineEnd + 1, false);
      return;
    }
    if (pending.length <= MAX_G0_CONTEXT) return;
    let cut = pending.length - 1;
    while (cut >= this.context && !isSafeCutAfter(pending[cut])) cut--;
    if (cut < this.context) {
      throw new ThreeWError('BAD_GCODE', `the G-code has a run of more than ${MAX_G0_CONTEXT} bytes of digits and blanks without a line end`);
    }
    this.emit(cut + 1, true);
  }

  finish(): void {
    this.emit(this.length, false);
  }

  private emit(end: number, keepContext: boolean): void {
    const part = this.work.subarray(0, end);
    rewriteG0AsG1(part, this.context);
    if (end > this.context) this.out(part.subarray(this.context));
    const from = keepContext ? end - 1 : end;
    this.work.copy(this.work, 0, from, this.length);
    this.length -= from;
    this.context = keepContext ? 1 : 0;
  }
}
