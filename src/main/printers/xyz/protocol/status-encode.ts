import { decodeStatus } from './status';
import { XYZ_UNKNOWN_REMAINING_MINUTES, type XyzStatus } from './status-types';

/**
 * XyzStatus → `k:value` lines, the inverse of `decodeStatus` (printer side: the simulator builds
 * `query=` replies from a typed status). Typed fields win; keys without one are sent from `raw`.
 */

/** Order of keys in the nano's `query=a`, then the remaining documented keys. */
export const XYZ_STATUS_KEY_ORDER: readonly string[] = [
  'b',
  'c',
  'd',
  'w',
  'e',
  'f',
  'i',
  'j',
  'L',
  'm',
  'o',
  'p',
  's',
  't',
  'v',
  'n',
  'X',
  'l',
  'z',
  '4',
  'h',
  'k',
  'G',
  'O',
  'V',
  'W',
  'Z',
];

const orDash = (n: number | null): string => (n === null ? '--' : String(n));

type KeyEncoder = (s: XyzStatus) => string | undefined;

const ENCODERS: Record<string, KeyEncoder> = {
  b: (s) => (s.bedTempC === undefined ? undefined : orDash(s.bedTempC)),
  c: (s) => (s.bedLevelSensors ? `{${s.bedLevelSensors.join(',')}}` : undefined),
  d: (s) => {
    if (s.job === undefined) return undefined;
    if (s.job === null) return '0,0,0';
    return `${s.job.percent},${s.job.elapsedMin},${s.job.remainingMin ?? XYZ_UNKNOWN_REMAINING_MINUTES}`;
  },
  e: (s) =>
    s.errorValues
      ? s.errorValues.join(',')
      : s.errors
        ? s.errors.length
          ? s.errors.map((e) => e.raw).join(',')
          : '0'
        : undefined,
  f: (s) =>
    s.filamentRemainingMm
      ? [s.filamentRemainingMm.length, ...s.filamentRemainingMm.map((v) => v ?? -1)].join(',')
      : undefined,
  h: (s) => (s.plaLoaded === undefined ? undefined : s.plaLoaded ? '1' : '0'),
  i: (s) => s.serial,
  j: (s) =>
    s.state ? (s.state.substate === null ? String(s.state.code) : `${s.state.code},${s.state.substate}`) : undefined,
  k: (s) => (s.calibratedMaterial === undefined ? undefined : String(s.calibratedMaterial)),
  l: (s) => s.language,
  m: (s) => s.m?.join(','),
  n: (s) => s.name,
  o: (s) => {
    const o = s.options;
    if (!o) return undefined;
    const p: string[] = [];
    if (o.blockSizeBytes !== null) p.push(`p${Math.round(o.blockSizeBytes / 1024)}`);
    if (o.t !== null) p.push(`t${o.t}`);
    if (o.c !== null) p.push(`c${o.c}`);
    if (o.autoLevel !== null) p.push(o.autoLevel ? 'a+' : 'a-');
    return p.join(',');
  },
  p: (s) => s.modelNumber,
  s: (s) => (s.capabilities ? JSON.stringify(s.capabilities.raw) : undefined),
  t: (s) => {
    const ex = s.extruders;
    if (!ex) return undefined;
    const first = ex[0];
    if (ex.length === 1 && first) return `1,${orDash(first.actualC)},${orDash(first.targetC)}`;
    return [ex.length, ...ex.map((e) => orDash(e.actualC))].join(',');
  },
  v: (s) =>
    s.firmware
      ? s.firmware.os !== null
        ? [s.firmware.os, s.firmware.app ?? '', s.firmware.engine ?? ''].join(',')
        : s.firmware.version
      : undefined,
  w: (s) => {
    const c = s.cartridges;
    if (!c) return undefined;
    return [c.count, ...c.serials.map((sn) => sn ?? '--------------'), ...(c.extra !== null ? [c.extra] : [])].join(
      ',',
    );
  },
  z: (s) => (s.zOffsetHundredthsMm === undefined ? undefined : String(s.zOffsetHundredthsMm)),
  Z: (s) =>
    s.printFile
      ? JSON.stringify({ PrintFile: s.printFile.name ?? '', Complete: s.printFile.complete ? 1 : 0 })
      : undefined,
  '4': (s) => {
    const n = s.network;
    if (!n) return undefined;
    if (n.ssid === null && n.mac === null && n.channel === null && n.rssiDbm === null) return n.ip ?? '0.0.0.0';
    return JSON.stringify({
      wlan: {
        ip: n.ip ?? '0.0.0.0',
        ssid: n.ssid ?? '',
        channel: String(n.channel ?? 0),
        MAC: n.mac ?? '',
        rssiValue: String(Math.abs(n.rssiDbm ?? 0)),
      },
    });
  },
  G: (s) => (s.lastUsedFilament === undefined ? undefined : JSON.stringify({ LastUsed: s.lastUsedFilament })),
  L: (s) => {
    const l = s.lifetime;
    return l ? [l.first, l.machineMin, l.extruderMin, ...(l.lastMin !== null ? [l.lastMin] : [])].join(',') : undefined;
  },
  O: (s) =>
    s.targetTemps
      ? JSON.stringify({ nozzle: orDash(s.targetTemps.nozzleC), bed: orDash(s.targetTemps.bedC) })
      : undefined,
  V: (s) => s.wifiFirmware,
  W: (s) => (s.wifiInfo === undefined ? undefined : JSON.stringify(s.wifiInfo)),
  X: (s) =>
    s.nozzle
      ? [s.nozzle.typeId, s.nozzle.serial ?? '', ...(s.nozzle.serial2 !== null ? [s.nozzle.serial2] : [])].join(',')
      : undefined,
};

/**
 * One key's value. When the typed field still says what `raw` says, `raw` is sent verbatim so the
 * printer's exact formatting (padding, `0.0` decimals, JSON spacing) survives a round trip.
 */
function encodeKey(status: XyzStatus, key: string): string | undefined {
  const encoder = ENCODERS[key];
  const raw = status.raw[key];
  if (!encoder) return raw;
  const typed = encoder(status);
  if (raw === undefined || typed === undefined) return typed ?? raw;
  const fromRaw = encoder(decodeStatus([{ key, value: raw }]));
  return fromRaw === typed ? raw : typed;
}

/** Lines (without `\n`) for the given keys; `'a'` = every key the status has. */
export function encodeStatusLines(status: XyzStatus, keys: string = 'a'): string[] {
  const present = new Set([
    ...Object.keys(status.raw),
    ...Object.keys(ENCODERS).filter((k) => ENCODERS[k]?.(status) !== undefined),
  ]);
  const order =
    keys === 'a'
      ? [...XYZ_STATUS_KEY_ORDER, ...[...present].filter((k) => !XYZ_STATUS_KEY_ORDER.includes(k))]
      : [...keys];
  const lines: string[] = [];
  for (const key of order) {
    if (!present.has(key)) continue;
    const value = encodeKey(status, key);
    if (value !== undefined) lines.push(`${key}:${value}`);
  }
  return lines;
}
