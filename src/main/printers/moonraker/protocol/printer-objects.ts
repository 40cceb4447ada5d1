import { OBJECT_NAMES, OBJECT_SCHEMAS, type ObjectName, type PrinterObjects } from './schemas';

/**
 * The subscription Printdeck asks for, as `printer.objects.subscribe` params. One call for
 * everything: every subscribe replaces the connection's previous one. `null` = all fields.
 */
export function subscribeParams(): { objects: Record<ObjectName, null> } {
  return { objects: Object.fromEntries(OBJECT_NAMES.map((n) => [n, null])) as Record<ObjectName, null> };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Merges a status diff into the cached objects, field by field. `notify_status_update` carries
 * only the fields that changed, so a missing field means "unchanged", never "gone"; fields
 * with a value of the wrong type are skipped (the old value stays), unknown objects ignored.
 */
export function mergeObjects(current: PrinterObjects, diff: unknown): PrinterObjects {
  if (!isRecord(diff)) return current;
  let next: PrinterObjects | null = null;
  for (const name of OBJECT_NAMES) {
    const patch = diff[name];
    if (!isRecord(patch)) continue;
    const shape = OBJECT_SCHEMAS[name].shape as Record<string, { safeParse(v: unknown): { success: boolean; data?: unknown } }>;
    const merged: Record<string, unknown> = { ...(current[name] ?? {}) };
    let changed = false;
    for (const [field, value] of Object.entries(patch)) {
      const schema = shape[field];
      if (!schema) continue;
      const parsed = schema.safeParse(value);
      if (!parsed.success) continue;
      merged[field] = parsed.data;
      changed = true;
    }
    if (!changed) continue;
    next ??= { ...current };
    (next as Record<string, unknown>)[name] = merged;
  }
  return next ?? current;
}

/** The cache rebuilt from a subscribe reply (full values), after every (re)subscribe. */
export function seedObjects(status: unknown): PrinterObjects {
  return mergeObjects({}, status);
}
