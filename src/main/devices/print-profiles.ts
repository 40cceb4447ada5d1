import { open } from 'node:fs/promises';
import path from 'node:path';
import type { DeviceStatus, PrinterFamily } from '../../shared/contract';

/** What a printer can take, as its family knows it; null fields are unknown, never guessed. */
export interface PrinterProfile {
  /** File formats the family prints (a da Vinci converts G-code to `.3w` on the way). */
  formats: readonly PrintFormat[];
  /** The `.3w` machine ids (`; machine =`) the printer accepts; null when the family has no `.3w`. */
  machineIds: readonly string[] | null;
  buildVolumeMm: { x: number; y: number; z: number } | null;
  nozzleMm: number | null;
}

export type PrintFormat = 'gcode' | '3w';

/** What a print file says about the printer it was made for. */
export interface PrintFileFacts {
  format: PrintFormat;
  /** `.3w`: the header's `; machine =`. */
  machineId: string | null;
  /** G-code: the slicer's printer model, as written in its header or settings block. */
  slicerPrinter: string | null;
  nozzleMm: number | null;
  /** The largest coordinate each axis reaches, from the moves; null when not read. */
  extentsMm: { x: number; y: number; z: number } | null;
}

export type ProfileReader = (status: DeviceStatus) => PrinterProfile | null;
/** Reads what a family's own format says (e.g. a `.3w` header); the first 8 KiB of the file. */
export type FileFactsReader = (head: Uint8Array) => Partial<PrintFileFacts>;

const HEAD_BYTES = 8 * 1024;

/**
 * Families say what their printers can print (model table, build volume) and how to read their
 * own file formats, so the print queue can route a job without importing any family: the printers
 * domain registers the da Vinci table here, as it registers drivers with the fleet.
 */
export class PrintProfiles {
  private readonly profiles = new Map<PrinterFamily, ProfileReader>();
  private readonly readers = new Map<PrintFormat, FileFactsReader>();
  private readonly deviceReaders: ProfileReader[] = [];

  registerFamily(family: PrinterFamily, reader: ProfileReader): void {
    this.profiles.set(family, reader);
  }

  /**
   * Profiles known per device rather than per family (another site's printer, whose host publishes
   * its profile): asked first, a null falls back to the family's table.
   */
  registerDeviceProfiles(reader: ProfileReader): void {
    this.deviceReaders.push(reader);
  }

  registerFileReader(format: PrintFormat, reader: FileFactsReader): void {
    this.readers.set(format, reader);
  }

  /** The family's profile, or a G-code-only profile with nothing known for families that registered none. */
  profileOf(status: DeviceStatus): PrinterProfile {
    for (const byDevice of this.deviceReaders) {
      const known = byDevice(status);
      if (known) return known;
    }
    const reader = this.profiles.get(status.family);
    return reader?.(status) ?? { formats: ['gcode'], machineIds: null, buildVolumeMm: null, nozzleMm: null };
  }

  /** The facts a family reader finds in the file's head, for formats a family registered. */
  async readFormatFacts(file: string, format: PrintFormat): Promise<Partial<PrintFileFacts>> {
    const reader = this.readers.get(format);
    if (!reader) return {};
    const handle = await open(file, 'r');
    try {
      const head = Buffer.alloc(HEAD_BYTES);
      const { bytesRead } = await handle.read(head, 0, HEAD_BYTES, 0);
      return reader(head.subarray(0, bytesRead));
    } finally {
      await handle.close();
    }
  }
}

export function formatOf(fileName: string): PrintFormat | null {
  const ext = path.extname(fileName).toLowerCase();
  if (ext === '.3w') return '3w';
  if (ext === '.gcode' || ext === '.gco' || ext === '.g') return 'gcode';
  return null;
}
