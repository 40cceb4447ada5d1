/**
 * Decoding of the `e:` status values: bits 24..31 say which part reported the error
 * (0x40 extruder 1, 0x20 extruder 2, 0 machine), bits 0..15 are the code.
 */

export type XyzErrorSource = 'machine' | 'extruder1' | 'extruder2' | 'unknown';

export interface XyzErrorInfo {
  /** The value as the printer sent it. */
  raw: number;
  source: XyzErrorSource;
  /** Low 16 bits. */
  code: number;
  /** Firmware constant name if known, e.g. `M_NO_CASSETTE`. */
  name: string | null;
  /** The 4-digit code the LCD / manual shows, if documented. */
  lcdCode: string | null;
  /** Human message for the UI. */
  message: string;
  /** The printer is merely busy: back off and retry. */
  busy: boolean;
}

interface ErrorRow {
  name: string | null;
  message: string;
  lcd?: string;
  lcdExtruder2?: string;
}

const TABLE = new Map<number, ErrorRow>([
  [0x0000, { name: null, message: 'No error' }],
  [0x001b, { name: 'M_MACHINE_BUSY', message: 'The printer is busy' }],
  [0x001f, { name: null, message: 'Scanner error' }],
  [0x0020, { name: null, message: 'Scanner busy' }],
  [
    0x0101,
    {
      name: 'M_THERMAL_HEATER_OUT_TIMER',
      message: 'The nozzle cannot reach its temperature',
      lcd: '0011',
      lcdExtruder2: '0012',
    },
  ],
  [0x0102, { name: 'M_THERMAL_BED_OUT_TIMER', message: 'The bed cannot reach its temperature', lcd: '0003' }],
  [
    0x0103,
    { name: 'M_THERMAL_HEATER_OUT_CONTROL', message: 'The nozzle is too hot', lcd: '0014', lcdExtruder2: '0015' },
  ],
  [0x0104, { name: 'M_THERMAL_BED_OUT_CONTROL', message: 'The bed is too hot', lcd: '0013' }],
  [0x0105, { name: 'L_ERROR_SD_CARD', message: 'SD card error', lcd: '0040' }],
  [0x0108, { name: null, message: 'X axis error', lcd: '0030' }],
  [0x0109, { name: null, message: 'Y axis error', lcd: '0031' }],
  [0x010a, { name: null, message: 'Z axis error', lcd: '0032' }],
  [0x010b, { name: 'M_FLASHMEMORY_ERROR', message: 'Flash memory error', lcd: '0050' }],
  [0x010d, { name: 'L_ERROR_FLASH_RAM', message: 'Flash RAM error', lcd: '0051' }],
  [0x010e, { name: 'L_ERROR_NOZZLE_EEPROM', message: 'Nozzle EEPROM error', lcd: '0052' }],
  [0x010f, { name: 'L_40W35W_NOZZLE_EEPROM', message: 'Incompatible nozzle', lcd: '0054' }],
  [0x0201, { name: 'M_PC_COMMUNICATION_ERROR', message: 'Communication error with the computer', lcd: '0201' }],
  [0x0202, { name: 'M_FW_UPDATE_ERROR', message: 'Firmware update failed' }],
  [0x0203, { name: 'M_FILAMENT_JAM', message: 'Filament jam' }],
  [0x0205, { name: 'M_FILAMENT_WRONG', message: 'Wrong filament' }],
  [0x0206, { name: 'M_NO_CASSETTE', message: 'No filament cartridge', lcd: '0028' }],
  [0x0207, { name: 'M_CASSETTE_EMPTY', message: 'Filament cartridge empty', lcd: '0029' }],
  [0x0208, { name: null, message: 'Cartridge EEPROM write error', lcd: '0007' }],
  [0x0209, { name: null, message: 'Cartridge EEPROM read error', lcd: '0008' }],
  [0x020b, { name: 'L_ERROR_SD_CARD', message: 'SD card error' }],
  [0x020c, { name: 'L_ERROR_SD_CARD', message: 'SD card error' }],
  [0x020d, { name: null, message: 'Unsupported file version (.3w variant rejected)', lcd: '020D' }],
  [0x020f, { name: 'L_FILAMENT_NO_INSTALL', message: 'Filament not installed' }],
  [0x0401, { name: null, message: 'Top door open' }],
  [0x0402, { name: null, message: 'Front door open' }],
  [0x0403, { name: null, message: 'Filament low' }],
  [0x0404, { name: null, message: 'Filament low, about to run out' }],
  [0x0405, { name: null, message: 'Filament ran out' }],
]);

/** Code the firmware uses for "Unsupported file version": retry with the other `.3w` variant. */
export const XYZ_ERROR_UNSUPPORTED_FILE_VERSION = 0x020d;
export const XYZ_ERROR_MACHINE_BUSY = 0x001b;

function sourceOf(flags: number): XyzErrorSource {
  if (flags === 0) return 'machine';
  if (flags === 0x40) return 'extruder1';
  if (flags === 0x20) return 'extruder2';
  return 'unknown';
}

export function decodeErrorValue(raw: number): XyzErrorInfo {
  const value = raw >>> 0;
  const flags = value >>> 24;
  const code = value & 0xffff;
  const source = sourceOf(flags);
  const known = TABLE.get(code);
  const hex = `0x${code.toString(16).toUpperCase().padStart(4, '0')}`;
  const base = known?.message ?? `Printer error ${hex}`;
  const where = source === 'extruder1' ? 'Extruder 1: ' : source === 'extruder2' ? 'Extruder 2: ' : '';
  const lcd = (source === 'extruder2' ? known?.lcdExtruder2 : undefined) ?? known?.lcd ?? null;
  return {
    raw: value,
    source,
    code,
    name: known?.name ?? null,
    lcdCode: lcd,
    message: `${where}${base}${lcd !== null ? ` (${lcd})` : ''}`,
    busy: code === XYZ_ERROR_MACHINE_BUSY,
  };
}

/** A reply line `E<n>` / `E<n>$`: the command was rejected or the printer is busy. */
export function describeReplyError(code: number | null): string {
  return code === null ? 'Command rejected' : `Command rejected (E${code})`;
}
