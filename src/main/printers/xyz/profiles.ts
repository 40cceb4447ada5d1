import type { PrintProfiles } from '../../devices/print-profiles';
import { findModel, findModelBySerial, XYZ_MODELS, type XyzModel } from './models';
import { parseHeaderKeys } from './threew/header-keys';
import { readHeaderSection } from './threew/header-section';
import { hasMagic, readPreamble } from './threew/preamble-read';

/** The da Vinci nozzle: every model in the table ships a 0.4 mm nozzle. */
const XYZ_NOZZLE_MM = 0.4;

/** The model a status names: by model number, by the table's name, or by the serial's prefix. */
export function xyzModelOf(status: { model: string | null; serial: string | null }): XyzModel | undefined {
  const named = status.model?.trim().toLowerCase();
  const byName = named ? (findModel(named) ?? XYZ_MODELS.find((m) => m.name.toLowerCase() === named)) : undefined;
  return byName ?? (status.serial ? findModelBySerial(status.serial) : undefined);
}

/** The `.3w` header's machine id, read from the file's head; null for legacy files and unreadable headers. */
export function threeWMachineId(head: Uint8Array): string | null {
  try {
    if (!hasMagic(head)) return null;
    const header = readHeaderSection(head, readPreamble(head));
    if (!header.readable) return null;
    return parseHeaderKeys(header.text)['machine'] ?? null;
  } catch {
    return null;
  }
}

/** Tells the print queue what each da Vinci takes: `.3w` for its machine id, G-code (converted), its build volume. */
export function registerXyzProfiles(profiles: PrintProfiles): void {
  profiles.registerFamily('xyz', (status) => {
    const model = xyzModelOf(status);
    if (!model) return { formats: ['gcode', '3w'], machineIds: null, buildVolumeMm: null, nozzleMm: XYZ_NOZZLE_MM };
    return {
      formats: ['gcode', '3w'],
      machineIds: [model.fileId],
      buildVolumeMm: model.buildVolumeMm,
      nozzleMm: XYZ_NOZZLE_MM,
    };
  });
  profiles.registerFileReader('3w', (head) => ({ machineId: threeWMachineId(head) }));
}
