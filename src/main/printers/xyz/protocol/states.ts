import type { PrinterState } from '../../../../shared/domain/device';

/** One row of the machine state table. */
export interface XyzStateInfo {
  code: number;
  /** Firmware constant name as the sources spell it (typos kept so logs can be grepped). */
  name: string;
  /** Short English text for the UI. */
  text: string;
  /** The normalised state the shared device model uses. */
  state: PrinterState;
}

const row = (code: number, name: string, text: string, state: PrinterState): XyzStateInfo => ({
  code,
  name,
  text,
  state,
});

// "Printing" for UI purposes = 9500…9510 plus 9520, 9601, 9602; the finer split below
// follows the names (heating / ending / done) so the UI can say more than "printing".
const STATES: readonly XyzStateInfo[] = [
  row(9500, 'PRINT_INITIAL', 'Preparing print', 'printing'),
  row(9501, 'PRINT_HEATING', 'Heating', 'heating'),
  row(9502, 'PRINT_PRINTING', 'Printing', 'printing'),
  row(9503, 'PRINT_CALIBRATING', 'Calibrating', 'printing'),
  row(9504, 'PRINT_CALIBRATING_DONE', 'Calibration done', 'printing'),
  row(9505, 'PRINT_IN_PROGRESS', 'Printing', 'printing'),
  row(9506, 'PRINT_COOLING_DONE', 'Cooling done', 'finishing'),
  row(9507, 'PRINT_COOLING_END', 'Cooling finished', 'finishing'),
  row(9508, 'PRINT_ENDING_PROCESS', 'Finishing print', 'finishing'),
  row(9509, 'PRINT_ENDING_PROCESS_DONE', 'Print complete, clear the bed', 'done'),
  row(9510, 'PRINT_JOB_DONE', 'Job done', 'done'),
  row(9511, 'PRINT_NONE', 'Idle', 'idle'),
  row(9512, 'PRINT_STOP', 'Stopped', 'idle'),
  row(9513, 'PRINT_LOAD_FILAMENT', 'Loading filament', 'busy'),
  row(9514, 'PRINT_UNLOAD_FILAMENT', 'Unloading filament', 'busy'),
  row(9515, 'PRINT_AUTO_CALIBRATION', 'Auto-calibrating', 'busy'),
  row(9516, 'PRINT_JOG_MODE', 'Jog mode', 'busy'),
  row(9517, 'PRINT_FATAL_ERROR', 'Fatal error', 'error'),
  row(9520, 'STATE_PRINT_FILE_CHECK', 'Checking file', 'checking'),
  row(9530, 'STATE_PRINT_LOAD_FIALMENT', 'Loading filament', 'busy'),
  row(9531, 'STATE_PRINT_UNLOAD_FIALMENT', 'Unloading filament', 'busy'),
  row(9532, 'STATE_PRINT_JOG_MODE', 'Jogging', 'busy'),
  row(9533, 'STATE_PRINT_FATAL_ERROR', 'Fatal error', 'error'),
  row(9534, 'STATE_PRINT_HOMING', 'Homing', 'busy'),
  row(9535, 'STATE_PRINT_CALIBRATE', 'Calibrating', 'busy'),
  row(9536, 'STATE_PRINT_CLEAN_NOZZLE', 'Cleaning nozzle', 'busy'),
  row(9537, 'STATE_PRINT_GET_SD_FILE', 'Reading file from SD card', 'busy'),
  row(9538, 'STATE_PRINT_PRINT_SD_FILE', 'Printing from SD card', 'printing'),
  row(9539, 'STATE_PRINT_ENGRAVE_PLACE_OBJECT', 'Place the object to engrave', 'busy'),
  row(9540, 'STATE_PRINT_ADJUST_ZOFFSET', 'Adjusting Z offset', 'busy'),
  row(9601, 'PRINT_TASK_PAUSED', 'Paused', 'paused'),
  row(9602, 'PRINT_TASK_CANCELING', 'Cancelling', 'cancelling'),
  row(9700, 'STATE_PRINT_BUSY', 'Busy', 'busy'),
  row(9800, 'STATE_PRINT_SCANNER_IDLE', 'Scanner idle', 'idle'),
  row(9801, 'STATE_PRINT_SCANNER_RUNNING', 'Scanning', 'busy'),
];

const BY_CODE = new Map(STATES.map((s) => [s.code, s]));

/**
 * Old two-digit codes (1.1 Plus and v2 machines) → new codes, as miniMover's translateStatus does.
 * Old 11 is "PRINT_PREPARE" in the notes but miniMover maps it to 9505; we follow the code.
 */
const OLD_TO_NEW = new Map<number, number>([
  [0, 9500],
  [1, 9501],
  [2, 9502],
  [3, 9503],
  [4, 9504],
  [5, 9506],
  [6, 9507],
  [7, 9508],
  [8, 9509],
  [9, 9510],
  [10, 9511],
  [11, 9505],
  [12, 9512],
  [13, 9513],
  [14, 9514],
  [15, 9515],
  [16, 9516],
  [17, 9517],
  [30, 9700],
]);

/** Sub-states with a documented meaning. Key: `state*100 + sub` is ambiguous, so nest. */
const SUBSTATES = new Map<number, ReadonlyMap<number, string>>([
  [
    9530,
    new Map([
      [11, 'heating'],
      [12, 'loading'],
      [14, 'step 14'],
    ]),
  ],
  [
    9531,
    new Map([
      [21, 'heating'],
      [22, 'unloading'],
      [24, 'step 24'],
    ]),
  ],
  [9532, new Map([[30, 'jogging']])],
  [9534, new Map([[5, 'homing']])],
  [
    9535,
    new Map([
      [40, 'starting'],
      [41, 'lower the detector'],
      [43, 'calibrating'],
      [44, 'raise the detector'],
    ]),
  ],
  [
    9536,
    new Map([
      [51, 'heating'],
      [52, 'ready to clean'],
    ]),
  ],
  [9539, new Map([[30, 'place the object']])],
]);

/** True when `code` is one of the old two-digit codes rather than a 95xx-style code. */
export function isLegacyStateCode(code: number): boolean {
  return code >= 0 && code < 100;
}

/** Maps an old two-digit code to its new equivalent; new codes pass through unchanged. */
export function normaliseStateCode(code: number): number {
  if (!isLegacyStateCode(code)) return code;
  return OLD_TO_NEW.get(code) ?? code;
}

/** Looks a state up, accepting old codes too. Unknown codes get a generic row with state 'unknown'. */
export function describeState(code: number): XyzStateInfo {
  const normalised = normaliseStateCode(code);
  return BY_CODE.get(normalised) ?? row(normalised, 'UNKNOWN', `Unknown state ${code}`, 'unknown');
}

/** Text for a documented sub-state, or null. */
export function describeSubstate(code: number, substate: number): string | null {
  return SUBSTATES.get(normaliseStateCode(code))?.get(substate) ?? null;
}

/** All documented states, for tables and tests. */
export function listStates(): readonly XyzStateInfo[] {
  return STATES;
}

/** miniMover treats these as "the job is over". */
export function isJobFinishedState(code: number): boolean {
  const c = normaliseStateCode(code);
  return c === 9509 || c === 9511;
}
