import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CurrentPayload,
  PrinterResponse,
  samplesFromPoints,
  TemperatureRing,
  type TemperatureSample,
} from '../../../src/main/printers/octoprint/protocol';
import { pick, samples1 } from './samples';

const sample = (time: number, sensor = 'tool0'): TemperatureSample => ({
  time,
  sensor,
  actual: time,
  target: null,
});

describe('samplesFromPoints', () => {
  it('extracts (time, sensor, actual, target) from the captured REST history', () => {
    const printer = PrinterResponse.parse(pick(samples1, 'rest', 'printer'));
    expect(samplesFromPoints(printer.temperature?.history ?? [])).toEqual([
      { time: 1795311094, sensor: 'tool0', actual: 21.72, target: 50 },
      { time: 1795311094, sensor: 'bed', actual: 21.49, target: 40 },
      { time: 1795311095, sensor: 'tool0', actual: 31.36, target: 50 },
      { time: 1795311095, sensor: 'bed', actual: 31.13, target: 40 },
    ]);
  });

  it('skips points without time, time-only points, empty heaters and odd values', () => {
    const points = [
      { bed: { actual: 31.13, target: 40 } }, // captured /api/printer/bed history shape
      { time: 10 },
      {
        time: 11,
        chamber: { actual: null, target: null },
        tool1: { actual: 'hot', target: 1 },
        tool0: { actual: 25, target: null },
      },
    ];
    expect(samplesFromPoints(points)).toEqual([
      { time: 11, sensor: 'tool0', actual: 25, target: null },
    ]);
  });

  it('reads the temps of a captured current (empty) without failing', () => {
    const current = CurrentPayload.parse(pick(samples1, 'messages', 'current_printing'));
    expect(samplesFromPoints(current.temps)).toEqual([]);
  });
});

describe('TemperatureRing', () => {
  it('refuses a capacity below 1 or fractional', () => {
    for (const bad of [0, -5, 2.5, Number.NaN])
      expect(() => new TemperatureRing(bad)).toThrow(RangeError);
  });

  it('keeps samples in order until full', () => {
    const ring = new TemperatureRing(3);
    ring.pushAll([sample(1), sample(2)]);
    expect(ring.size).toBe(2);
    expect(ring.toArray().map((s) => s.time)).toEqual([1, 2]);
  });

  it('drops the oldest when full', () => {
    const ring = new TemperatureRing(3);
    ring.pushAll([1, 2, 3, 4, 5].map((t) => sample(t)));
    expect(ring.size).toBe(3);
    expect(ring.toArray().map((s) => s.time)).toEqual([3, 4, 5]);
  });

  it('replaceAll starts over (a history message carries the whole backlog)', () => {
    const ring = new TemperatureRing(4);
    ring.pushAll([1, 2, 3].map((t) => sample(t)));
    ring.replaceAll([sample(10), sample(11)]);
    expect(ring.toArray().map((s) => s.time)).toEqual([10, 11]);
    ring.clear();
    expect(ring.size).toBe(0);
    expect(ring.toArray()).toEqual([]);
  });

  it('toArray is a copy', () => {
    const ring = new TemperatureRing(2);
    ring.push(sample(1));
    const snapshot = ring.toArray();
    ring.push(sample(2));
    expect(snapshot).toHaveLength(1);
  });

  it('groups by sensor for the chart', () => {
    const ring = new TemperatureRing(10);
    ring.pushAll([sample(1, 'tool0'), sample(1, 'bed'), sample(2, 'tool0')]);
    const series = ring.bySensor();
    expect(series.get('tool0')?.map((s) => s.time)).toEqual([1, 2]);
    expect(series.get('bed')?.map((s) => s.time)).toEqual([1]);
  });

  it('holds exactly the newest min(n, capacity) samples (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.array(fc.integer(), { maxLength: 200 }),
        (capacity, times) => {
          const ring = new TemperatureRing(capacity);
          for (const time of times) ring.push(sample(time));
          expect(ring.size).toBe(Math.min(times.length, capacity));
          expect(ring.toArray().map((s) => s.time)).toEqual(
            times.slice(Math.max(0, times.length - capacity)),
          );
        },
      ),
    );
  });
});
