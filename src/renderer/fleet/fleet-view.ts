import type { DeviceStatus, PrinterFamily } from '../../shared/contract';
import { isJobActive, isPaused, isPrinting, isUnreachable } from '../../shared/domain/device-state';

/**
 * What the Devices screen shows of a large fleet: search, filters and sorts as plain functions,
 * so they are tested without a DOM and cost one pass over the fleet.
 */

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** Natural order: "P1S #5" before "P1S #10", case and accents ignored. */
export function naturalCompare(a: string, b: string): number {
  return collator.compare(a, b);
}

export type StateFilter = 'printing' | 'paused' | 'idle' | 'attention';
export type SortBy = 'name' | 'state' | 'progress' | 'remaining';

export interface FleetFilter {
  query: string;
  states: readonly StateFilter[];
  family: PrinterFamily | null;
}

export const NO_FILTER: FleetFilter = { query: '', states: [], family: null };

/** A printer a lab manager should look at: a problem, an error, or out of reach. */
export function needsAttention(d: DeviceStatus): boolean {
  return d.problem !== null || d.state === 'error' || isUnreachable(d.link);
}

function stateGroup(d: DeviceStatus): StateFilter {
  if (needsAttention(d)) return 'attention';
  if (isPaused(d.state)) return 'paused';
  if (isPrinting(d.state) || isJobActive(d.state)) return 'printing';
  return 'idle';
}

/** Search covers the name, the model, the file printing and the family. */
export function matchesQuery(d: DeviceStatus, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (q === '') return true;
  return [d.name, d.model ?? '', d.job?.name ?? '', d.family].some((text) => text.toLowerCase().includes(q));
}

export function matchesFilter(d: DeviceStatus, f: FleetFilter): boolean {
  if (f.family !== null && d.family !== f.family) return false;
  if (f.states.length > 0 && !f.states.includes(stateGroup(d))) return false;
  return matchesQuery(d, f.query);
}

/** Problems first, then paused, printing, idle: what a lab manager scans for. */
const STATE_RANK: Record<StateFilter, number> = { attention: 0, paused: 1, printing: 2, idle: 3 };

type SortKey = readonly [number, string];

/** The key a device sorts by, taken once: later status changes do not move it. */
export function sortKey(d: DeviceStatus, by: SortBy): SortKey {
  switch (by) {
    case 'name':
      return [0, d.name];
    case 'state':
      return [STATE_RANK[stateGroup(d)], d.name];
    case 'progress':
      // Most advanced first; no job last.
      return [d.job?.progress == null ? 2 : 1 - d.job.progress, d.name];
    case 'remaining':
      return [d.job?.remainingSec ?? Number.MAX_SAFE_INTEGER, d.name];
  }
}

function compareKeys(a: SortKey, b: SortKey): number {
  return a[0] - b[0] || naturalCompare(a[1], b[1]);
}

/**
 * The order of the fleet under a sort, stable while statuses change: `keys` holds each device's
 * key from when the sort was chosen (or from when the device first appeared), so a printer that
 * pauses or finishes stays where the user saw it. Choosing the sort again re-sorts (clear `keys`).
 * Returns the ids in order; `keys` is filled in for new devices and pruned of gone ones.
 */
export function stableOrder(devices: readonly DeviceStatus[], by: SortBy, keys: Map<string, SortKey>): string[] {
  const present = new Set<string>();
  for (const d of devices) {
    present.add(d.deviceId);
    if (!keys.has(d.deviceId)) keys.set(d.deviceId, sortKey(d, by));
  }
  for (const id of keys.keys()) if (!present.has(id)) keys.delete(id);
  return [...present].sort((a, b) => compareKeys(keys.get(a)!, keys.get(b)!) || (a < b ? -1 : a > b ? 1 : 0));
}

/** Which rows of a virtual list are on screen (plus `overscan` rows either side). */
export function visibleRows(scrollTop: number, viewportHeight: number, rowHeight: number, rowCount: number, overscan = 2): { first: number; last: number } {
  if (rowCount === 0 || rowHeight <= 0) return { first: 0, last: -1 };
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(rowCount - 1, Math.ceil((scrollTop + Math.max(viewportHeight, rowHeight)) / rowHeight) - 1 + overscan);
  return { first, last };
}

/** Where focus goes from `index` in a grid of `columns` for an arrow, Home or End key; null for other keys. */
export function moveFocus(index: number, key: string, columns: number, count: number): number | null {
  if (count === 0) return null;
  const step: Record<string, number> = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -columns, ArrowDown: columns };
  if (key === 'Home') return 0;
  if (key === 'End') return count - 1;
  const delta = step[key];
  if (delta === undefined) return null;
  const next = index + delta;
  return next < 0 || next >= count ? index : next;
}

/** A device's room for grouping: its first tag in natural order, or null. */
export function groupOf(tags: readonly string[] | undefined): string | null {
  if (!tags || tags.length === 0) return null;
  return [...tags].sort(naturalCompare)[0] ?? null;
}

export type FleetRow<D> = { kind: 'header'; group: string | null; count: number; collapsed: boolean } | { kind: 'cells'; items: D[]; firstIndex: number };

/**
 * The rows of the virtual list: without groups, the items cut into rows of `columns`; with
 * groups, a header per group (named groups in natural order, then the ungrouped) followed by its
 * rows unless collapsed. `firstIndex` numbers the items a user can reach with the keyboard.
 */
export function fleetRows<D>(items: readonly D[], columns: number, group: ((item: D) => string | null) | null, collapsed: ReadonlySet<string>): FleetRow<D>[] {
  const rows: FleetRow<D>[] = [];
  let index = 0;
  const cut = (list: readonly D[]) => {
    for (let i = 0; i < list.length; i += columns) {
      rows.push({ kind: 'cells', items: list.slice(i, i + columns), firstIndex: index });
      index += Math.min(columns, list.length - i);
    }
  };
  if (!group) {
    cut(items);
    return rows;
  }
  const groups = new Map<string | null, D[]>();
  for (const item of items) {
    const g = group(item);
    const list = groups.get(g);
    if (list) list.push(item);
    else groups.set(g, [item]);
  }
  const names = [...groups.keys()].sort((a, b) => (a === null ? 1 : b === null ? -1 : naturalCompare(a, b)));
  for (const name of names) {
    const list = groups.get(name)!;
    const isCollapsed = collapsed.has(name ?? '');
    rows.push({ kind: 'header', group: name, count: list.length, collapsed: isCollapsed });
    if (!isCollapsed) cut(list);
  }
  return rows;
}

/** Offsets of rows of varying height; `offsets[i]` is where row i starts, the last entry the total. */
export function rowOffsets(heights: readonly number[]): number[] {
  const offsets = [0];
  for (const h of heights) offsets.push(offsets[offsets.length - 1]! + h);
  return offsets;
}

/** Rows overlapping the viewport (plus `overscan` either side), by binary search over the offsets. */
export function visibleByOffsets(offsets: readonly number[], scrollTop: number, viewportHeight: number, overscan = 2): { first: number; last: number } {
  const count = offsets.length - 1;
  if (count <= 0) return { first: 0, last: -1 };
  const find = (y: number) => {
    let lo = 0;
    let hi = count - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (offsets[mid]! <= y) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  return { first: Math.max(0, find(scrollTop) - overscan), last: Math.min(count - 1, find(scrollTop + Math.max(0, viewportHeight - 1)) + overscan) };
}
