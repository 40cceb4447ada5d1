import { ThreeWError } from './errors';
import { isRequiredHeaderKey, parseHeaderLine } from './header-keys';
import type { RequiredHeaderKey } from './header-keys';

const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;
const SEMICOLON = 0x3b;

/**
 * Longest leading line read as a possible `; key = value`; a longer comment line is kept as it is.
 * It bounds what one line may hold in memory while the G-code streams by.
 */
export const MAX_HEADER_LINE = 64 * 1024;

type LineKind = 'blank' | 'comment' | 'code';

function kindAfter(kind: LineKind, bytes: Uint8Array, from: number, to: number): LineKind {
  if (kind !== 'blank') return kind;
  for (let i = from; i < to; i++) {
    const byte = bytes[i];
    if (byte === SPACE || byte === TAB || byte === CR || byte === LF) continue;
    return byte === SEMICOLON ? 'comment' : 'code';
  }
  return 'blank';
}

/** The slicer's copy of a required key: the converter writes its own and drops this line. */
function headerKeyOf(line: Buffer): [RequiredHeaderKey, string] | undefined {
  const pair = parseHeaderLine(line.toString('utf8'));
  return pair && isRequiredHeaderKey(pair[0]) ? [pair[0], pair[1]] : undefined;
}

export interface LeadingBlockSink {
  /** Bytes of the block that stay in the processed G-code. */
  kept(bytes: Buffer): void;
  /** A required key line of the slicer's, left out of the processed G-code. */
  dropped(key: RequiredHeaderKey, value: string, length: number): void;
}

/**
 * Splits the leading block of comment and blank lines (XYZprint's header) off G-code
 * that arrives in pieces of any size. Lines are held only up to `MAX_HEADER_LINE`; a longer
 * comment line streams through as kept text.
 */
export class LeadingBlockSplitter {
  /** Source bytes that belong to the block so far. */
  length = 0;
  ended = false;
  private line: Buffer[] = [];
  private lineLength = 0;
  private kind: LineKind = 'blank';
  /** The current line is a long comment already passed on. */
  private streaming = false;

  constructor(private readonly sink: LeadingBlockSink) {}

  /** Takes the next bytes; returns what follows the block (the code starting with its first line), or null. */
  push(chunk: Buffer): Buffer | null {
    let at = 0;
    while (at < chunk.length && !this.ended) {
      const newline = chunk.indexOf(LF, at);
      const end = newline < 0 ? chunk.length : newline + 1;
      this.kind = kindAfter(this.kind, chunk, at, end);
      if (this.kind === 'code') return this.endBlock(chunk.subarray(at));
      this.take(chunk.subarray(at, end));
      if (newline >= 0) this.endLine();
      at = end;
    }
    return null;
  }

  /** End of input: a last line without a line end is judged like the others. */
  finish(): Buffer | null {
    if (this.ended) return null;
    if (this.kind === 'code') return this.endBlock(Buffer.alloc(0));
    this.endLine();
    this.ended = true;
    return null;
  }

  private take(piece: Buffer): void {
    if (this.streaming) {
      this.pass(piece);
      return;
    }
    // A copy: the caller may reuse its buffer once this piece has been taken.
    this.line.push(Buffer.from(piece));
    this.lineLength += piece.length;
    if (this.lineLength <= MAX_HEADER_LINE) return;
    // Whitespace alone cannot be judged until the line shows what it is, and is not worth holding.
    if (this.kind === 'blank') {
      throw new ThreeWError('BAD_GCODE', `the G-code starts with a line of more than ${MAX_HEADER_LINE} blanks`);
    }
    this.streaming = true;
    const held = Buffer.concat(this.line);
    this.line = [];
    this.lineLength = 0;
    this.pass(held);
  }

  private pass(bytes: Buffer): void {
    this.length += bytes.length;
    this.sink.kept(bytes);
  }

  private endLine(): void {
    if (!this.streaming && this.lineLength > 0) {
      const line = Buffer.concat(this.line);
      const key = this.kind === 'comment' ? headerKeyOf(line) : undefined;
      if (key) {
        this.length += line.length;
        this.sink.dropped(key[0], key[1], line.length);
      } else {
        this.pass(line);
      }
    }
    this.line = [];
    this.lineLength = 0;
    this.kind = 'blank';
    this.streaming = false;
  }

  private endBlock(rest: Buffer): Buffer {
    this.ended = true;
    const held = this.line;
    this.line = [];
    this.lineLength = 0;
    return held.length === 0 ? rest : Buffer.concat([...held, rest]);
  }
}
