import { afterEach, describe, expect, it, vi } from 'vitest';
import { Coalescer } from '../../../src/main/mqtt/coalescer';
import { jobEventOf, toStatePayload, worthPublishing } from '../../../src/main/mqtt/payloads';
import { hostTopics, parseTopic, SLUG, slugify } from '../../../src/main/mqtt/topics';
import { NO_CAPABILITIES, type DeviceStatus } from '../../../src/shared/domain/device';

const status = (patch: Partial<DeviceStatus> = {}): DeviceStatus => ({
  deviceId: 'xyz:1',
  connectionId: 'c1',
  family: 'xyz',
  name: 'MK4',
  model: null,
  serial: null,
  firmware: null,
  link: 'online',
  state: 'idle',
  stateText: 'Idle',
  job: null,
  temperatures: [
    { sensor: 'tool0', actual: 200, target: 210 },
    { sensor: 'bed', actual: 60, target: 60 },
  ],
  filament: null,
  problem: null,
  capabilities: NO_CAPABILITIES,
  updatedAt: 1,
  ...patch,
});

describe('topic tree', () => {
  it('slugs keep ids apart and hold no separator, wildcard or $', () => {
    const ids = ['xyz:1', 'XYZ:1', 'xyz-1', 'a/b', 'a+b', '#', '$SYS', 'ünïcode', 'kept-as-is'];
    const slugs = ids.map(slugify);
    expect(new Set(slugs).size).toBe(ids.length);
    for (const s of slugs) expect(s).toMatch(SLUG);
    expect(slugify('kept-as-is')).toBe('kept-as-is');
  });

  it('parses what it builds, and nothing of another site', () => {
    const t = hostTopics('printdeck', 'lab', 'h1');
    expect(parseTopic('printdeck', 'lab', t.status)).toEqual({ kind: 'host-status', host: 'h1' });
    expect(parseTopic('printdeck', 'lab', t.printer('p1').state)).toEqual({ kind: 'printer-state', host: 'h1', printer: 'p1' });
    expect(parseTopic('printdeck', 'lab', t.printer('p1').cmd('pause'))).toEqual({ kind: 'printer-cmd', host: 'h1', printer: 'p1', action: 'pause' });
    expect(parseTopic('printdeck', 'other', t.status)).toBeNull();
    expect(parseTopic('printdeck', 'lab', 'printdeck/lab/h1/printer/p1/state/extra')).toBeNull();
  });
});

describe('state payloads', () => {
  it('always carries every key, in °C, seconds and percent', () => {
    const p = toStatePayload(status({ job: { name: 'a', progress: 0.256, elapsedSec: 3, remainingSec: 9, taskId: null } }), 5);
    expect(p).toMatchObject({ progress: 25.6, nozzle: { actual: 200, target: 210 }, bed: { actual: 60 }, chamber: null, error: null, job: { remainingS: 9 } });
  });

  it('skips readings inside the deadband, never a change of state or target', () => {
    const a = toStatePayload(status(), 1);
    expect(worthPublishing(a, toStatePayload(status({ temperatures: [{ sensor: 'tool0', actual: 200.2, target: 210 }, { sensor: 'bed', actual: 60, target: 60 }] }), 2))).toBe(false);
    expect(worthPublishing(a, toStatePayload(status({ temperatures: [{ sensor: 'tool0', actual: 201, target: 210 }, { sensor: 'bed', actual: 60, target: 60 }] }), 2))).toBe(true);
    expect(worthPublishing(a, toStatePayload(status({ temperatures: [{ sensor: 'tool0', actual: 200, target: 0 }, { sensor: 'bed', actual: 60, target: 60 }] }), 2))).toBe(true);
    expect(worthPublishing(a, toStatePayload(status({ state: 'busy' }), 2))).toBe(true);
  });

  it('names job transitions once', () => {
    const printing = status({ state: 'printing', job: { name: 'a', progress: 0.5, elapsedSec: 1, remainingSec: 1, taskId: null } });
    expect(jobEventOf(status(), printing, 1)?.type).toBe('job.started');
    expect(jobEventOf(printing, printing, 1)).toBeNull();
    expect(jobEventOf(printing, status({ state: 'done' }), 1)?.type).toBe('job.finished');
    expect(jobEventOf(printing, status({ state: 'error', problem: { code: 'x', message: 'jam' } }), 1)).toMatchObject({ type: 'job.failed', error: 'jam' });
    expect(jobEventOf(status({ state: 'cancelling' }), status(), 1)?.type).toBe('job.cancelled');
    expect(jobEventOf(undefined, printing, 1)).toBeNull();
  });
});

describe('Coalescer', () => {
  afterEach(() => vi.useRealTimers());

  it('sends the newest value per key, never more than one per interval, and keeps no queue', () => {
    vi.useFakeTimers();
    const sent: [string, number][] = [];
    const c = new Coalescer<number>((k, v) => sent.push([k, v]), { minIntervalMs: 1000, maxPerSecond: 100, now: () => Date.now() });
    c.offer('a', 1);
    for (let i = 2; i <= 50; i++) c.offer('a', i);
    expect(sent).toEqual([['a', 1]]);
    expect(c.waiting).toBe(1);
    vi.advanceTimersByTime(1000);
    expect(sent).toEqual([['a', 1], ['a', 50]]);
    c.dispose();
  });

  it('shares the per-second budget among keys, oldest waiting first', () => {
    vi.useFakeTimers();
    const sent: string[] = [];
    const c = new Coalescer<number>((k) => sent.push(k), { minIntervalMs: 0, maxPerSecond: 2, now: () => Date.now() });
    for (const k of ['a', 'b', 'c', 'd']) c.offer(k, 1);
    expect(sent).toEqual(['a', 'b']);
    vi.advanceTimersByTime(1000);
    expect(sent).toEqual(['a', 'b', 'c', 'd']);
    c.dispose();
  });
});
