import { DEFAULT_HEADER_VERSION, isRequiredHeaderKey, parseHeaderLine, REQUIRED_HEADER_KEYS } from './header-keys';
import type { RequiredHeaderKey } from './header-keys';
import { rewriteG0AsG1 } from './g0-to-g1';
import { readSlicerMetadata } from './slicer-metadata';

/** Overrides for the mandatory keys; `machine` is not here because it always comes from the model. */
export type HeaderValueOverrides = Partial<Record<Exclude<RequiredHeaderKey, 'machine'>, string | number>>;

export interface PreparedGcode {
  /** The processed G-code: the body's plaintext before padding. */
  gcode: Buffer;
  /** Length of its leading block of comment and blank lines (XYZprint's header). */
  leadingCommentLength: number;
}

const LF = 0x0a;
const CR = 0x0d;
const UTF8_BOM = [0xef, 0xbb, 0xbf];

function asBuffer(input: Uint8Array | string): Buffer {
  if (typeof input === 'string') return Buffer.from(input, 'utf8');
  // A view, not a copy: the input is only read.
  return Buffer.from(input.buffer, input.byteOffset, input.byteLength);
}

function skipBom(source: Buffer): Buffer {
  const hasBom = UTF8_BOM.every((byte, i) => source[i] === byte);
  return hasBom ? source.subarray(UTF8_BOM.length) : source;
}

function detectLineEnding(source: Buffer): string {
  const newline = source.indexOf(LF);
  return newline > 0 && source[newline - 1] === CR ? '\r\n' : '\n';
}

interface LeadingBlock {
  end: number;
  /** Byte ranges of the block to keep, i.e. without the slicer's own copies of the required keys. */
  keptRanges: Array<[number, number]>;
  existing: Partial<Record<RequiredHeaderKey, string>>;
}

function isBlankOrComment(source: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const byte = source[i];
    if (byte === 0x20 || byte === 0x09 || byte === CR || byte === LF) continue;
    return byte === 0x3b; // ';'
  }
  return true;
}

function scanLeadingBlock(source: Buffer): LeadingBlock {
  const keptRanges: Array<[number, number]> = [];
  const existing: Partial<Record<RequiredHeaderKey, string>> = {};
  let start = 0;
  while (start < source.length) {
    const newline = source.indexOf(LF, start);
    const end = newline < 0 ? source.length : newline + 1;
    if (!isBlankOrComment(source, start, end)) break;
    const pair = parseHeaderLine(source.toString('utf8', start, end));
    if (pair && isRequiredHeaderKey(pair[0])) {
      existing[pair[0]] ??= pair[1];
    } else {
      const last = keptRanges[keptRanges.length - 1];
      if (last && last[1] === start) last[1] = end;
      else keptRanges.push([start, end]);
    }
    start = end;
  }
  return { end: start, keptRanges, existing };
}

function oneLine(value: string | number): string {
  return String(value)
    .replace(/[\r\n]+/g, ' ')
    .trim();
}

function resolveHeaderValues(
  source: Buffer,
  existing: Partial<Record<RequiredHeaderKey, string>>,
  machine: string,
  overrides: HeaderValueOverrides,
): Record<RequiredHeaderKey, string> {
  const needsSlicerData =
    (overrides.print_time === undefined && existing.print_time === undefined) ||
    (overrides.total_layers === undefined && existing.total_layers === undefined) ||
    (overrides.total_filament === undefined && existing.total_filament === undefined);
  const slicer = needsSlicerData ? readSlicerMetadata(source) : {};
  const pick = (key: Exclude<RequiredHeaderKey, 'machine'>, derived: () => string): string => {
    const override = overrides[key];
    if (override !== undefined) {
      return key === 'total_filament' && typeof override === 'number' ? override.toFixed(2) : oneLine(override);
    }
    return existing[key] ?? derived();
  };
  return {
    filename: pick('filename', () => 'print.3w'),
    print_time: pick('print_time', () => String(slicer.printTimeSeconds ?? 0)),
    machine,
    facets: pick('facets', () => '0'),
    total_layers: pick('total_layers', () => String(slicer.totalLayers ?? 0)),
    version: pick('version', () => DEFAULT_HEADER_VERSION),
    total_filament: pick('total_filament', () => (slicer.totalFilamentMm ?? 0).toFixed(2)),
  };
}

/**
 * Turns slicer G-code into what goes into a `.3w` body (spec §4.5): the seven required header keys
 * first (the slicer's own copies removed from its leading comment block), then the rest unchanged
 * except `G0` → `G1`. G-code that already has an XYZ header in the right order comes out byte-identical.
 */
export function prepareGcode(
  input: Uint8Array | string,
  machine: string,
  overrides: HeaderValueOverrides = {},
): PreparedGcode {
  const source = skipBom(asBuffer(input));
  const block = scanLeadingBlock(source);
  const values = resolveHeaderValues(source, block.existing, oneLine(machine), overrides);
  const eol = detectLineEnding(source);
  const keyLines = Buffer.from(REQUIRED_HEADER_KEYS.map((key) => `; ${key} = ${values[key]}${eol}`).join(''), 'utf8');

  const keptBlockLength = block.keptRanges.reduce((sum, [from, to]) => sum + (to - from), 0);
  const leadingCommentLength = keyLines.length + keptBlockLength;
  const gcode = Buffer.allocUnsafe(leadingCommentLength + (source.length - block.end));
  let at = keyLines.copy(gcode, 0);
  for (const [from, to] of block.keptRanges) at += source.copy(gcode, at, from, to);
  source.copy(gcode, at, block.end);

  rewriteG0AsG1(gcode, leadingCommentLength);
  return { gcode, leadingCommentLength };
}
