import { events, mergeDeltas, type DeviceStatusDelta, type EventName } from '../../shared/contract';
import type { EventItem } from '../../shared/rpc/wire';

/**
 * What one client hears about devices: deltas of the devices it watches pass every tick; the
 * others' are merged here and released together once every `summaryMs`, so a browser showing 40
 * cards of a 1,000-printer lab is not sent 1,000 devices at full rate. Detail streams about one
 * device (events declaring `deviceOf`, such as terminal lines) reach it only for watched devices. A client that never says
 * what it watches hears everything at full rate (the desktop window, scripts).
 */
export class DeviceWatch {
  private watched: ReadonlySet<string> | null = null;
  private readonly held = new Map<string, DeviceStatusDelta>();
  /** Held deltas to send at the next delivery whatever the summary clock says (newly watched devices). */
  private readonly releaseNow = new Set<string>();
  private nextSummaryAt: number;

  constructor(
    readonly summaryMs: number,
    now: number,
  ) {
    this.nextSummaryAt = now + summaryMs;
  }

  /** Watches these devices (null: all of them). Held deltas of devices now watched go out at the next tick. */
  watch(deviceIds: readonly string[] | null): void {
    this.watched = deviceIds === null ? null : new Set(deviceIds);
    for (const id of this.held.keys()) if (this.watched === null || this.watched.has(id)) this.releaseNow.add(id);
  }

  get watching(): number | null {
    return this.watched?.size ?? null;
  }

  /** Whether something is held; the hub then keeps ticking so it is released in time. */
  get holding(): boolean {
    return this.held.size > 0;
  }

  /** When held deltas are next due (ms since the epoch). */
  get dueAt(): number {
    return this.releaseNow.size > 0 ? 0 : this.nextSummaryAt;
  }

  /** What to send now of `batch`, plus what is due of what was held. */
  filter(batch: readonly EventItem[], now: number): EventItem[] {
    const out: EventItem[] = [];
    for (const item of batch) {
      if (item.name === 'devices.removed') this.forget((item.payload as { deviceId: string }).deviceId);
      if (this.watched === null) {
        out.push(item);
        continue;
      }
      const deviceOf = (events[item.name as EventName] as { deviceOf?: (p: unknown) => string } | undefined)?.deviceOf;
      if (deviceOf) {
        if (this.watched.has(deviceOf(item.payload))) out.push(item);
        continue;
      }
      if (item.name !== 'devices.delta') {
        out.push(item);
        continue;
      }
      const delta = item.payload as DeviceStatusDelta;
      if (this.watched.has(delta.deviceId)) {
        const before = this.held.get(delta.deviceId);
        this.forget(delta.deviceId);
        out.push(before ? { name: item.name, payload: mergeDeltas(before, delta) } : item);
        continue;
      }
      const before = this.held.get(delta.deviceId);
      this.held.set(delta.deviceId, before ? mergeDeltas(before, delta) : delta);
    }
    for (const id of this.releaseNow) this.release(id, out);
    this.releaseNow.clear();
    if (now >= this.nextSummaryAt) {
      for (const id of [...this.held.keys()]) this.release(id, out);
      this.nextSummaryAt = now + this.summaryMs;
    }
    return out;
  }

  private release(id: string, out: EventItem[]): void {
    const delta = this.held.get(id);
    if (!delta) return;
    this.held.delete(id);
    out.push({ name: 'devices.delta', payload: delta });
  }

  private forget(deviceId: string): void {
    this.held.delete(deviceId);
    this.releaseNow.delete(deviceId);
  }
}
