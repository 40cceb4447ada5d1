import { describe, expect, it } from 'vitest';
import { AlertGate, alertTag, worthAlerting } from '../../../src/shared/domain/desktop-alerts';

describe('what is worth an alert outside the window (native and browser alike)', () => {
  it('warnings, errors and finished prints; not information', () => {
    expect(['info', 'success', 'warning', 'error'].filter((level) => worthAlerting({ level: level as 'info' }))).toEqual(['success', 'warning', 'error']);
  });

  it('a few a minute at most, in any minute, and nothing that is not worth one', () => {
    const gate = new AlertGate(3);
    const error = { level: 'error' as const };
    expect([0, 1_000, 2_000, 3_000].map((t) => gate.admit(error, t))).toEqual([true, true, true, false]);
    expect(gate.admit({ level: 'info' }, 70_000)).toBe(false);
    // A minute after the first, one slot is free again; not two.
    expect(gate.admit(error, 60_000)).toBe(true);
    expect(gate.admit(error, 60_500)).toBe(false);
  });

  it('one tag per printer, so a newer alert about it replaces the older one', () => {
    expect(alertTag({ deviceId: 'p1', route: 'devices/p1' })).toBe(alertTag({ deviceId: 'p1', route: null }));
    expect(alertTag({ deviceId: 'p1', route: null })).not.toBe(alertTag({ deviceId: 'p2', route: null }));
    expect(alertTag({ deviceId: null, route: null })).toBe('printdeck:app');
  });
});
