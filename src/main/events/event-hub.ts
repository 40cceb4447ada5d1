import { events, UNWATCHED_SUMMARY_MS, type EventName, type PayloadOf } from '../../shared/contract';
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
 * most one message per tick. A client watching some devices gets the others' deltas merged at
 * the slower summary rate.
 */
export class EventHub {
  private readonly sinks = new Set<SinkEntry>();
  private readonly pending = new Map<string, EventItem>();
  private sequence = 0;
  private timer: NodeJS.Timeout | null = null;
  private timerAt = 0;
  private readonly tickMs: number;
  private readonly summaryMs: number;

  constructor(options: EventHubOptions = {}) {
    this.tickMs = options.tickMs ?? 50;
    this.summaryMs = options.summaryMs ?? UNWATCHED_SUMMARY_MS;
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
      entry.watch ??= new DeviceWatch(this.summaryMs, Date.now());
      entry.watch.watch(deviceIds);
      if (entry.watch.holding) this.schedule(this.tickMs);
    }
    return { watching: deviceIds === null ? null : new Set(deviceIds).size, summaryMs: this.summaryMs };
  }

  get sinkCount(): number {
    return this.sinks.size;
  }

  /** Sends what is pending now (and what watching sinks have due); used on shutdown and by tests. */
  flush(): void {
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
