import { describe, expect, it } from 'vitest';
import { DeviceWatch } from '../../../src/main/events/device-watch';
import type { EventItem } from '../../../src/shared/rpc/wire';

const delta = (deviceId: string, fields: Record<string, unknown>): EventItem => ({ name: 'devices.delta', payload: { deviceId, updatedAt: 1, ...fields } });
const ids = (items: EventItem[]) => items.map((i) => (i.payload as { deviceId?: string }).deviceId ?? i.name);

describe('DeviceWatch', () => {
  it('passes everything while the client has not said what it watches', () => {
    const w = new DeviceWatch(5000);
    const batch = [delta('a', {}), delta('b', {}), { name: 'connections.changed', payload: { connections: [] } }];
    expect(w.filter(batch, 10)).toEqual(batch);
  });

  it('leaves watched devices to the express lane and holds the others, merged, until the summary is due', () => {
    const w = new DeviceWatch(5000);
    w.watch(['a']);
    expect(ids(w.filter([delta('a', { stateText: 'x' }), delta('b', { stateText: 'one' })], 100))).toEqual([]);
    expect(ids(w.filter([delta('b', { job: null })], 200))).toEqual([]);
    expect(w.holding).toBe(true);
    expect(w.dueAt).toBe(5100);
    expect(w.filter([], 5099)).toEqual([]);
    const summary = w.filter([], 5100);
    expect(summary).toEqual([delta('b', { stateText: 'one', job: null })]);
    expect(w.holding).toBe(false);
  });

  it('releases each device a summary period after it was first held, so the summary is spread out', () => {
    const w = new DeviceWatch(5000);
    w.watch([]);
    w.filter([delta('a', { stateText: 'a1' })], 0);
    w.filter([delta('b', { stateText: 'b1' })], 2000);
    w.filter([delta('a', { stateText: 'a2' })], 4000);
    expect(w.filter([], 5000)).toEqual([delta('a', { stateText: 'a2' })]);
    expect(w.dueAt).toBe(7000);
    expect(w.filter([delta('a', { stateText: 'a3' })], 6000)).toEqual([]);
    expect(w.filter([], 7000)).toEqual([delta('b', { stateText: 'b1' })]);
    expect(w.filter([], 11_000)).toEqual([delta('a', { stateText: 'a3' })]);
  });

  it('releases what it holds for a device as soon as the client starts watching it', () => {
    const w = new DeviceWatch(5000);
    w.watch([]);
    w.filter([delta('b', { stateText: 'held' })], 100);
    w.watch(['b']);
    expect(w.dueAt).toBe(0);
    expect(w.filter([], 150)).toEqual([delta('b', { stateText: 'held' })]);
  });

  it('never lets other events wait, and forgets what it held for a removed device', () => {
    const w = new DeviceWatch(5000);
    w.watch([]);
    w.filter([delta('b', { stateText: 'held' })], 100);
    const removed = { name: 'devices.removed', payload: { deviceId: 'b' } };
    expect(w.filter([removed], 200)).toEqual([removed]);
    expect(w.filter([], 6000)).toEqual([]);
  });

  it('merges a held delta into the next one of a device that became watched', () => {
    const w = new DeviceWatch(5000);
    w.watch(['a']);
    w.watch([]);
    w.filter([delta('a', { stateText: 'old', job: null })], 100);
    w.watch(['a']);
    w.express(delta('a', { stateText: 'new' }).payload as never);
    expect(w.takeExpress()).toEqual([delta('a', { stateText: 'new', job: null })]);
    expect(w.filter([], 120)).toEqual([]);
  });
});

describe('DeviceWatch express lane', () => {
  const payload = (deviceId: string, fields: Record<string, unknown>) => delta(deviceId, fields).payload as never;

  it('takes watched devices only, merged per device, and the tick does not send them again', () => {
    const w = new DeviceWatch(5000);
    w.watch(['a']);
    w.filter([], 1);
    expect(w.express(payload('a', { stateText: 'x' }))).toBe(true);
    expect(w.express(payload('a', { job: null }))).toBe(true);
    expect(w.express(payload('b', { stateText: 'y' }))).toBe(false);
    expect(w.takeExpress()).toEqual([delta('a', { stateText: 'x', job: null })]);
    expect(w.takeExpress()).toEqual([]);
    expect(ids(w.filter([delta('a', { stateText: 'x', job: null }), delta('b', { stateText: 'y' })], 10))).toEqual([]);
  });

  it('puts what it held for a device before it was watched under the first express delta', () => {
    const w = new DeviceWatch(5000);
    w.watch([]);
    w.filter([delta('a', { stateText: 'held', job: null })], 10);
    w.watch(['a']);
    w.express(payload('a', { stateText: 'new' }));
    expect(w.takeExpress()).toEqual([delta('a', { stateText: 'new', job: null })]);
    expect(w.holding).toBe(false);
  });

  it('hands what waits for the express lane to the tick when the client hears everything again', () => {
    const w = new DeviceWatch(5000);
    w.watch(['a']);
    w.express(payload('a', { stateText: 'x' }));
    w.watch(null);
    expect(w.takeExpress()).toEqual([]);
    expect(w.filter([], 10)).toEqual([delta('a', { stateText: 'x' })]);
  });
});

describe('DeviceWatch and detail streams', () => {
  it('passes a terminal stream only for watched devices once the client has said what it watches', () => {
    const w = new DeviceWatch(5000);
    const logs = (deviceId: string): EventItem => ({ name: 'octoprint.logs', payload: { deviceId, lines: ['Recv: ok'] } });
    expect(w.filter([logs('a'), logs('b')], 1)).toHaveLength(2);
    w.watch(['a']);
    expect(w.filter([logs('a'), logs('b')], 2)).toEqual([logs('a')]);
    expect(w.filter([], 6000)).toEqual([]);
  });
});
