import { events, UNWATCHED_SUMMARY_MS, type DeviceStatusDelta, type EventName, type PayloadOf } from '../../shared/contract';
import type { EventItem } from '../../shared/rpc/wire';
import { DeviceWatch } from './device-watch';

/** Where batches go: one per renderer window or WebSocket client. */
export interface EventSink {
  deliver(batch: readonly EventItem[]): void;
}

export interface EventHubOptions {
  /** Flush period; 50 ms bounds every sink to 20 messages a second whatever the fleet size. */
  tickMs?: number;
  /** How often a client that watches some devices hears about the others. */
  summaryMs?: number;
  /**
   * How long a watched device's delta waits for others to share its message (the express lane):
   * shorter than the tick, since it is what a user is looking at, and cheap, since a screen
   * watches tens of devices, not the fleet.
   */
  expressMs?: number;
}

interface SinkEntry {
  sink: EventSink;
  clientId: string | null;
  /** Set once the client says which devices it shows (`devices.watch`). */
  watch: DeviceWatch | null;
}

/**
 * Collects events from every service and sends them to every sink once per tick.
 * Events declared with a coalesce key keep only their latest payload per key (or, with a merge,
 * one payload combining them), so a fleet of devices reporting at any rate costs each sink at
 * most one message per tick. A client watching some devices gets their deltas by an express lane
 * (`expressMs`, one more message per express period at most) and the others' merged at the
 * slower summary rate.
 */
export class EventHub {
  private readonly sinks = new Set<SinkEntry>();
  private readonly pending = new Map<string, EventItem>();
  private sequence = 0;
  private timer: NodeJS.Timeout | null = null;
  private timerAt = 0;
  private expressTimer: NodeJS.Timeout | null = null;
  private readonly tickMs: number;
  private readonly summaryMs: number;
  private readonly expressMs: number;

  constructor(options: EventHubOptions = {}) {
    this.tickMs = options.tickMs ?? 50;
    this.summaryMs = options.summaryMs ?? UNWATCHED_SUMMARY_MS;
    this.expressMs = Math.min(this.tickMs, options.expressMs ?? 10);
  }

  emit<E extends EventName>(name: E, payload: PayloadOf<E>): void {
    const spec = events[name];
    const coalesce = spec.coalesceKey as ((p: PayloadOf<E>) => string) | undefined;
    const merge = (spec as { merge?: (a: PayloadOf<E>, b: PayloadOf<E>) => PayloadOf<E> }).merge;
    const key = coalesce ? `${name}\u0000${coalesce(payload)}` : `#${this.sequence++}`;
    const before = merge ? this.pending.get(key) : undefined;
    // Delete first so a re-emitted key moves behind events that came after its previous value.
    this.pending.delete(key);
    this.pending.set(key, { name, payload: before && merge ? merge(before.payload as PayloadOf<E>, payload) : payload });
    this.schedule(this.tickMs);
    if (name === 'devices.delta') this.expressDelta(payload as DeviceStatusDelta);
  }

  /** Hands a delta to every client watching its device, and sends them soon. */
  private expressDelta(delta: DeviceStatusDelta): void {
    let taken = false;
    for (const entry of this.sinks) if (entry.watch?.express(delta)) taken = true;
    if (taken) this.scheduleExpress();
  }

  private scheduleExpress(): void {
    if (this.expressTimer) return;
    this.expressTimer = setTimeout(() => {
      this.expressTimer = null;
      this.flushExpress();
    }, this.expressMs);
    this.expressTimer.unref?.();
  }

  private flushExpress(): void {
    for (const entry of this.sinks) {
      const items = entry.watch?.takeExpress() ?? [];
      if (items.length === 0) continue;
      try {
        entry.sink.deliver(items);
      } catch {
        // As in flush: a failing sink removes itself.
      }
    }
  }

  /** `clientId` names the client behind the sink, so its `devices.watch` calls reach it. */
  addSink(sink: EventSink, clientId?: string): () => void {
    const entry: SinkEntry = { sink, clientId: clientId ?? null, watch: null };
    this.sinks.add(entry);
    return () => {
      this.sinks.delete(entry);
    };
  }

  /** The devices a client shows (null: all at full rate); returns how many it watches. */
  watch(clientId: string, deviceIds: readonly string[] | null): { watching: number | null; summaryMs: number } {
    for (const entry of this.sinks) {
      if (entry.clientId !== clientId) continue;
      entry.watch ??= new DeviceWatch(this.summaryMs);
      entry.watch.watch(deviceIds);
      // What waits for the tick about devices now watched goes by the express lane instead.
      let taken = false;
      for (const item of this.pending.values()) if (item.name === 'devices.delta' && entry.watch.express(item.payload as DeviceStatusDelta)) taken = true;
      if (taken) this.scheduleExpress();
      if (entry.watch.holding) this.schedule(this.tickMs);
    }
    return { watching: deviceIds === null ? null : new Set(deviceIds).size, summaryMs: this.summaryMs };
  }

  get sinkCount(): number {
    return this.sinks.size;
  }

  /** Sends what is pending now (and what watching sinks have due); used on shutdown and by tests. */
  flush(): void {
    if (this.expressTimer) {
      clearTimeout(this.expressTimer);
      this.expressTimer = null;
      this.flushExpress();
    }
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const batch = [...this.pending.values()];
    this.pending.clear();
    const now = Date.now();
    let nextDue = Infinity;
    for (const entry of this.sinks) {
      const items = entry.watch ? entry.watch.filter(batch, now) : batch;
      if (entry.watch?.holding) nextDue = Math.min(nextDue, entry.watch.dueAt);
      if (items.length === 0) continue;
      try {
        entry.sink.deliver(items);
      } catch {
        // A failing sink (closed window, dead socket) must not starve the others; it removes itself.
      }
    }
    if (nextDue !== Infinity) this.schedule(Math.max(this.tickMs, nextDue - now));
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.expressTimer) clearTimeout(this.expressTimer);
    this.expressTimer = null;
    this.pending.clear();
    this.sinks.clear();
  }

  private schedule(delayMs: number): void {
    const at = Date.now() + delayMs;
    if (this.timer) {
      if (this.timerAt <= at) return;
      clearTimeout(this.timer);
    }
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush();
    }, delayMs);
    this.timer.unref?.();
  }
}
