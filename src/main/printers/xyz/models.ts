/**
 * The XYZprinting da Vinci model table.
 *
 * Pure data plus two lookups. The model number is what the printer reports (`p:` over v3,
 * `MDU:` over v2); the file id is what a `.3w` header must carry as `; machine = …`.
 */

/** Host protocol families. `json` is the 1.1 Plus Wi-Fi protocol. */
export type XyzProtocol = 'v2' | 'v3' | 'json';

export type XyzTransport = 'usb' | 'wifi';

/** `.3w` container variants the codec can write. */
export type XyzContainer = 'v5' | 'v2' | 'zip';

/** Maintenance actions of; the firmware offers them for printers without an LCD. */
export type XyzMaintenanceAction =
  'home' | 'jog' | 'loadFilament' | 'unloadFilament' | 'cleanNozzle' | 'calibrate' | 'zOffset';

export interface XyzCapabilities {
  heatedBed: boolean;
  extruders: number;
  /** Only the 1.1 Plus exposes a camera (JSON command 3). */
  camera: boolean;
  scanner: boolean;
  laser: boolean;
  lcd: boolean;
  maintenance: readonly XyzMaintenanceAction[];
}

export interface XyzModel {
  /** As reported by the printer, e.g. `dv1MX0A000`. */
  modelNumber: string;
  name: string;
  /** Value of `; machine =` in the `.3w` header. */
  fileId: string;
  /** First 6 characters of the serial number; some models have been seen with two. */
  serialPrefixes: readonly string[];
  /** Protocol spoken over USB. */
  protocol: XyzProtocol;
  /** Protocol spoken over Wi-Fi (TCP 9100), or null for USB-only printers. */
  wifiProtocol: XyzProtocol | null;
  transports: readonly XyzTransport[];
  /** Container to write by default. */
  container: XyzContainer;
  /** Container to retry with when the printer reports 0x020D "Unsupported file version"; null if none. */
  alternateContainer: XyzContainer | null;
  /** What miniMover's table says, kept because it disagrees with practice for some models. */
  miniMoverContainer: XyzContainer;
  capabilities: XyzCapabilities;
  buildVolumeMm: { x: number; y: number; z: number };
}

// The firmware documents maintenance actions for LCD-less printers only; LCD models are expected
// to reject them, so they get none.
const LCD_LESS_MAINTENANCE: readonly XyzMaintenanceAction[] = [
  'home',
  'jog',
  'loadFilament',
  'unloadFilament',
  'cleanNozzle',
  'calibrate',
  'zOffset',
];

interface Row {
  modelNumber: string;
  name: string;
  fileId: string;
  serialPrefixes: readonly string[];
  family: 'v2-zip' | 'v3';
  miniMoverContainer: XyzContainer;
  wifi: boolean;
  heatedBed: boolean;
  extruders: number;
  scanner: boolean;
  laser: boolean;
  lcd: boolean;
  volume: [number, number, number];
}

