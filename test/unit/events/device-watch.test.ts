import { describe, expect, it } from 'vitest';
import { DeviceWatch } from '../../../src/main/events/device-watch';
import type { EventItem } from '../../../src/shared/rpc/wire';

const delta = (deviceId: string, fields: Record<string, unknown>): EventItem => ({ name: 'devices.delta', payload: { deviceId, updatedAt: 1, ...fields } });
const ids = (items: EventItem[]) => items.map((i) => (i.payload as { deviceId?: string }).deviceId ?? i.name);

describe('DeviceWatch', () => {
  it('passes everything while the client has not said what it watches', () => {
    const w = new DeviceWatch(5000, 0);
    const batch = [delta('a', {}), delta('b', {}), { name: 'connections.changed', payload: { connections: [] } }];
    expect(w.filter(batch, 10)).toEqual(batch);
  });

  it('passes watched devices at once and holds the others, merged, until the summary is due', () => {
    const w = new DeviceWatch(5000, 0);
    w.watch(['a']);
    expect(ids(w.filter([delta('a', { stateText: 'x' }), delta('b', { stateText: 'one' })], 100))).toEqual(['a']);
    expect(ids(w.filter([delta('b', { job: null })], 200))).toEqual([]);
    expect(w.holding).toBe(true);
    const summary = w.filter([], 5000);
    expect(summary).toEqual([delta('b', { stateText: 'one', job: null })]);
    expect(w.holding).toBe(false);
  });

  it('releases what it holds for a device as soon as the client starts watching it', () => {
    const w = new DeviceWatch(5000, 0);
    w.watch([]);
    w.filter([delta('b', { stateText: 'held' })], 100);
    w.watch(['b']);
    expect(w.dueAt).toBe(0);
    expect(w.filter([], 150)).toEqual([delta('b', { stateText: 'held' })]);
  });

  it('never lets other events wait, and forgets what it held for a removed device', () => {
    const w = new DeviceWatch(5000, 0);
    w.watch([]);
    w.filter([delta('b', { stateText: 'held' })], 100);
    const removed = { name: 'devices.removed', payload: { deviceId: 'b' } };
    expect(w.filter([removed], 200)).toEqual([removed]);
    expect(w.filter([], 6000)).toEqual([]);
  });

  it('merges a held delta into the next one of a device that became watched', () => {
    const w = new DeviceWatch(5000, 0);
    w.watch(['a']);
    w.watch([]);
    w.filter([delta('a', { stateText: 'old', job: null })], 100);
    w.watch(['a']);
    expect(w.filter([delta('a', { stateText: 'new' })], 120)).toEqual([delta('a', { stateText: 'new', job: null })]);
  });
});

describe('DeviceWatch and detail streams', () => {
  it('passes a terminal stream only for watched devices once the client has said what it watches', () => {
    const w = new DeviceWatch(5000, 0);
    const logs = (deviceId: string): EventItem => ({ name: 'octoprint.logs', payload: { deviceId, lines: ['Recv: ok'] } });
    expect(w.filter([logs('a'), logs('b')], 1)).toHaveLength(2);
    w.watch(['a']);
    expect(w.filter([logs('a'), logs('b')], 2)).toEqual([logs('a')]);
    expect(w.filter([], 6000)).toEqual([]);
  });
});
