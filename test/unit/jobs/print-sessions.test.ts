import { describe, expect, it } from 'vitest';
import type { DeviceStatus } from '../../../src/shared/contract';
import { PrintSessions } from '../../../src/main/devices/print-sessions';
import { deviceStatus } from '../../support/device-status';

let clock = 1_000_000;
function status(patch: Partial<DeviceStatus>): DeviceStatus {
  clock += 1_000;
  return deviceStatus('d', { name: 'Prusa', state: 'idle', stateText: 'Idle', job: null, temperatures: [], updatedAt: clock, ...patch });
}
const job = (progress: number, remainingSec: number | null = null) => ({
  name: 'cube.gcode',
  progress,
  elapsedSec: 10,
  remainingSec,
  taskId: null,
});

describe('print sessions (starts and ends from status snapshots)', () => {
  it('a print Printdeck started that fails before any status shows it running still ends, as failed', () => {
    const s = new PrintSessions();
    expect(s.observe(status({}))).toBeNull();
    s.expectStart('d', 'fails.gcode');
    // A status from before the printer took it changes nothing.
    expect(s.observe(status({}))).toBeNull();
    const ended = s.observe(status({ state: 'error', stateText: 'Error', problem: { code: 'halted', message: 'Printer halted. kill() called!' } }));
    expect(ended).toMatchObject({ type: 'ended', fileName: 'fails.gcode', outcome: 'failed', reason: 'Printer halted. kill() called!', startUnseen: true });
    // Once: the printer staying in error is no second failure.
    expect(s.observe(status({ state: 'error', stateText: 'Error' }))).toBeNull();
  });

  it('a print Printdeck started and then sees running starts as usual, named even when the status has no file', () => {
    const s = new PrintSessions();
    s.expectStart('d', 'part.gcode');
    expect(s.observe(status({ state: 'printing', stateText: 'Printing', job: { ...job(0), name: null } }))).toMatchObject({ type: 'started', fileName: 'part.gcode' });
    expect(s.observe(status({ state: 'error', stateText: 'Error' }))).toMatchObject({ type: 'ended', outcome: 'failed' });
    expect(s.observe(status({ state: 'error', stateText: 'Error' }))).toBeNull();
  });

  it('does not take a printer getting ready (checking, no job) for a print, but does a file check with a job', () => {
    const s = new PrintSessions();
    expect(s.observe(status({ state: 'checking', stateText: 'Klipper is starting' }))).toBeNull();
    expect(s.observe(status({}))).toBeNull();
    expect(s.observe(status({ state: 'checking', job: job(0) }))).toMatchObject({
      type: 'started',
      fileName: 'cube.gcode',
    });
  });

  it('sees a start, and an end as success, failure or cancellation', () => {
    const s = new PrintSessions();
    expect(s.observe(status({}))).toBeNull();
    expect(s.observe(status({ state: 'printing', job: job(0.1) }))).toMatchObject({
      type: 'started',
      fileName: 'cube.gcode',
    });
    expect(s.observe(status({ state: 'done', job: job(1) }))).toMatchObject({ type: 'ended', outcome: 'success' });
    s.observe(status({ state: 'printing', job: job(0.1) }));
    expect(s.observe(status({ state: 'error', problem: { code: 'x', message: 'Thermal runaway' } }))).toMatchObject({
      outcome: 'failed',
      reason: 'Thermal runaway',
    });
    s.observe(status({ state: 'printing', job: job(0.1) }));
    s.observe(status({ state: 'cancelling', job: job(0.1) }));
    expect(s.observe(status({ state: 'idle' }))).toMatchObject({ outcome: 'cancelled' });
  });

  it('keeps a print open while the printer is offline, and counts a drop to idle after its remaining time as finished', () => {
    const s = new PrintSessions();
    s.observe(status({ state: 'printing', job: job(0.5, 1) }));
    expect(s.observe(status({ link: 'offline', state: 'offline' }))).toBeNull();
    expect(s.isActive('d')).toBe(true);
    expect(s.observe(status({ state: 'idle' }))).toMatchObject({
      type: 'ended',
      outcome: 'success',
      fileName: 'cube.gcode',
    });
    s.observe(status({ state: 'printing', job: job(0.2, 3_600) }));
    expect(s.observe(status({ state: 'idle' }))).toMatchObject({ outcome: 'cancelled' });
  });

  it('ends a print recorded before a restart', () => {
    const s = new PrintSessions();
    s.assumeActive('d', 'old.gcode');
    expect(s.observe(status({ state: 'done' }))).toMatchObject({
      type: 'ended',
      fileName: 'old.gcode',
      outcome: 'success',
    });
  });
});
