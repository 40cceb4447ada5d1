import { DEFAULT_HEADER_VERSION, REQUIRED_HEADER_KEYS } from './header-keys';
import type { RequiredHeaderKey } from './header-keys';
import { ThreeWError } from './errors';
import { G0Rewriter } from './g0-to-g1';
import { LeadingBlockSplitter } from './leading-block';
import {
  countLayerChanges,
  LAYER_CHANGE_MARKER,
  MAX_VALUE_LENGTH,
  readSlicerMetadata,
  SEARCH_WINDOW,
  type SearchWindow,
  type SlicerText,
} from './slicer-metadata';

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
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

function asBuffer(input: Uint8Array | string): Buffer {
  if (typeof input === 'string') return Buffer.from(input, 'utf8');
  // A view, not a copy: the input is only read.
  return Buffer.from(input.buffer, input.byteOffset, input.byteLength);
}

/** Drops a UTF-8 byte-order mark from the front of G-code that arrives in pieces. */
class BomSkipper {
  private head: Buffer | null = Buffer.alloc(0);

  push(chunk: Buffer): Buffer {
    if (this.head === null) return chunk;
    const joined = this.head.length === 0 ? chunk : Buffer.concat([this.head, chunk]);
    if (joined.length < UTF8_BOM.length && UTF8_BOM.subarray(0, joined.length).equals(joined)) {
      this.head = Buffer.from(joined);
      return Buffer.alloc(0);
    }
    this.head = null;
    return joined.subarray(0, UTF8_BOM.length).equals(UTF8_BOM) ? joined.subarray(UTF8_BOM.length) : joined;
  }

  /** A file shorter than a mark that starts like one is just text. */
  finish(): Buffer {
    const rest = this.head ?? Buffer.alloc(0);
    this.head = null;
    return rest;
  }
}

/** What one pass over the source tells before the processed G-code can be written. */
export interface GcodeSurvey {
  /** Bytes after a byte-order mark. */
  sourceLength: number;
  /** The slicer's own values of the required keys in its leading comment block. */
  existing: Partial<Record<RequiredHeaderKey, string>>;
  /** Bytes of that block that stay (all but the slicer's copies of the required keys). */
  keptBlockLength: number;
  droppedLength: number;
  eol: string;
  slicer: SlicerText;
}

/** Pass one over G-code in pieces: leading block, line ending, both ends for metadata, layer marks. */
export class GcodeSurveyor {
  private readonly bom = new BomSkipper();
  private readonly existing: Partial<Record<RequiredHeaderKey, string>> = {};
  private keptBlockLength = 0;
  private droppedLength = 0;
  private readonly block = new LeadingBlockSplitter({
    kept: (bytes) => (this.keptBlockLength += bytes.length),
    dropped: (key, value, length) => {
      this.existing[key] ??= value;
      this.droppedLength += length;
    },
  });
  private length = 0;
  private eol: string | null = null;
  private lastByte: number | undefined;
  private head: Buffer[] = [];
  private headLength = 0;
  /** The last `SEARCH_WINDOW` bytes so far, as a ring: `tailEnd` is where the next byte goes. */
  private readonly tail = Buffer.alloc(SEARCH_WINDOW);
  private tailEnd = 0;
  private layerChanges = 0;
  private markerCarry = Buffer.alloc(0);

  push(chunk: Uint8Array): void {
    this.take(this.bom.push(asBuffer(chunk)));
  }

  finish(): GcodeSurvey {
    this.take(this.bom.finish());
    this.block.finish();
    const head = Buffer.concat(this.head);
    const tail = Buffer.concat([this.tail.subarray(this.tailEnd), this.tail.subarray(0, this.tailEnd)]);
    const windows: SearchWindow[] =
      this.length <= 2 * SEARCH_WINDOW
        ? [{ bytes: head, searchEnd: head.length }]
        : [
            { bytes: head.subarray(0, SEARCH_WINDOW + MAX_VALUE_LENGTH), searchEnd: SEARCH_WINDOW },
            { bytes: tail.subarray(tail.length - SEARCH_WINDOW), searchEnd: SEARCH_WINDOW },
          ];
    const layerChanges = this.layerChanges;
    return {
      sourceLength: this.length,
      existing: this.existing,
      keptBlockLength: this.keptBlockLength,
      droppedLength: this.droppedLength,
      eol: this.eol ?? '\n',
      slicer: { windows, layerChanges: () => layerChanges },
    };
  }

  private take(bytes: Buffer): void {
    if (bytes.length === 0) return;
    if (!this.block.ended) this.block.push(bytes);
    if (this.eol === null) {
      const newline = bytes.indexOf(LF);
      if (newline >= 0) {
        const before = newline > 0 ? bytes[newline - 1] : this.lastByte;
        this.eol = this.length + newline > 0 && before === CR ? '\r\n' : '\n';
      }
    }
    this.lastByte = bytes[bytes.length - 1];
    this.length += bytes.length;
    this.keepEnds(bytes);
    this.countLayerMarks(bytes);
  }