// One row per model reads as the spec table does.
// prettier-ignore
const ROWS: readonly Row[] = [
  { modelNumber: 'dvF100B000', name: 'da Vinci 1.0', fileId: 'daVinciF10', serialPrefixes: ['3DP01P'], family: 'v2-zip', miniMoverContainer: 'zip', wifi: false, heatedBed: true, extruders: 1, scanner: false, laser: false, lcd: true, volume: [200, 200, 200] },
  { modelNumber: 'dvF100A000', name: 'da Vinci 1.0A', fileId: 'daVinciF10', serialPrefixes: ['3F10AP'], family: 'v2-zip', miniMoverContainer: 'zip', wifi: false, heatedBed: true, extruders: 1, scanner: false, laser: false, lcd: true, volume: [200, 200, 200] },
  { modelNumber: 'dvF10SA000', name: 'da Vinci 1.0 AiO', fileId: 'daVinciF10', serialPrefixes: ['3S10AP'], family: 'v2-zip', miniMoverContainer: 'zip', wifi: false, heatedBed: true, extruders: 1, scanner: true, laser: true, lcd: true, volume: [200, 200, 190] },
  { modelNumber: 'dvF110B000', name: 'da Vinci 1.1 Plus', fileId: 'daVinciF11', serialPrefixes: ['3F11XP'], family: 'v2-zip', miniMoverContainer: 'zip', wifi: true, heatedBed: true, extruders: 1, scanner: false, laser: false, lcd: true, volume: [200, 200, 200] },
  { modelNumber: 'dvF200B000', name: 'da Vinci 2.0 Duo', fileId: 'daVinciF20', serialPrefixes: ['3F20XP'], family: 'v2-zip', miniMoverContainer: 'zip', wifi: false, heatedBed: true, extruders: 2, scanner: false, laser: false, lcd: true, volume: [200, 200, 150] },
  { modelNumber: 'dvF200A000', name: 'da Vinci 2.0A Duo', fileId: 'daVinciF20', serialPrefixes: ['3F20AP'], family: 'v2-zip', miniMoverContainer: 'zip', wifi: false, heatedBed: true, extruders: 2, scanner: false, laser: false, lcd: true, volume: [200, 200, 150] },
  { modelNumber: 'dv1J00A000', name: 'da Vinci Jr. 1.0', fileId: 'daVinciJR10', serialPrefixes: ['3F1J0X'], family: 'v3', miniMoverContainer: 'v2', wifi: false, heatedBed: false, extruders: 1, scanner: false, laser: false, lcd: true, volume: [150, 150, 150] },
  { modelNumber: 'dv1JA0A000', name: 'da Vinci Jr. 1.0A', fileId: 'dv1JA0A000', serialPrefixes: ['3F1JAP'], family: 'v3', miniMoverContainer: 'v2', wifi: false, heatedBed: false, extruders: 1, scanner: false, laser: true, lcd: true, volume: [175, 175, 175] },
  { modelNumber: 'dv1JW0A000', name: 'da Vinci Jr. 1.0w', fileId: 'daVinciJR10W', serialPrefixes: ['3F1JWP'], family: 'v3', miniMoverContainer: 'v2', wifi: true, heatedBed: false, extruders: 1, scanner: false, laser: false, lcd: true, volume: [150, 150, 150] },
  // The file id really is spelled with the letter O here.
  { modelNumber: 'dv1JS0A000', name: 'da Vinci Jr. 1.0 3in1', fileId: 'dv1JSOA000', serialPrefixes: ['3F1JSP'], family: 'v3', miniMoverContainer: 'v2', wifi: true, heatedBed: false, extruders: 1, scanner: true, laser: true, lcd: true, volume: [150, 150, 150] },
  { modelNumber: 'dv1JSOA000', name: 'da Vinci Jr. 1.0 3in1 (open filament)', fileId: 'daVinciJR10S', serialPrefixes: ['3F1JOP'], family: 'v3', miniMoverContainer: 'v5', wifi: true, heatedBed: false, extruders: 1, scanner: true, laser: true, lcd: true, volume: [150, 150, 150] },
  { modelNumber: 'dv2JW0A000', name: 'da Vinci Jr. 2.0 Mix', fileId: 'daVinciJR20W', serialPrefixes: ['3F2JWP'], family: 'v3', miniMoverContainer: 'v2', wifi: true, heatedBed: false, extruders: 2, scanner: false, laser: false, lcd: true, volume: [150, 150, 150] },
  { modelNumber: 'dv1MX0A000', name: 'da Vinci miniMaker', fileId: 'dv1MX0A000', serialPrefixes: ['3FM1XP'], family: 'v3', miniMoverContainer: 'v2', wifi: false, heatedBed: false, extruders: 1, scanner: false, laser: false, lcd: false, volume: [150, 150, 150] },
  { modelNumber: 'dv1MW0A000', name: 'da Vinci mini w', fileId: 'dv1MW0A000', serialPrefixes: ['3FM1WP'], family: 'v3', miniMoverContainer: 'v2', wifi: true, heatedBed: false, extruders: 1, scanner: false, laser: false, lcd: false, volume: [150, 150, 150] },
  { modelNumber: 'dv1MW0B000', name: 'da Vinci mini wA', fileId: 'dv1MW0B000', serialPrefixes: ['3FM1JP'], family: 'v3', miniMoverContainer: 'v2', wifi: true, heatedBed: false, extruders: 1, scanner: false, laser: false, lcd: false, volume: [150, 150, 150] },
  { modelNumber: 'dv1MW0C000', name: 'da Vinci mini w+', fileId: 'dv1MW0C000', serialPrefixes: ['3FM3WP'], family: 'v3', miniMoverContainer: 'v2', wifi: true, heatedBed: false, extruders: 1, scanner: false, laser: false, lcd: false, volume: [150, 150, 150] },
  // miniMover lists v2 for the nano, but XYZprint writes v5 and the nano fw 3.2.0 printed it.
  { modelNumber: 'dv1NX0A000', name: 'da Vinci nano', fileId: 'dv1NX0A000', serialPrefixes: ['3FN1XP', '3FNAXP'], family: 'v3', miniMoverContainer: 'v2', wifi: false, heatedBed: false, extruders: 1, scanner: false, laser: false, lcd: false, volume: [120, 120, 120] },
  { modelNumber: 'dv1NW0A000', name: 'da Vinci nano w', fileId: 'dv1NW0A000', serialPrefixes: ['3FNAWP'], family: 'v3', miniMoverContainer: 'v2', wifi: true, heatedBed: false, extruders: 1, scanner: false, laser: false, lcd: false, volume: [120, 120, 120] },
  { modelNumber: 'dv1JP0A000', name: 'da Vinci Jr. 1.0 Pro', fileId: 'dv1JP0A000', serialPrefixes: ['3F1JPP'], family: 'v3', miniMoverContainer: 'v5', wifi: false, heatedBed: false, extruders: 1, scanner: false, laser: false, lcd: true, volume: [150, 150, 150] },
  { modelNumber: 'dv1JPWA000', name: 'da Vinci Jr. 1.0w Pro', fileId: 'dv1JPWA000', serialPrefixes: ['3F1JPW'], family: 'v3', miniMoverContainer: 'v5', wifi: true, heatedBed: false, extruders: 1, scanner: false, laser: false, lcd: true, volume: [150, 150, 150] },
  { modelNumber: 'dvF1W0A000', name: 'da Vinci 1.0 Pro', fileId: 'daVinciAW10', serialPrefixes: ['3F1AWP'], family: 'v3', miniMoverContainer: 'v5', wifi: true, heatedBed: true, extruders: 1, scanner: false, laser: true, lcd: true, volume: [200, 200, 200] },
  { modelNumber: 'dvF1WSA000', name: 'da Vinci 1.0 Pro 3in1', fileId: 'daVinciAS10', serialPrefixes: ['3F1ASP'], family: 'v3', miniMoverContainer: 'v5', wifi: true, heatedBed: true, extruders: 1, scanner: true, laser: true, lcd: true, volume: [200, 200, 190] },
  { modelNumber: 'dv1SW0A000', name: 'da Vinci Super', fileId: 'dv1SW0A000', serialPrefixes: ['3F1SWP'], family: 'v3', miniMoverContainer: 'v5', wifi: true, heatedBed: true, extruders: 1, scanner: false, laser: true, lcd: true, volume: [300, 300, 300] },
];

