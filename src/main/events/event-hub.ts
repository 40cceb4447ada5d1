import { events, type EventName, type PayloadOf } from '../../shared/contract';
import type { EventItem } from '../../shared/rpc/wire';

/** Where batches go: one per renderer window or WebSocket client. */
export interface EventSink {
  deliver(batch: readonly EventItem[]): void;
}

export interface EventHubOptions {
  /** Flush period; 50 ms bounds every sink to 20 messages a second whatever the fleet size. */
  tickMs?: number;
}

/**
 * Collects events from every service and sends them to every sink once per tick.
 * Events declared with a coalesce key keep only their latest payload per key, so a fleet of
 * devices reporting at any rate costs each sink at most one message per tick.
 */
export class EventHub {
  private readonly sinks = new Set<EventSink>();
  private readonly pending = new Map<string, EventItem>();
  private sequence = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly tickMs: number;

  constructor(options: EventHubOptions = {}) {
    this.tickMs = options.tickMs ?? 50;
  }

  emit<E extends EventName>(name: E, payload: PayloadOf<E>): void {
    const spec = events[name];
    const coalesce = spec.coalesceKey as ((p: PayloadOf<E>) => string) | undefined;
    const key = coalesce ? `${name}\u0000${coalesce(payload)}` : `#${this.sequence++}`;
    // Delete first so a re-emitted key moves behind events that came after its previous value.
    this.pending.delete(key);
    this.pending.set(key, { name, payload });
    this.schedule();
  }

  addSink(sink: EventSink): () => void {
    this.sinks.add(sink);
    return () => {
      this.sinks.delete(sink);
    };
  }

  get sinkCount(): number {
    return this.sinks.size;
  }

  /** Sends what is pending now; used on shutdown and by tests. */
  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.pending.size === 0) return;
    const batch = [...this.pending.values()];
    this.pending.clear();
    for (const sink of this.sinks) {
      try {
        sink.deliver(batch);
      } catch {
        // A failing sink (closed window, dead socket) must not starve the others; it removes itself.
      }
    }
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pending.clear();
    this.sinks.clear();
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush();
    }, this.tickMs);
    this.timer.unref?.();
  }
}