  private keepEnds(bytes: Buffer): void {
    if (this.headLength < 2 * SEARCH_WINDOW) {
      const part = bytes.subarray(0, 2 * SEARCH_WINDOW - this.headLength);
      this.head.push(Buffer.from(part));
      this.headLength += part.length;
    }
    // Copied into a fixed ring, so a pass over a large file keeps nothing of the caller's pieces.
    let last = bytes.subarray(Math.max(0, bytes.length - SEARCH_WINDOW));
    while (last.length > 0) {
      const copied = last.copy(this.tail, this.tailEnd, 0, Math.min(last.length, SEARCH_WINDOW - this.tailEnd));
      this.tailEnd = (this.tailEnd + copied) % SEARCH_WINDOW;
      last = last.subarray(copied);
    }
  }

  private countLayerMarks(bytes: Buffer): void {
    // Marks cut by a piece boundary: the carry is shorter than a mark, so each is counted once.
    const overlap = LAYER_CHANGE_MARKER.length - 1;
    if (this.markerCarry.length > 0) {
      this.layerChanges += countLayerChanges(Buffer.concat([this.markerCarry, bytes.subarray(0, overlap)]));
    }
    this.layerChanges += countLayerChanges(bytes);
    const carry = bytes.length >= overlap ? bytes.subarray(bytes.length - overlap) : Buffer.concat([this.markerCarry, bytes]);
    this.markerCarry = Buffer.from(carry.subarray(Math.max(0, carry.length - overlap)));
  }
}

/** How the processed G-code begins and how long it is, decided before any of it is written. */
export interface GcodePlan {
  keyLines: Buffer;
  leadingCommentLength: number;
  /** Bytes of processed G-code. */
  length: number;
  sourceLength: number;
}

function oneLine(value: string | number): string {
  return String(value)
    .replace(/[\r\n]+/g, ' ')
    .trim();
}

function resolveHeaderValues(
  slicerText: SlicerText,
  existing: Partial<Record<RequiredHeaderKey, string>>,
  machine: string,
  overrides: HeaderValueOverrides,
): Record<RequiredHeaderKey, string> {
  const needsSlicerData =
    (overrides.print_time === undefined && existing.print_time === undefined) ||
    (overrides.total_layers === undefined && existing.total_layers === undefined) ||
    (overrides.total_filament === undefined && existing.total_filament === undefined);
  const slicer = needsSlicerData ? readSlicerMetadata(slicerText) : {};
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

export function planGcode(survey: GcodeSurvey, machine: string, overrides: HeaderValueOverrides = {}): GcodePlan {
  const values = resolveHeaderValues(survey.slicer, survey.existing, oneLine(machine), overrides);
  const keyLines = Buffer.from(REQUIRED_HEADER_KEYS.map((key) => `; ${key} = ${values[key]}${survey.eol}`).join(''), 'utf8');
  return {
    keyLines,
    leadingCommentLength: keyLines.length + survey.keptBlockLength,
    length: keyLines.length + survey.sourceLength - survey.droppedLength,
    sourceLength: survey.sourceLength,
  };
}

/**
 * Pass two (and three) over the same source: writes the processed G-code of `plan` in pieces. The
 * leading block is copied without the slicer's key lines, the rest has `G0` rewritten to `G1`.
 */
export class GcodeConverter {
  private readonly bom = new BomSkipper();
  private readonly block: LeadingBlockSplitter;
  private readonly rewriter: G0Rewriter;
  private length = 0;

  constructor(
    private readonly plan: GcodePlan,
    out: (bytes: Buffer) => void,
  ) {
    out(plan.keyLines);
    this.block = new LeadingBlockSplitter({ kept: out, dropped: () => undefined });
    this.rewriter = new G0Rewriter(out);
  }

  push(chunk: Uint8Array): void {
    this.take(this.bom.push(asBuffer(chunk)));
  }

  finish(): void {
    this.take(this.bom.finish());
    const rest = this.block.finish();
    if (rest) this.rewriter.push(rest);
    this.rewriter.finish();
    if (this.length !== this.plan.sourceLength) {
      throw new ThreeWError('INPUT_CHANGED', `the G-code changed while it was converted (${this.plan.sourceLength} bytes, now ${this.length})`);
    }
  }

  private take(bytes: Buffer): void {
    this.length += bytes.length;
    if (this.length > this.plan.sourceLength) {
      throw new ThreeWError('INPUT_CHANGED', `the G-code grew while it was converted (${this.plan.sourceLength} bytes before)`);
    }
    if (this.block.ended) {
      this.rewriter.push(bytes);
      return;
    }
    const rest = this.block.push(bytes);
    if (rest) this.rewriter.push(rest);
  }
}

/**
 * Turns slicer G-code into what goes into a `.3w` body: the seven required header keys
 * first (the slicer's own copies removed from its leading comment block), then the rest unchanged
 * except `G0` → `G1`. G-code that already has an XYZ header in the right order comes out byte-identical.
 * The same passes as for a file streamed from disk, over bytes already in memory.
 */
export function prepareGcode(
  input: Uint8Array | string,
  machine: string,
  overrides: HeaderValueOverrides = {},
): PreparedGcode {
  const source = asBuffer(input);
  const surveyor = new GcodeSurveyor();
  surveyor.push(source);
  const plan = planGcode(surveyor.finish(), machine, overrides);
  const gcode = Buffer.allocUnsafe(plan.length);
  let at = 0;
  const converter = new GcodeConverter(plan, (bytes) => (at += bytes.copy(gcode, at)));
  converter.push(source);
  converter.finish();
  return { gcode, leadingCommentLength: plan.leadingCommentLength };
}
