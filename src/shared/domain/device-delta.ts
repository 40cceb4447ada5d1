import { z } from 'zod';
import { DeviceStatus } from './device';

/**
 * What changed in one device's status: its id, when, and the top-level fields whose values
 * changed, each carried whole (a new `job` replaces the old one). Values are absolute, never
 * increments, so applying a delta twice, or one already contained in a fresher list, is harmless;
 * a device's first delta carries every field.
 */
export const DeviceStatusDelta = DeviceStatus.partial().extend({
  deviceId: DeviceStatus.shape.deviceId,
  updatedAt: DeviceStatus.shape.updatedAt,
});
export type DeviceStatusDelta = z.infer<typeof DeviceStatusDelta>;

type Field = keyof DeviceStatus;
const FIELDS = Object.keys(DeviceStatus.shape) as Field[];

/** Structural equality of JSON values (what a status holds), so an unchanged object is no change. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => sameJson(v, b[i]));
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/**
 * The delta from `prev` (what was last sent, or nothing) to `next`; null when nothing but the
 * timestamp changed, so a device that reports the same thing again costs nothing downstream.
 */
export function diffStatus(prev: DeviceStatus | undefined, next: DeviceStatus): DeviceStatusDelta | null {
  if (!prev) return { ...next };
  const delta: Record<string, unknown> = { deviceId: next.deviceId, updatedAt: next.updatedAt };
  let changed = false;
  for (const field of FIELDS) {
    if (field === 'deviceId' || field === 'updatedAt') continue;
    if (!sameJson(prev[field], next[field])) {
      delta[field] = next[field];
      changed = true;
    }
  }
  return changed ? (delta as DeviceStatusDelta) : null;
}

/** One delta with the effect of `older` then `newer` (for coalescing and for holding back). */
export function mergeDeltas(older: DeviceStatusDelta, newer: DeviceStatusDelta): DeviceStatusDelta {
  return { ...older, ...newer };
}

/**
 * `current` with `delta` applied. A device not known yet becomes known only from a delta that
 * carries every field; otherwise null (the caller reloads the list).
 */
export function applyDelta(current: DeviceStatus | undefined, delta: DeviceStatusDelta): DeviceStatus | null {
  if (current) return { ...current, ...delta };
  const parsed = DeviceStatus.safeParse(delta);
  return parsed.success ? parsed.data : null;
}
