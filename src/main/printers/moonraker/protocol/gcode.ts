import type { MaintenanceAction } from '../../../../shared/contract';

/**
 * Maintenance as Klipper G-code for `printer.gcode.script`. Moonraker answers such a call only
 * when the whole script has run (G28 can take a minute), so callers give it a long deadline.
 */

const JOG_STATE = 'PRINTDECK_JOG';

/** Klipper heater object names; section names may contain a space (`heater_generic chamber`). */
export const HEATERS = ['extruder', 'heater_bed'] as const;
export type HeaterName = (typeof HEATERS)[number];

export function maintenanceScript(action: MaintenanceAction): string | null {
  switch (action.type) {
    case 'home':
      return 'G28';
    case 'jog': {
      const feed = action.axis === 'z' ? 600 : 6000;
      // Relative mode only for this move: the saved G-code state puts back whatever mode the
      // printer was in, so a jog never leaves a later script in relative coordinates.
      return [`SAVE_GCODE_STATE NAME=${JOG_STATE}`, 'G91', `G1 ${action.axis.toUpperCase()}${formatMm(action.mm)} F${feed}`, `RESTORE_GCODE_STATE NAME=${JOG_STATE}`].join('\n');
    }
    default:
      return null;
  }
}

function formatMm(mm: number): string {
  return String(Math.round(mm * 1000) / 1000);
}

/** `SET_HEATER_TEMPERATURE`; refuses targets no printer heater takes. */
export function temperatureScript(heater: HeaterName, target: number): string {
  const max = heater === 'heater_bed' ? 150 : 350;
  if (!Number.isFinite(target) || target < 0 || target > max) throw new RangeError(`A ${heater} target must be between 0 and ${max} °C.`);
  return `SET_HEATER_TEMPERATURE HEATER=${heater} TARGET=${Math.round(target)}`;
}
