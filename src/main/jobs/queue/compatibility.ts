import type { QueueFileFacts } from '../../../shared/contract';
import type { PrinterProfile } from '../../devices/print-profiles';

/** Slack for slicers that park or prime a hair past the nominal bed. */
const VOLUME_SLACK_MM = 1;
/** da Vinci machine ids as slicers write them (`; machine = dv1NX0A000`, `daVinciF10`). */
const XYZ_MACHINE_ID = /^(dv[0-9a-z]{8}|davinci[a-z0-9]+)$/i;

/**
 * Whether a printer can print a file, judged only on what is known: a null on either side is not
 * a reason to refuse. Returns why not, in words, or null when nothing known stands in the way.
 */
export function incompatibility(facts: QueueFileFacts, profile: PrinterProfile, printerName: string): string | null {
  if (!profile.formats.includes(facts.format)) {
    return `${printerName} does not print .${facts.format} files (it takes ${profile.formats.map((f) => `.${f}`).join(', ')}).`;
  }
  const machine =
    facts.format === '3w'
      ? facts.machineId
      : facts.slicerPrinter && XYZ_MACHINE_ID.test(facts.slicerPrinter)
        ? facts.slicerPrinter
        : null;
  // A da Vinci machine id names a da Vinci: a family without .3w files (OctoPrint, Klipper …) is not one.
  if (machine && profile.machineIds === null && !profile.formats.includes('3w')) {
    return `The file was made for a da Vinci (${machine}); ${printerName} is not one.`;
  }
  if (machine && profile.machineIds && !profile.machineIds.some((id) => id.toLowerCase() === machine.toLowerCase())) {
    return `The file was made for ${machine}; ${printerName} takes ${profile.machineIds.join(' or ')}.`;
  }
  if (facts.nozzleMm !== null && profile.nozzleMm !== null && Math.abs(facts.nozzleMm - profile.nozzleMm) > 0.01) {
    return `Sliced for a ${facts.nozzleMm} mm nozzle; ${printerName} has ${profile.nozzleMm} mm.`;
  }
  const extents = facts.extentsMm;
  const volume = profile.buildVolumeMm;
  if (extents && volume) {
    const over = (['x', 'y', 'z'] as const).filter((axis) => extents[axis] > volume[axis] + VOLUME_SLACK_MM);
    if (over.length > 0) {
      const axes = over.map((a) => `${a.toUpperCase()} ${extents[a]} mm > ${volume[a]} mm`).join(', ');
      return `Too big for ${printerName}: ${axes}.`;
    }
  }
  return null;
}
