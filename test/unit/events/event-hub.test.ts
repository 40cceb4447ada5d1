import { afterEach, describe, expect, it, vi } from 'vitest';
import { EventHub } from '../../../src/main/events/event-hub';
import type { DeviceStatus } from '../../../src/shared/contract';
import { NO_CAPABILITIES } from '../../../src/shared/domain/device';
import type { EventItem } from '../../../src/shared/rpc/wire';

function status(deviceId: string, progress: number): DeviceStatus {
  return {
    deviceId,
    connectionId: 'c',
    family: 'xyz',
    name: deviceId,
    model: null,
    serial: null,
    firmware: null,
    link: 'online',
    state: 'printing',
    stateText: 'Printing',
    job: { name: 'a', progress, elapsedSec: 1, remainingSec: 1, taskId: null },
    temperatures: [],
    filament: null,
    problem: null,
    capabilities: NO_CAPABILITIES,
    updatedAt: 1,
  };
}

describe('EventHub', () => {
  afterEach(() => vi.useRealTimers());

  it('keeps only the latest status per device within a tick', () => {
    vi.useFakeTimers();
    const hub = new EventHub({ tickMs: 50 });
    const batches: EventItem[][] = [];
    hub.addSink({ deliver: (b) => batches.push([...b]) });
    for (let i = 0; i < 10; i++) {
      hub.emit('devices.delta', status('a', i / 10));
      hub.emit('devices.delta', status('b', i / 10));
    }
    vi.advanceTimersByTime(50);
    expect(batches).toHaveLength(1);
    expect(batches[0]).toHaveLength(2);
    expect(batches[0]!.map((e) => (e.payload as DeviceStatus).job?.progress)).toEqual([0.9, 0.9]);
  });

  it('keeps every non-coalesced event, in order', () => {
    vi.useFakeTimers();
    const hub = new EventHub({ tickMs: 50 });
    const batches: EventItem[][] = [];
    hub.addSink({ deliver: (b) => batches.push([...b]) });
    hub.emit('devices.removed', { deviceId: 'x' });
    hub.emit('devices.removed', { deviceId: 'y' });
    vi.advanceTimersByTime(50);
    expect(batches[0]!.map((e) => (e.payload as { deviceId: string }).deviceId)).toEqual(['x', 'y']);
  });

  it('moves a re-emitted key behind events that came after its earlier value', () => {
    vi.useFakeTimers();
    const hub = new EventHub({ tickMs: 50 });
    const batches: EventItem[][] = [];
    hub.addSink({ deliver: (b) => batches.push([...b]) });
    hub.emit('devices.delta', status('a', 0.1));
    hub.emit('devices.removed', { deviceId: 'a' });
    hub.emit('devices.delta', status('a', 0.2));
    vi.advanceTimersByTime(50);
    expect(batches[0]!.map((e) => e.name)).toEqual(['devices.removed', 'devices.delta']);
  });

  it('sends at most one message per tick per sink whatever the event rate', () => {
    vi.useFakeTimers();
    const hub = new EventHub({ tickMs: 50 });
    let messages = 0;
    hub.addSink({ deliver: () => messages++ });
    // 1000 devices at 2 Hz for 10 s of simulated time.
    for (let t = 0; t < 10_000; t += 50) {
      for (let d = 0; d < 100; d++) hub.emit('devices.delta', status(`dev-${(t / 50) * 100 + d}`, 0.5));
      vi.advanceTimersByTime(50);
    }
    expect(messages).toBeLessThanOrEqual(200); // 10 s / 50 ms
    expect(messages).toBeGreaterThan(150);
  });

  it('sends nothing when idle and survives a throwing sink', () => {
    vi.useFakeTimers();
    const hub = new EventHub({ tickMs: 50 });
    const good: EventItem[][] = [];
    hub.addSink({
      deliver: () => {
        throw new Error('closed window');
      },
    });
    hub.addSink({ deliver: (b) => good.push([...b]) });
    vi.advanceTimersByTime(500);
    expect(good).toHaveLength(0);
    hub.emit('devices.removed', { deviceId: 'z' });
    vi.advanceTimersByTime(50);
    expect(good).toHaveLength(1);
  });

  it('removes sinks', () => {
    const hub = new EventHub();
    const remove = hub.addSink({ deliver: () => {} });
    expect(hub.sinkCount).toBe(1);
    remove();
    expect(hub.sinkCount).toBe(0);
  });

  it('merges the deltas of one device within a tick instead of dropping the older fields', () => {
    vi.useFakeTimers();
    const hub = new EventHub({ tickMs: 50 });
    const batches: EventItem[][] = [];
    hub.addSink({ deliver: (b) => batches.push([...b]) });
    hub.emit('devices.delta', { deviceId: 'a', updatedAt: 1, stateText: 'Paused' });
    hub.emit('devices.delta', { deviceId: 'a', updatedAt: 2, job: null });
    vi.advanceTimersByTime(50);
    expect(batches).toEqual([[{ name: 'devices.delta', payload: { deviceId: 'a', updatedAt: 2, stateText: 'Paused', job: null } }]]);
  });

  it('sends a watching client its devices every tick and the rest at the summary rate', () => {
    vi.useFakeTimers();
    const hub = new EventHub({ tickMs: 50, summaryMs: 1000 });
    const watcher: EventItem[][] = [];
    const other: EventItem[][] = [];
    hub.addSink({ deliver: (b) => watcher.push([...b]) }, 'ws-1');
    hub.addSink({ deliver: (b) => other.push([...b]) }, 'ws-2');
    expect(hub.watch('ws-1', ['a'])).toEqual({ watching: 1, summaryMs: 1000 });
    hub.emit('devices.delta', { deviceId: 'a', updatedAt: 1, stateText: 'A' });
    hub.emit('devices.delta', { deviceId: 'b', updatedAt: 1, stateText: 'B' });
    vi.advanceTimersByTime(50);
    const names = (batches: EventItem[][]) => batches.flat().map((e) => (e.payload as { deviceId: string }).deviceId);
    expect(names(watcher)).toEqual(['a']);
    expect(names(other)).toEqual(['a', 'b']);
    // Nothing else is emitted: the held delta still goes out once the summary is due.
    vi.advanceTimersByTime(1000);
    expect(names(watcher)).toEqual(['a', 'b']);
  });

  it('sends a watching client its devices by the express lane, before the tick and once', () => {
    vi.useFakeTimers();
    const hub = new EventHub({ tickMs: 50, summaryMs: 1000, expressMs: 10 });
    const watcher: EventItem[][] = [];
    const other: EventItem[][] = [];
    hub.addSink({ deliver: (b) => watcher.push([...b]) }, 'ws-1');
    hub.addSink({ deliver: (b) => other.push([...b]) }, 'ws-2');
    hub.watch('ws-1', ['a']);
    vi.advanceTimersByTime(50);
    hub.emit('devices.delta', { deviceId: 'a', updatedAt: 1, stateText: 'A1' });
    hub.emit('devices.delta', { deviceId: 'a', updatedAt: 2, job: null });
    vi.advanceTimersByTime(10);
    expect(watcher).toEqual([[{ name: 'devices.delta', payload: { deviceId: 'a', updatedAt: 2, stateText: 'A1', job: null } }]]);
    expect(other).toEqual([]);
    vi.advanceTimersByTime(40);
    expect(watcher).toHaveLength(1);
    expect(other.flat().map((e) => e.payload)).toEqual([{ deviceId: 'a', updatedAt: 2, stateText: 'A1', job: null }]);
  });

  it('lets the tick carry what was emitted for a device before the client watched it', () => {
    vi.useFakeTimers();
    const hub = new EventHub({ tickMs: 50, summaryMs: 1000, expressMs: 10 });
    const watcher: EventItem[][] = [];
    hub.addSink({ deliver: (b) => watcher.push([...b]) }, 'ws-1');
    hub.watch('ws-1', []);
    vi.advanceTimersByTime(50);
    hub.emit('devices.delta', { deviceId: 'a', updatedAt: 1, stateText: 'before' });
    hub.watch('ws-1', ['a']);
    hub.emit('devices.delta', { deviceId: 'a', updatedAt: 2, job: null });
    vi.advanceTimersByTime(50);
    // Whatever came by which lane, the client ends with both fields, newest last.
    const merged = Object.assign({}, ...watcher.flat().map((e) => e.payload));
    expect(merged).toEqual({ deviceId: 'a', updatedAt: 2, stateText: 'before', job: null });
  });
});
