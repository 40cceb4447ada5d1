import { applyDelta, mergeDeltas, type DeviceStatus, type DeviceStatusDelta } from '../../shared/contract';

/**
 * Deltas waiting for the next frame, merged per device: a device that changed three times since
 * the last frame costs one update, and the queue never holds more than one entry per device (a
 * hidden tab, where frames stop, cannot make it grow).
 */
export class DeltaQueue {
  private readonly pending = new Map<string, DeviceStatusDelta>();

  /** Adds a delta; true when the queue was empty (the caller then schedules a flush). */
  add(delta: DeviceStatusDelta): boolean {
    const before = this.pending.get(delta.deviceId);
    this.pending.set(delta.deviceId, before ? mergeDeltas(before, delta) : delta);
    return before === undefined && this.pending.size === 1;
  }

  /** Everything queued, oldest device first; the queue is empty afterwards. */
  take(): DeviceStatusDelta[] {
    const all = [...this.pending.values()];
    this.pending.clear();
    return all;
  }

  get size(): number {
    return this.pending.size;
  }
}

/**
 * `byId` with the deltas applied, copied once. Devices a delta does not change keep their object,
 * so views can skip them. A delta older than the status held (queued before a fresher
 * `devices.list` arrived) is skipped: the list already holds what it says and more.
 * `unknown`: a partial delta came for a device not held (reload the list).
 */
export function applyDeltas(byId: Readonly<Record<string, DeviceStatus>>, deltas: readonly DeviceStatusDelta[]): { byId: Record<string, DeviceStatus>; unknown: boolean } {
  const next = { ...byId };
  let unknown = false;
  for (const delta of deltas) {
    const current = next[delta.deviceId];
    if (current && delta.updatedAt < current.updatedAt) continue;
    const applied = applyDelta(current, delta);
    if (applied) next[delta.deviceId] = applied;
    else unknown = true;
  }
  return { byId: next, unknown };
}

/**
 * Runs `run` once, at the next animation frame, or after `fallbackMs` when frames do not come
 * (a hidden tab, a test environment without them): whichever is first.
 */
export function onNextFrame(run: () => void, fallbackMs = 100): void {
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    run();
  };
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(once);
  setTimeout(once, fallbackMs);
}
