import { describe, expect, it } from 'vitest';
import type { DeviceStatus, DeviceStatusDelta } from '../../../src/shared/contract';
import { applyDeltas, DeltaQueue } from '../../../src/renderer/stores/delta-queue';
import { sameProps } from '../../../src/renderer/views/fleet/same-props';
import { deviceStatus } from '../../support/device-status';

function status(deviceId: string, updatedAt: number): DeviceStatus {
  return deviceStatus(deviceId, { job: null, temperatures: [], updatedAt });
}

describe('DeltaQueue', () => {
  it('merges the deltas of a device and says when a flush is needed', () => {
    const q = new DeltaQueue();
    expect(q.add({ deviceId: 'a', updatedAt: 1, stateText: 'one' })).toBe(true);
    expect(q.add({ deviceId: 'b', updatedAt: 1, stateText: 'b' })).toBe(false);
    expect(q.add({ deviceId: 'a', updatedAt: 2, job: null })).toBe(false);
    expect(q.size).toBe(2);
    expect(q.take()).toEqual([
      { deviceId: 'a', updatedAt: 2, stateText: 'one', job: null },
      { deviceId: 'b', updatedAt: 1, stateText: 'b' },
    ]);
    expect(q.size).toBe(0);
    expect(q.add({ deviceId: 'a', updatedAt: 3 })).toBe(true);
  });
});

describe('applyDeltas', () => {
  it('applies deltas, keeps untouched devices as they were, and skips deltas older than what is held', () => {
    const a = status('a', 10);
    const b = status('b', 10);
    const deltas: DeviceStatusDelta[] = [
      { deviceId: 'a', updatedAt: 11, stateText: 'Paused' },
      { deviceId: 'b', updatedAt: 9, stateText: 'stale' },
    ];
    const { byId, unknown } = applyDeltas({ a, b }, deltas);
    expect(byId.a!.stateText).toBe('Paused');
    expect(byId.b).toBe(b);
    expect(unknown).toBe(false);
  });

  it('says when a partial delta names a device it does not hold, and takes a whole one', () => {
    expect(applyDeltas({}, [{ deviceId: 'x', updatedAt: 1, stateText: 'x' }]).unknown).toBe(true);
    const whole = applyDeltas({}, [status('y', 1)]);
    expect(whole.unknown).toBe(false);
    expect(whole.byId.y?.name).toBe('y');
  });
});

describe('sameProps', () => {
  it('compares values and treats any two callbacks as the same', () => {
    const device = status('a', 1);
    expect(sameProps({ device, selected: false, onSelect: () => 1 }, { device, selected: false, onSelect: () => 2 })).toBe(true);
    expect(sameProps({ device, selected: false }, { device, selected: true })).toBe(false);
    expect(sameProps({ device }, { device: status('a', 1) })).toBe(false);
    expect(sameProps({ device } as object, { device, extra: 1 } as object)).toBe(false);
  });
});
