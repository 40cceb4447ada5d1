import { decodeErrorValue } from './errors';
import type { XyzField } from './reply-collector';
import { describeState, isLegacyStateCode, normaliseStateCode } from './states';
import { XYZ_UNKNOWN_REMAINING_MINUTES, type XyzStatus } from './status-types';

/** Thrown inside a key decoder; recorded in `issues`, never escapes `decodeStatus`. */
class BadValue extends Error {}

function int(text: string | undefined): number {
  const t = (text ?? '').trim();
  if (!/^-?\d+$/.test(t)) throw new BadValue(`not an integer: "${t}"`);
  return Number(t);
}

/** `--` (or empty) means "not available" on printers without that sensor. */
function optInt(text: string | undefined): number | null {
  const t = (text ?? '').trim();
  return t === '' || /^-+$/.test(t) ? null : int(t);
}

function num(text: string): number {
  const t = text.trim();
  if (!/^-?\d+(?:\.\d+)?$/.test(t)) throw new BadValue(`not a number: "${t}"`);
  return Number(t);
}

function parts(value: string): string[] {
  return value.split(',').map((p) => p.trim());
}

function json(value: string): unknown {
  try {
    return JSON.parse(value) as unknown;
  } catch {
    throw new BadValue('not JSON');
  }
}

function record(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new BadValue('not a JSON object');
  return value as Record<string, unknown>;
}

function flag(v: unknown, on: string, off: string): boolean | null {
  if (v === on || v === '1' || v === 1) return true;
  if (v === off || v === '0' || v === 0) return false;
  return null;
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null;
}

/** Nozzle type ids → diameter (spec `X`); laser heads (L/N/H/Q) have none. */
const NOZZLE_DIAMETERS = new Map<string, number>([
  ['3', 0.3],
  ['84', 0.3],
  ['75', 0.3],
  ['1', 0.4],
  ['77', 0.4],
  ['82', 0.4],
  ['2', 0.4],
  ['54', 0.6],
  ['56', 0.8],
]);

const NO_CARTRIDGE = /^-+$/;

type KeyDecoder = (value: string, into: XyzStatus) => void;

