/** SD card replies: `M27` progress and the `M20` listing (`Begin file list` … `End file list`). */

export type SdStatus = { printing: true; printedBytes: number; totalBytes: number } | { printing: false };

/** `SD printing byte 1234/123456` or `Not SD printing`; null for any other line. */
export function parseSdStatus(line: string): SdStatus | null {
  const m = /SD printing byte (\d+)\s*\/\s*(\d+)/i.exec(line);
  if (m) return { printing: true, printedBytes: Number(m[1]), totalBytes: Number(m[2]) };
  return /Not SD printing/i.test(line) ? { printing: false } : null;
}

export interface SdFile {
  /** The 8.3 path the firmware opens with M23 (`CUBE~1.GCO`, `DIR~1/PART.GCO`). */
  dosPath: string;
  size: number | null;
  /** The long name from `M20 L`, when the firmware gives one. */
  longName: string | null;
}

/** One line of a listing: `<dos path> <size>[ 0x<timestamp>][ <long name>]`. */
export function parseSdFileLine(line: string): SdFile | null {
  const m = /^(\S+)(?:\s+(\d+))?(?:\s+0x[0-9a-f]+)?(?:\s+(.+))?$/i.exec(line.trim());
  if (!m) return null;
  return { dosPath: m[1]!, size: m[2] === undefined ? null : Number(m[2]), longName: m[3]?.trim() || null };
}

/** Collects one M20 listing from the lines between its begin and end markers; bounded. */
export class SdListing {
  private files: SdFile[] | null = null;

  constructor(private readonly maxFiles = 1000) {}

  /** Feeds a line; returns the complete listing at `End file list`, else null. */
  push(line: string): SdFile[] | null {
    const text = line.trim();
    if (/^Begin file list/i.test(text)) {
      this.files = [];
      return null;
    }
    if (this.files === null) return null;
    if (/^End file list/i.test(text)) {
      const files = this.files;
      this.files = null;
      return files;
    }
    const file = parseSdFileLine(text);
    if (file && this.files.length < this.maxFiles) this.files.push(file);
    return null;
  }

  get collecting(): boolean {
    return this.files !== null;
  }
}
