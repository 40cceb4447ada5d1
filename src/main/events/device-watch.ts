import { events, mergeDeltas, type DeviceStatusDelta, type EventName } from '../../shared/contract';
import type { EventItem } from '../../shared/rpc/wire';

/**
 * What one client hears about devices: deltas of the devices it watches go out by the express
 * lane (`express`, collected as they are emitted and sent a few milliseconds later, not at the
 * hub's next tick: they are what the user is looking at); the others' are merged here, each
 * device's released `summaryMs` after it was first held, so a browser showing 40 cards of a
 * 1,000-printer lab is not sent 1,000 devices at full rate, and the summary reaches it spread over
 * the ticks, a few devices each, not as one message of a thousand that would stall the page. Detail streams about one device (events declaring
 * `deviceOf`, such as terminal lines) reach it only for watched devices. A client that never says
 * what it watches hears everything at the hub's tick (the desktop window, scripts).
 */
export class DeviceWatch {
  private watched: ReadonlySet<string> | null = null;
  /** Unwatched devices' deltas, merged, in the order they were first held (so the oldest are first). */
  private readonly held = new Map<string, { delta: DeviceStatusDelta; since: number }>();
  /** Held deltas to send at the next delivery whatever the summary clock says (newly watched devices). */
  private readonly releaseNow = new Set<string>();
  /** Watched devices' deltas waiting for the express lane, merged per device. */
  private readonly fast = new Map<string, DeviceStatusDelta>();

  constructor(readonly summaryMs: number) {}

  /** Watches these devices (null: all of them). Held deltas of devices now watched go out at the next tick. */
  watch(deviceIds: readonly string[] | null): void {
    this.watched = deviceIds === null ? null : new Set(deviceIds);
    for (const id of this.held.keys()) if (this.watched === null || this.watched.has(id)) this.releaseNow.add(id);
    // Hearing everything again: the tick carries it all, so what waits for the express lane goes with it.
    if (this.watched === null) {
      for (const delta of this.fast.values()) this.hold(delta, 0);
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
    const held = this.held.get(delta.deviceId)?.delta;
    const waiting = this.fast.get(delta.deviceId);
    this.held.delete(delta.deviceId);
    this.releaseNow.delete(delta.deviceId);
    let merged = delta;
    if (waiting) merged = mergeDeltas(waiting, merged);
    if (held) merged = mergeDeltas(held, merged);
    this.fast.set(delta.deviceId, merged);
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
    if (this.releaseNow.size > 0) return 0;
    for (const { since } of this.held.values()) return since + this.summaryMs;
    return Infinity;
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
      this.hold(delta, now);
    }
    for (const id of this.releaseNow) this.release(id, out);
    this.releaseNow.clear();
    // Oldest first: stop at the first that is not due yet.
    for (const [id, { since }] of this.held) {
      if (since + this.summaryMs > now) break;
      this.release(id, out);
    }
    return out;
  }

  /** Holds a delta, merged into what is held for its device (keeping when that was first held). */
  private hold(delta: DeviceStatusDelta, now: number): void {
    const before = this.held.get(delta.deviceId);
    if (before) before.delta = mergeDeltas(before.delta, delta);
    else this.held.set(delta.deviceId, { delta, since: now });
  }

  private release(id: string, out: EventItem[]): void {
    const held = this.held.get(id);
    if (!held) return;
    this.held.delete(id);
    out.push({ name: 'devices.delta', payload: held.delta });
  }

  private forget(deviceId: string): void {
    this.held.delete(deviceId);
    this.fast.delete(deviceId);
    this.releaseNow.delete(deviceId);
  }
}