function toModel(row: Row): XyzModel {
  const isV3 = row.family === 'v3';
  // The 1.1 Plus is the only v2 printer with Wi-Fi, and it speaks JSON there.
  const wifiProtocol: XyzProtocol | null = !row.wifi ? null : isV3 ? 'v3' : 'json';
  return {
    modelNumber: row.modelNumber,
    name: row.name,
    fileId: row.fileId,
    serialPrefixes: row.serialPrefixes,
    protocol: isV3 ? 'v3' : 'v2',
    wifiProtocol,
    transports: row.wifi ? ['usb', 'wifi'] : ['usb'],
    container: isV3 ? 'v5' : 'zip',
    alternateContainer: isV3 ? 'v2' : null,
    miniMoverContainer: row.miniMoverContainer,
    capabilities: {
      heatedBed: row.heatedBed,
      extruders: row.extruders,
      camera: row.modelNumber === 'dvF110B000',
      scanner: row.scanner,
      laser: row.laser,
      lcd: row.lcd,
      maintenance: isV3 && !row.lcd ? LCD_LESS_MAINTENANCE : [],
    },
    buildVolumeMm: { x: row.volume[0], y: row.volume[1], z: row.volume[2] },
  };
}

export const XYZ_MODELS: readonly XyzModel[] = ROWS.map(toModel);

const BY_MODEL_NUMBER = new Map(XYZ_MODELS.map((m) => [m.modelNumber.toLowerCase(), m]));

/**
 * Looks a model up by the number the printer reports. Case-insensitive; a firmware-update
 * suffix `_V2` (MM-web) is tolerated.
 */
export function findModel(modelNumber: string): XyzModel | undefined {
  const key = modelNumber.trim().toLowerCase().replace(/_v2$/, '');
  return BY_MODEL_NUMBER.get(key);
}

/** Looks a model up by the first 6 characters of a printer serial number. */
export function findModelBySerial(serial: string): XyzModel | undefined {
  const prefix = serial.trim().slice(0, 6).toUpperCase();
  return XYZ_MODELS.find((m) => m.serialPrefixes.includes(prefix));
}

/** Looks a model up by its `.3w` file id (`; machine =`); several models can share one id. */
export function findModelsByFileId(fileId: string): XyzModel[] {
  return XYZ_MODELS.filter((m) => m.fileId === fileId.trim());
}
