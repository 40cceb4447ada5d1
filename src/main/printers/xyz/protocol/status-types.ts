import type { XyzErrorInfo } from './errors';
import type { XyzStateInfo } from './states';

/** Remaining time the printer sends when it does not know (0x04444444). */
export const XYZ_UNKNOWN_REMAINING_MINUTES = 0x04444444;

export interface XyzJobProgress {
  percent: number;
  elapsedMin: number;
  /** null when the printer sent the "unknown" sentinel. */
  remainingMin: number | null;
}

export interface XyzExtruderTemp {
  actualC: number | null;
  /** Only reported for single-extruder printers (`t:1,<temp>,<target>`). */
  targetC: number | null;
}

export interface XyzNetworkInfo {
  ip: string | null;
  ssid: string | null;
  channel: number | null;
  mac: string | null;
  /** dBm; the printer sends a positive number meaning −dBm (spec `4:`). */
  rssiDbm: number | null;
  /** True when the printer reports 0.0.0.0. */
  connected: boolean;
}

export interface XyzCapabilityFlags {
  buzzer: boolean | null;
  button: boolean | null;
  internalSd: boolean | null;
  topDoor: boolean | null;
  frontDoor: boolean | null;
  laserEngraver: boolean | null;
  openFilament: boolean | null;
  /** The whole object, including keys with unknown meaning (`fm`, `fd`). */
  raw: Record<string, unknown>;
}

/**
 * Everything `query=a` can report. A property is undefined when the
 * printer did not send that key; `null` inside a value means the printer sent "not available".
 */
export interface XyzStatus {
  /** `b` bed °C; null for `--`. */
  bedTempC?: number | null;
  /** `c` bed-level sensor readings (9 on mini, 12 on nano fw 3.2.0). */
  bedLevelSensors?: number[];
  /** `d`; null when the printer reports `0,0,0` (no job). */
  job?: XyzJobProgress | null;
  /** `e` decoded, zero codes dropped. */
  errors?: XyzErrorInfo[];
  /** `e` as sent. */
  errorValues?: number[];
  /** `f` remaining filament per spool in mm; null for `-1` (no cartridge). */
  filamentRemainingMm?: (number | null)[];
  /** `h` > 0 when PLA is loaded. */
  plaLoaded?: boolean;
  /** `i` machine serial (`?` replaced by `-` like XYZware). */
  serial?: string;
  /** `j` state, normalised to the new 95xx codes. */
  state?: { code: number; substate: number | null; info: XyzStateInfo; legacy: boolean };
  /** `k` material the printer is calibrated for. */
  calibratedMaterial?: number;
  /** `l` UI language. */
  language?: string;
  /** `m` (meaning unknown). */
  m?: number[];
  /** `n` printer name. */
  name?: string;
  /** `o` options. */
  options?: { blockSizeBytes: number | null; t: number | null; c: number | null; autoLevel: boolean | null };
  /** `p` model number, e.g. dv1NX0A000. */
  modelNumber?: string;
  /** `s` capability flags. */
  capabilities?: XyzCapabilityFlags;
  /** `t` extruder temperatures. */
  extruders?: XyzExtruderTemp[];
  /** `v` firmware: one version, or os/app/engine on 1.1 Plus-style printers. */
  firmware?: { version: string; os: string | null; app: string | null; engine: string | null };
  /** `w` cartridge serials; null for `--------------` (none). */
  cartridges?: { count: number; serials: (string | null)[]; extra: string | null };
  /** `z` Z offset in 1/100 mm. */
  zOffsetHundredthsMm?: number;
  /** `G` filament used by the last print. */
  lastUsedFilament?: string;
  /** `L` lifetime counters in minutes. */
  lifetime?: { first: number; machineMin: number; extruderMin: number; lastMin: number | null };
  /** `O` target temperatures (1.0 Pro). */
  targetTemps?: { nozzleC: number | null; bedC: number | null };
  /** `V` Wi-Fi module firmware. */
  wifiFirmware?: string;
  /** `W` Wi-Fi scan / config (JSON as sent; XYZware treats it as an array). */
  wifiInfo?: unknown;
  /** `X` nozzle. */
  nozzle?: {
    typeId: string;
    diameterMm: number | null;
    serial: string | null;
    printMinutes: number | null;
    serial2: string | null;
  };
  /** `Z` current / last print file. */
  printFile?: { name: string | null; complete: boolean | null };
  /** `4` network. */
  network?: XyzNetworkInfo;
  /** Every key as sent (trimmed), including ones decoded above; the simulator re-encodes from here. */
  raw: Record<string, string>;
  /** Keys whose value did not match the documented format, with the reason. */
  issues: string[];
}
