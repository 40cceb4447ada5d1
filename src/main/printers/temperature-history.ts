import type { TemperatureSample } from '../../shared/contract';
import type { DeviceStatus } from '../../shared/domain/device';

const MIN_INTERVAL_MS = 1_000;
const CAPACITY = 4_000;

/**
 * The last half hour or so of every device's temperatures, so a chart opened now shows history
 * rather than starting empty. Samples at most once a second per device, in a bounded ring.
 */
export class TemperatureHistory {
  private readonly byDevice = new Map<string, { samples: TemperatureSample[]; lastAt: number }>();

  record(status: DeviceStatus): void {
    if (status.temperatures.length === 0) return;
    let entry = this.byDevice.get(status.deviceId);
    if (!entry) this.byDevice.set(status.deviceId, (entry = { samples: [], lastAt: 0 }));
    const t = status.updatedAt;
    if (t - entry.lastAt < MIN_INTERVAL_MS) return;
    entry.lastAt = t;
    for (const temp of status.temperatures) entry.samples.push({ t, sensor: temp.sensor, actual: temp.actual, target: temp.target });
    if (entry.samples.length > CAPACITY) entry.samples.splice(0, entry.samples.length - CAPACITY);
  }

  samples(deviceId: string): TemperatureSample[] {
    return [...(this.byDevice.get(deviceId)?.samples ?? [])];
  }

  forget(deviceId: string): void {
    this.byDevice.delete(deviceId);
  }
}