const DECODERS: Record<string, KeyDecoder> = {
  b: (v, s) => {
    s.bedTempC = optInt(v);
  },
  c: (v, s) => {
    const inner = v.replace(/^\{/, '').replace(/\}$/, '');
    s.bedLevelSensors = inner === '' ? [] : parts(inner).map(num);
  },
  d: (v, s) => {
    const [pct, elapsed, remaining] = parts(v).map(int);
    if (pct === undefined || elapsed === undefined || remaining === undefined) throw new BadValue('expected 3 numbers');
    s.job =
      pct === 0 && elapsed === 0 && remaining === 0
        ? null
        : {
            percent: Math.min(100, Math.max(0, pct)),
            elapsedMin: elapsed,
            remainingMin: remaining === XYZ_UNKNOWN_REMAINING_MINUTES || remaining < 0 ? null : remaining,
          };
  },
  e: (v, s) => {
    const values = parts(v).map(int);
    s.errorValues = values;
    s.errors = values.filter((n) => (n & 0xffff) !== 0).map(decodeErrorValue);
  },
  f: (v, s) => {
    const [count, ...lengths] = parts(v);
    int(count);
    s.filamentRemainingMm = lengths.map((l) => {
      const n = optInt(l);
      return n === null || n < 0 ? null : n;
    });
  },
  h: (v, s) => {
    s.plaLoaded = int(v) > 0;
  },
  i: (v, s) => {
    s.serial = v.replace(/\?/g, '-');
  },
  j: (v, s) => {
    const [code, sub] = parts(v);
    const raw = int(code);
    s.state = {
      code: normaliseStateCode(raw),
      substate: sub === undefined ? null : int(sub),
      info: describeState(raw),
      legacy: isLegacyStateCode(raw),
    };
  },
  k: (v, s) => {
    s.calibratedMaterial = int(v);
  },
  l: (v, s) => {
    s.language = v;
  },
  m: (v, s) => {
    s.m = parts(v).map(num);
  },
  n: (v, s) => {
    s.name = v;
  },
  o: (v, s) => {
    const opts = {
      blockSizeBytes: null as number | null,
      t: null as number | null,
      c: null as number | null,
      autoLevel: null as boolean | null,
    };
    for (const p of parts(v)) {
      const head = p[0];
      const rest = p.slice(1);
      if (head === 'p') opts.blockSizeBytes = int(rest) * 1024;
      else if (head === 't') opts.t = int(rest);
      else if (head === 'c') opts.c = int(rest);
      else if (head === 'a') opts.autoLevel = rest === '+' ? true : rest === '-' ? false : null;
    }
    if (opts.blockSizeBytes !== null && opts.blockSizeBytes <= 0) throw new BadValue('block size must be positive');
    s.options = opts;
  },
  p: (v, s) => {
    s.modelNumber = v;
  },
  s: (v, s) => {
    const o = record(json(v));
    const door = typeof o.dr === 'object' && o.dr !== null ? (o.dr as Record<string, unknown>) : {};
    s.capabilities = {
      buzzer: flag(o.buzzer, 'on', 'off'),
      button: flag(o.button, 'yes', 'no'),
      internalSd: flag(o.sd, 'yes', 'no'),
      topDoor: flag(door.top, 'on', 'off'),
      frontDoor: flag(door.front, 'on', 'off'),
      laserEngraver: o.eh === undefined ? null : flag(o.eh, '1', '0'),
      openFilament: o.of === undefined ? null : flag(o.of, '1', '0'),
      raw: o,
    };
  },
  t: (v, s) => {
    const [countText, ...rest] = parts(v);
    const count = int(countText);
    // With one extruder the third field is its target; with two it is the second extruder.
    s.extruders =
      count === 1
        ? [{ actualC: optInt(rest[0]), targetC: rest[1] === undefined ? null : optInt(rest[1]) }]
        : rest.slice(0, count).map((t) => ({ actualC: optInt(t), targetC: null }));
  },
  v: (v, s) => {
    const p = parts(v);
    s.firmware =
      p.length >= 3
        ? { version: p[1] ?? v, os: p[0] ?? null, app: p[1] ?? null, engine: p[2] ?? null }
        : { version: v, os: null, app: null, engine: null };
  },
  w: (v, s) => {
    const [countText, ...rest] = parts(v);
    const count = int(countText);
    const serials = rest.slice(0, Math.max(count, 1)).map((sn) => (sn === '' || NO_CARTRIDGE.test(sn) ? null : sn));
    s.cartridges = {
      count,
      serials,
      extra: rest.length > serials.length ? rest.slice(serials.length).join(',') : null,
    };
  },
  z: (v, s) => {
    s.zOffsetHundredthsMm = int(v);
  },
  G: (v, s) => {
    const o = record(json(v));
    s.lastUsedFilament = str(o.LastUsed) ?? '';
  },
  L: (v, s) => {
    const [a, machine, extruder, last] = parts(v);
    s.lifetime = {
      first: int(a),
      machineMin: int(machine),
      extruderMin: int(extruder),
      lastMin: last === undefined ? null : int(last),
    };
  },
  O: (v, s) => {
    const o = record(json(v));
    const n = (x: unknown): number | null => {
      const t = str(x);
      return t === null ? null : optInt(t);
    };
    s.targetTemps = { nozzleC: n(o.nozzle), bedC: n(o.bed) };
  },
  V: (v, s) => {
    s.wifiFirmware = v;
  },
  W: (v, s) => {
    s.wifiInfo = json(v);
  },
  X: (v, s) => {
    const [typeId, sn, sn2] = parts(v);
    const minutes = sn?.split('-').at(-1);
    s.nozzle = {
      typeId: typeId ?? '',
      diameterMm: NOZZLE_DIAMETERS.get(typeId ?? '') ?? null,
      serial: sn === undefined || sn === '' ? null : sn,
      printMinutes: minutes !== undefined && /^\d+$/.test(minutes) && sn?.includes('-') ? Number(minutes) : null,
      serial2: sn2 ?? null,
    };
  },
  Z: (v, s) => {
    const o = record(json(v));
    s.printFile = { name: str(o.PrintFile), complete: o.Complete === undefined ? null : flag(o.Complete, '1', '0') };
  },
  '4': (v, s) => {
    if (v.startsWith('{')) {
      const wlan = record(record(json(v)).wlan ?? {});
      const ip = str(wlan.ip);
      const channel = str(wlan.channel);
      const rssi = str(wlan.rssiValue);
      s.network = {
        ip,
        ssid: str(wlan.ssid),
        channel: channel === null ? null : optInt(channel),
        mac: str(wlan.MAC),
        rssiDbm: rssi === null || optInt(rssi) === null ? null : -Math.abs(optInt(rssi) ?? 0),
        connected: ip !== null && ip !== '0.0.0.0',
      };
    } else {
      s.network = {
        ip: v,
        ssid: null,
        channel: null,
        mac: null,
        rssiDbm: null,
        connected: v !== '0.0.0.0' && v !== '',
      };
    }
  },
};

export function emptyStatus(): XyzStatus {
  return { raw: {}, issues: [] };
}

/**
 * Decodes `query=…` reply lines into a typed status. Never throws: a malformed value is kept in
 * `raw`, listed in `issues`, and its typed field stays as it was in `base` (so partial polls such as
 * `query=djte` can be merged into the last full `query=a`).
 */
export function decodeStatus(fields: readonly XyzField[], base?: XyzStatus): XyzStatus {
  const status: XyzStatus = base ? { ...base, raw: { ...base.raw }, issues: [] } : emptyStatus();
  for (const { key, value } of fields) {
    const trimmed = value.trim();
    status.raw[key] = trimmed;
    const decoder = DECODERS[key];
    if (!decoder) continue;
    const draft: XyzStatus = { ...status };
    try {
      decoder(trimmed, draft);
      Object.assign(status, draft);
    } catch (e) {
      status.issues.push(`${key}: ${e instanceof BadValue ? e.message : 'undecodable value'}`);
    }
  }
  return status;
}

/** Keys this decoder understands, in the order the nano sends them, then the rest. */
export const XYZ_STATUS_KEYS: readonly string[] = Object.keys(DECODERS);
