import { events, mergeDeltas, type DeviceStatusDelta, type EventName } from '../../shared/contract';
import type { EventItem } from '../../shared/rpc/wire';

/**
 * What one client hears about devices: deltas of the devices it watches go out by the express
 * lane (`express`, collected as they are emitted and sent a few milliseconds later, not at the
 * hub's next tick: they are what the user is looking at); the others' are merged here and
 * released together once every `summaryMs`, so a browser showing 40 cards of a 1,000-printer lab
 * is not sent 1,000 devices at full rate. Detail streams about one device (events declaring
 * `deviceOf`, such as terminal lines) reach it only for watched devices. A client that never says
 * what it watches hears everything at the hub's tick (the desktop window, scripts).
 */
export class DeviceWatch {
  private watched: ReadonlySet<string> | null = null;
  private readonly held = new Map<string, DeviceStatusDelta>();
  /** Held deltas to send at the next delivery whatever the summary clock says (newly watched devices). */
  private readonly releaseNow = new Set<string>();
  /** Watched devices' deltas waiting for the express lane, merged per device. */
  private readonly fast = new Map<string, DeviceStatusDelta>();
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
    // Hearing everything again: the tick carries it all, so what waits for the express lane goes with it.
    if (this.watched === null) {
      for (const [id, delta] of this.fast) this.held.set(id, delta);
      for (const id of this.fast.keys()) this.releaseNow.add(id);
      this.fast.clear();
    }
  }

  /**
   * Takes a delta as it is emitted when it is about a watched device (true: it waits for the
   * express lane, and the tick will not send it again); false leaves it to the tick. The hub hands
   * it every delta as it is emitted, and those still waiting for the tick when the client starts
   * watching their device, so the tick never has one the express lane did not take.
   */
  express(delta: DeviceStatusDelta): boolean {
    if (this.watched === null || !this.watched.has(delta.deviceId)) return false;
    // Something held from before the device was watched goes first, merged, so nothing older overtakes it.
    const before = this.fast.get(delta.deviceId) ?? this.held.get(delta.deviceId);
    this.held.delete(delta.deviceId);
    this.releaseNow.delete(delta.deviceId);
    this.fast.set(delta.deviceId, before ? mergeDeltas(before, delta) : delta);
    return true;
  }

  /** What the express lane sends now (and forgets). */
  takeExpress(): EventItem[] {
    const out: EventItem[] = [];
    for (const payload of this.fast.values()) out.push({ name: 'devices.delta', payload });
    this.fast.clear();
    return out;
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
        // Taken by the express lane when it was emitted (or when the client started watching).
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
    this.fast.delete(deviceId);
    this.releaseNow.delete(deviceId);
  }
}
