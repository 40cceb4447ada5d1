import type { TemperatureSample } from './temperature-points';

/**
 * A fixed-capacity ring of temperature samples for the chart. When full, each new sample
 * drops the oldest, so memory stays bounded however long a printer stays connected.
 * (30 min of history at one point per 2 s with 3 sensors is ~2 700 samples.)
 */
export class TemperatureRing {
  readonly capacity: number;
  private readonly slots: (TemperatureSample | undefined)[];
  /** Index of the oldest sample. */
  private start = 0;
  private count = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`ring capacity must be an integer >= 1, got ${capacity}`);
    }
    this.capacity = capacity;
    this.slots = new Array<TemperatureSample | undefined>(capacity).fill(undefined);
  }

  get size(): number {
    return this.count;
  }

  push(sample: TemperatureSample): void {
    const end = (this.start + this.count) % this.capacity;
    this.slots[end] = sample;
    if (this.count < this.capacity) this.count += 1;
    else this.start = (this.start + 1) % this.capacity;
  }

  pushAll(samples: Iterable<TemperatureSample>): void {
    for (const sample of samples) this.push(sample);
  }

  /**
   * Replaces the contents, for a `history` message: it carries the whole backlog again
   * (after auth or a re-subscribe), so appending would duplicate points.
   */
  replaceAll(samples: Iterable<TemperatureSample>): void {
    this.clear();
    this.pushAll(samples);
  }

  clear(): void {
    this.slots.fill(undefined);
    this.start = 0;
    this.count = 0;
  }

  /** Oldest first. A copy: callers may keep it while the ring moves on. */
  toArray(): TemperatureSample[] {
    const out: TemperatureSample[] = [];
    for (let offset = 0; offset < this.count; offset += 1) {
      const sample = this.slots[(this.start + offset) % this.capacity];
      if (sample !== undefined) out.push(sample);
    }
    return out;
  }

  /** One series per sensor, oldest first — the shape a line chart draws. */
  bySensor(): Map<string, TemperatureSample[]> {
    const series = new Map<string, TemperatureSample[]>();
    for (const sample of this.toArray()) {
      const list = series.get(sample.sensor);
      if (list === undefined) series.set(sample.sensor, [sample]);
      else list.push(sample);
    }
    return series;
  }
}
