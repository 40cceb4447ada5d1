import { describe, expect, it } from 'vitest';
import { PrinterState, type DeviceStatus } from '../../../src/shared/domain/device';
import {
  canCancel,
  canPause,
  canPrint,
  canResume,
  isCancelling,
  isJobActive,
  isPaused,
  isPrinterBusy,
  isPrinting,
  isUnreachable,
} from '../../../src/shared/domain/device-state';

const ALL = PrinterState.options;
const where = (predicate: (s: PrinterState) => boolean) => ALL.filter(predicate).sort();

describe('device state predicates', () => {
  it('a job is active from its checks to its last moves, paused or being cancelled', () => {
    expect(where(isJobActive)).toEqual(['cancelling', 'checking', 'finishing', 'heating', 'paused', 'pausing', 'printing', 'resuming']);
  });

  it('nothing outside a job counts as active: idle, done, error, offline, unknown and plain busy', () => {
    for (const state of ['idle', 'done', 'error', 'offline', 'unknown', 'busy'] as const) expect(isJobActive(state), state).toBe(false);
  });

  it('printing is an active job that is not paused', () => {
    expect(isPaused('paused')).toBe(true);
    expect(where(isPaused)).toEqual(['paused']);
    expect(where(isPrinting)).toEqual(where((s) => isJobActive(s) && s !== 'paused'));
    expect(isPrinting('pausing')).toBe(true);
  });

  it('a busy printer is one with an active job or other work of its own', () => {
    expect(where(isPrinterBusy)).toEqual([...where(isJobActive), 'busy'].sort());
    expect(isPrinterBusy('idle')).toBe(false);
  });

  it('offers pause while working, resume while (going) paused, cancel until the job is ending', () => {
    expect(where(canPause)).toEqual(['checking', 'heating', 'printing']);
    expect(where(canResume)).toEqual(['paused', 'pausing']);
    expect(where(canCancel)).toEqual(['checking', 'heating', 'paused', 'pausing', 'printing', 'resuming']);
    expect(where(isCancelling)).toEqual(['cancelling']);
    for (const state of ALL) {
      if (canPause(state) || canResume(state) || canCancel(state)) expect(isJobActive(state), state).toBe(true);
    }
  });

  it('a device is unreachable when offline or in error, and takes a file only when online and able to print', () => {
    expect(isUnreachable('offline')).toBe(true);
    expect(isUnreachable('error')).toBe(true);
    expect(isUnreachable('online')).toBe(false);
    expect(isUnreachable('connecting')).toBe(false);
    const device = (print: boolean, link: DeviceStatus['link']) => ({ capabilities: { print } as DeviceStatus['capabilities'], link });
    expect(canPrint(device(true, 'online'))).toBe(true);
    expect(canPrint(device(true, 'connecting'))).toBe(false);
    expect(canPrint(device(false, 'online'))).toBe(false);
  });
});
