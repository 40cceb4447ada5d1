import { decodeStatus } from './status';
import type { XyzField } from './reply-collector';
import type { XyzStatus } from './status-types';

/**
 * Maps the `data` object of JSON command 2 (1.1 Plus over Wi-Fi) onto the same
 * `k:value` fields `query=a` gives, so one `XyzStatus` / `toDeviceFields` serves both protocols.
 */
export function jsonStatusFields(data: Record<string, unknown>): XyzField[] {
  const fields: XyzField[] = [];
  const put = (key: string, value: string): void => {
    fields.push({ key, value });
  };
  const text = (v: unknown): string | null => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null);
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
  const obj = (v: unknown): Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

  for (const key of ['p', 'i', 'n', 'b', 'e'] as const) {
    const v = text(data[key]);
    if (v !== null) put(key, v);
  }
  const j = text(data.j);
  if (j !== null) put('j', j);
  const v = obj(data.v);
  if (data.v !== undefined) put('v', [text(v.os) ?? '', text(v.app) ?? '', text(v.engine) ?? ''].join(','));
  const t = list(data.t).map((x) => text(x) ?? '--');
  // Two entries are sent even for one extruder; keep the first as `t:1,<temp>,--`.
  if (t.length > 0) put('t', `1,${t[0] ?? '--'},--`);
  const f = list(data.f).map((x) => text(x) ?? '-1');
  if (f.length > 0) put('f', `${f.length},${f.join(',')}`);
  const w = list(data.w).map((x) => (text(x) ?? '').replace(/^W\d:/, ''));
  if (w.length > 0) put('w', `${w.length},${w.join(',')}`);
  const d = obj(data.d);
  const pct = text(d.print_percentage);
  if (pct !== null) put('d', `${pct},${text(d.elapsed_time) ?? '0'},${text(d.estimated_time) ?? '0'}`);
  else if (data.d !== undefined) put('d', '0,0,0');
  const life = obj(data.L);
  const machineMs = text(life.m);
  const extruderMin = text(life.e);
  // `L.m` looks like milliseconds (4183146537 ≈ 69 719 min vs 69 342 min over USB).
  if (machineMs !== null && extruderMin !== null && /^\d+$/.test(machineMs)) {
    put('L', `1,${Math.floor(Number(machineMs) / 60000)},${extruderMin}`);
  }
  return fields;
}

export function decodeJsonStatus(data: Record<string, unknown>, base?: XyzStatus): XyzStatus {
  return decodeStatus(jsonStatusFields(data), base);
}
