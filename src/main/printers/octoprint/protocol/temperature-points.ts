import type { Temperature } from '../../../../shared/domain/device';
import { TemperatureReading, type TemperatureDataPoint } from './schemas/common';

/** One chart point: one sensor at one time. */
export interface TemperatureSample {
  /** Unix seconds, as OctoPrint stamps its points. */
  time: number;
  sensor: string;
  actual: number | null;
  target: number | null;
}

/** The shared status allows at most this many sensors. */
const MAX_SENSORS = 16;
const MAX_SENSOR_NAME = 32;

const finiteOrNull = (value: number | null): number | null =>
  value !== null && Number.isFinite(value) ? value : null;

/** Tools first (tool0, tool1, ... numerically), then bed, chamber, then the rest by name. */
function sensorRank(sensor: string): [number, number, string] {
  const tool = /^tool(\d+)$/.exec(sensor);
  if (tool) return [0, Number(tool[1]), sensor];
  if (sensor === 'bed') return [1, 0, sensor];
  if (sensor === 'chamber') return [2, 0, sensor];
  return [3, 0, sensor];
}

function compareSensors(a: string, b: string): number {
  const [ga, na, sa] = sensorRank(a);
  const [gb, nb, sb] = sensorRank(b);
  return ga - gb || na - nb || (sa < sb ? -1 : sa > sb ? 1 : 0);
}

/**
 * The well-formed sensor readings of one data point. Sensors with neither an actual nor a
 * target value are left out: the virtual printer reports `chamber: {null, null}` when there
 * is no chamber at all.
 */
export function readingsOfPoint(point: TemperatureDataPoint): Temperature[] {
  const readings: Temperature[] = [];
  for (const [sensor, value] of Object.entries(point)) {
    if (sensor === 'time' || sensor === '' || sensor.length > MAX_SENSOR_NAME) continue;
    const parsed = TemperatureReading.safeParse(value);
    if (!parsed.success) continue;
    const actual = finiteOrNull(parsed.data.actual);
    const target = finiteOrNull(parsed.data.target);
    if (actual === null && target === null) continue;
    readings.push({ sensor, actual, target });
  }
  readings.sort((a, b) => compareSensors(a.sensor, b.sensor));
  return readings.slice(0, MAX_SENSORS);
}

/** Flattens data points into chart samples; points without a usable `time` are skipped. */
export function samplesFromPoints(points: readonly TemperatureDataPoint[]): TemperatureSample[] {
  const samples: TemperatureSample[] = [];
  for (const point of points) {
    const time = point.time;
    if (time === undefined || !Number.isFinite(time)) continue;
    for (const reading of readingsOfPoint(point)) samples.push({ time, ...reading });
  }
  return samples;
}

/** The newest point that has any reading, as shared `Temperature` entries (or [] if none). */
export function latestReadings(points: readonly TemperatureDataPoint[]): Temperature[] {
  for (let index = points.length - 1; index >= 0; index -= 1) {
    const point = points[index];
    if (point === undefined) continue;
    const readings = readingsOfPoint(point);
    if (readings.length > 0) return readings;
  }
  return [];
}
