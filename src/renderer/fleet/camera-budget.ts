/**
 * How the camera wall shares one bandwidth budget: snapshots are fetched one after another, the
 * visible tile with the oldest frame first, and after each the wall waits as long as that
 * snapshot's bytes take at the budget's rate. However many tiles are on screen, the wall never
 * pulls more than the budget; with few tiles, each still waits `minIntervalMs` between frames.
 */
export interface CameraBudgetOptions {
  bytesPerSecond: number;
  minIntervalMs: number;
  /** The tile shown large refreshes at this interval, ahead of the others. */
  focusIntervalMs: number;
}

export const DEFAULT_CAMERA_BUDGET: CameraBudgetOptions = { bytesPerSecond: 1_000_000, minIntervalMs: 5_000, focusIntervalMs: 1_000 };

/** The next tile to fetch, or null when none is due yet. */
export function pickNextCamera(
  visible: Iterable<string>,
  lastFetched: ReadonlyMap<string, number>,
  now: number,
  options: CameraBudgetOptions,
  focused: string | null = null,
): string | null {
  if (focused !== null && now - (lastFetched.get(focused) ?? 0) >= options.focusIntervalMs) return focused;
  let best: string | null = null;
  let bestAt = Infinity;
  for (const id of visible) {
    const at = lastFetched.get(id) ?? 0;
    if (now - at < options.minIntervalMs) continue;
    if (at < bestAt) {
      best = id;
      bestAt = at;
    }
  }
  return best;
}

/** How long to wait after a snapshot of `bytes` so the wall stays within the budget. */
export function pauseAfter(bytes: number, options: CameraBudgetOptions): number {
  return Math.ceil((bytes / options.bytesPerSecond) * 1000);
}
