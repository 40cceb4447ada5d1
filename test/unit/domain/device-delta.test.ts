import { describe, expect, it } from 'vitest';
import { applyDelta, diffStatus, mergeDeltas } from '../../../src/shared/domain/device-delta';
import { events } from '../../../src/shared/contract';
import { deviceStatus } from '../../support/device-status';

describe('device status deltas', () => {
  it('a first delta carries every field; later ones only what changed', () => {
    const a = deviceStatus('p1');
    expect(diffStatus(undefined, a)).toEqual(a);
    const b = { ...a, job: { ...a.job!, progress: 0.6 }, updatedAt: 2 };
    expect(diffStatus(a, b)).toEqual({ deviceId: 'p1', updatedAt: 2, job: b.job });
  });

  it('sends nothing when only the timestamp changed, even for equal objects built anew', () => {
    const a = deviceStatus('p1');
    const same = { ...a, temperatures: a.temperatures.map((t) => ({ ...t })), updatedAt: 9 };
    expect(diffStatus(a, same)).toBeNull();
  });

  it('applying the deltas in turn gives the last status; merging them first gives the same', () => {
    const s0 = deviceStatus('p1');
    const s1 = { ...s0, state: 'paused' as const, stateText: 'Paused', updatedAt: 2 };
    const s2 = { ...s1, temperatures: [{ sensor: 'tool0', actual: 180, target: 0 }], updatedAt: 3 };
    const d1 = diffStatus(s0, s1)!;
    const d2 = diffStatus(s1, s2)!;
    expect(applyDelta(applyDelta(s0, d1)!, d2)).toEqual(s2);
    expect(applyDelta(s0, mergeDeltas(d1, d2))).toEqual(s2);
  });

  it('applying a delta again, or one older than what is held, settles once the newer arrives', () => {
    const s0 = deviceStatus('p1');
    const s1 = { ...s0, stateText: 'Printing (1)', updatedAt: 2 };
    const s2 = { ...s1, stateText: 'Printing (2)', updatedAt: 3 };
    const d1 = diffStatus(s0, s1)!;
    const d2 = diffStatus(s1, s2)!;
    // The list was read after both changes, then the deltas arrive.
    expect(applyDelta(applyDelta(s2, d1)!, d2)).toEqual(s2);
  });

  it('a device becomes known only from a complete delta', () => {
    expect(applyDelta(undefined, { deviceId: 'p9', updatedAt: 1, stateText: 'Printing' })).toBeNull();
    expect(applyDelta(undefined, deviceStatus('p9'))).toEqual(deviceStatus('p9'));
  });

  it('the contract validates deltas with the status schema field by field', () => {
    const schema = events['devices.delta'].payload;
    expect(schema.safeParse({ deviceId: 'p1', updatedAt: 1, state: 'printing' }).success).toBe(true);
    expect(schema.safeParse({ deviceId: 'p1', updatedAt: 1, state: 'flying' }).success).toBe(false);
    expect(schema.safeParse({ updatedAt: 1 }).success).toBe(false);
  });
});
