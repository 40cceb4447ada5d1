import type { XyzContainer } from '../models';
import { readHeaderSection } from '../threew/header-section';
import { parseHeaderKeys } from '../threew/header-keys';
import { readPreamble } from '../threew/preamble-read';

/** The bytes of one `.3w` to send, read block by block so a large file is never held twice. */
export interface UploadSource {
  /** The name the printer gets: short ASCII ending in `.3w`. */
  readonly name: string;
  readonly size: number;
  readonly container: XyzContainer | null;
  /** `; print_time =` of the file's header in seconds, when it has one (the v2 `M1:` line sends it). */
  readonly estimatedSeconds: number | null;
  read(offset: number, length: number): Promise<Uint8Array>;
  close(): Promise<void>;
}

export function memorySource(name: string, bytes: Uint8Array, container: XyzContainer | null): UploadSource {
  return {
    name,
    size: bytes.length,
    container,
    estimatedSeconds: printTimeOf(bytes),
    read: (offset, length) => Promise.resolve(bytes.subarray(offset, Math.min(bytes.length, offset + length))),
    close: () => Promise.resolve(),
  };
}

/** Reads `print_time` from the header section of a `.3w` (its first 8 KiB suffice); null if unreadable. */
export function printTimeOf(head: Uint8Array): number | null {
  try {
    const header = readHeaderSection(head, readPreamble(head));
    const seconds = Number(parseHeaderKeys(header.text)['print_time']);
    return Number.isFinite(seconds) && seconds >= 0 ? Math.round(seconds) : null;
  } catch {
    return null;
  }
}
