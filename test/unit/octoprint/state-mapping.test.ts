import { describe, expect, it } from 'vitest';
import type { PrinterState } from '../../../src/shared/domain/device';
import {
  CurrentPayload,
  PrinterStateInfo,
  toDeviceFields,
  toPrinterState,
  type StateFlags,
} from '../../../src/main/printers/octoprint/protocol';
import { pick, samples1, samples2 } from './samples';

const NO_FLAGS: StateFlags = {
  operational: false,
  printing: false,
  cancelling: false,
  pausing: false,
  resuming: false,
  finishing: false,
  closedOrError: false,
  error: false,
  paused: false,
  ready: false,
  sdReady: false,
};

/** Flags as the spec says OctoPrint sets them for each state text. */
const flags = (patch: Partial<StateFlags>): StateFlags => ({ ...NO_FLAGS, ...patch });
const OFFLINE = flags({ closedOrError: true });
const CONNECTING = flags({});
const OPERATIONAL = flags({ operational: true, ready: true, sdReady: true });
const printing = (extra: Partial<StateFlags> = {}) =>
  flags({ operational: true, printing: true, ...extra });

const TABLE: [text: string, flags: StateFlags, expected: PrinterState][] = [
  ['Offline', OFFLINE, 'offline'],
  ['Closed', OFFLINE, 'offline'],
  ['Offline after error', OFFLINE, 'error'], // flags.error is false here [verified]
  ['Error', flags({ closedOrError: true, error: true }), 'error'],
  ['Opening serial connection', CONNECTING, 'checking'],
  ['Detecting serial connection', CONNECTING, 'checking'],
  ['Connecting', CONNECTING, 'checking'],
  ['Operational', OPERATIONAL, 'idle'],
  ['Starting', printing(), 'printing'],
  ['Starting print from SD', printing(), 'printing'],
  ['Printing', printing(), 'printing'],
  ['Printing from SD', printing(), 'printing'],
  ['Pausing', printing({ pausing: true }), 'pausing'],
  ['Paused', flags({ operational: true, paused: true }), 'paused'],
  ['Resuming', printing({ resuming: true }), 'resuming'],
  ['Cancelling', printing({ cancelling: true }), 'cancelling'],
  ['Finishing', printing({ finishing: true }), 'finishing'],
  ['Transferring file to SD', flags({ operational: true }), 'busy'],
  ['Sending file to SD', flags({ operational: true }), 'busy'],
  ['Starting to send file to SD', flags({ operational: true }), 'busy'],
];

describe('toPrinterState by state text', () => {
  it.each(TABLE)('"%s" -> %s', (text, stateFlags, expected) => {
    expect(toPrinterState({ text, flags: stateFlags, error: '' })).toBe(expected);
  });

  it('matches the words case-insensitively and ignores surrounding space', () => {
    expect(toPrinterState({ text: ' PRINTING ', flags: NO_FLAGS, error: '' })).toBe('printing');
  });

  it('older "Error: ..." texts are errors', () => {
    expect(
      toPrinterState({ text: 'Error: Too many consecutive timeouts', flags: NO_FLAGS, error: '' }),
    ).toBe('error');
  });
});

describe('toPrinterState falls back to flags for unknown words', () => {
  const FLAG_TABLE: [Partial<StateFlags>, PrinterState][] = [
    [{ closedOrError: true }, 'offline'],
    [{ closedOrError: true, error: true }, 'error'],
    [{ operational: true, printing: true, cancelling: true }, 'cancelling'],
    [{ operational: true, printing: true, pausing: true }, 'pausing'],
    [{ operational: true, printing: true, resuming: true }, 'resuming'],
    [{ operational: true, printing: true, finishing: true }, 'finishing'],
    [{ operational: true, paused: true }, 'paused'],
    [{ operational: true, printing: true }, 'printing'],
    [{ operational: true, ready: true }, 'idle'],
    [{ operational: true }, 'busy'],
    [{}, 'unknown'],
  ];
  it.each(FLAG_TABLE)('%o -> %s', (patch, expected) => {
    expect(toPrinterState({ text: 'Plugin Says Hi', flags: flags(patch), error: '' })).toBe(
      expected,
    );
  });
});

describe('toDeviceFields on captured payloads', () => {
  const current = (key: string) => CurrentPayload.parse(pick(samples1, 'messages', key));

  it('printing: job with progress as a fraction and seconds', () => {
    const fields = toDeviceFields(current('current_printing'));
    expect(fields.state).toBe('printing');
    expect(fields.stateText).toBe('Printing');
    expect(fields.problem).toBeNull();
    expect(fields.job).toEqual({
      name: 'acceptance test.gcode',
      progress: 31.26760563380282 / 100,
      elapsedSec: 2,
      remainingSec: 8,
      taskId: null,
    });
  });

  it('no selected file: no job', () => {
    const fields = toDeviceFields(current('history'));
    expect(fields).toMatchObject({
      state: 'offline',
      stateText: 'Offline',
      job: null,
      problem: null,
    });
  });

  it('connecting: checking, no problem', () => {
    expect(toDeviceFields(current('current'))).toMatchObject({
      state: 'checking',
      stateText: 'Opening serial connection',
    });
  });

  it('offline after a firmware error: error with the message from state.error', () => {
    const state = PrinterStateInfo.parse(samples2['currentAfterError']);
    const fields = toDeviceFields({ state });
    expect(fields.state).toBe('error');
    expect(fields.problem).toEqual({
      code: 'octoprint.offlineAfterError',
      message: 'MAXTEMP triggered! - Not SD printing',
    });
  });

  it('an Error state without text still has a problem message', () => {
    const fields = toDeviceFields({
      state: { text: 'Error', flags: flags({ error: true, closedOrError: true }), error: '' },
    });
    expect(fields.problem).toEqual({ code: 'octoprint.error', message: 'Error' });
  });

  it('early in a print the time left is unknown, not zero', () => {
    const base = current('current_printing');
    const fields = toDeviceFields({
      ...base,
      progress: { ...base.progress, printTimeLeft: null, completion: 0.5 },
    });
    expect(fields.job?.remainingSec).toBeNull();
    expect(fields.job?.progress).toBeCloseTo(0.005);
  });

  it('completion outside 0..100 is clamped; the shared schema accepts the result', async () => {
    const { DeviceStatus } = await import('../../../src/shared/domain/device');
    const base = current('current_printing');
    const fields = toDeviceFields({
      ...base,
      progress: { ...base.progress, completion: 100.4, printTime: -3 },
    });
    expect(fields.job?.progress).toBe(1);
    expect(fields.job?.elapsedSec).toBeNull();
    expect(
      DeviceStatus.pick({
        state: true,
        stateText: true,
        job: true,
        temperatures: true,
        problem: true,
      }).parse(fields),
    ).toEqual(fields);
  });
});

describe('toDeviceFields temperatures', () => {
  const base = CurrentPayload.parse(pick(samples1, 'messages', 'current_printing'));
  const point = {
    time: 1795311114,
    tool0: { actual: 200.5, target: 210 },
    bed: { actual: 59.8, target: 60 },
    chamber: { actual: null, target: null },
  };

  it('takes the newest point and leaves out absent heaters', () => {
    const fields = toDeviceFields({
      ...base,
      temps: [{ time: 1, tool0: { actual: 20, target: 0 } }, point],
    });
    expect(fields.temperatures).toEqual([
      { sensor: 'tool0', actual: 200.5, target: 210 },
      { sensor: 'bed', actual: 59.8, target: 60 },
    ]);
  });

  it('keeps the last known readings when a current brings none', () => {
    const last = [{ sensor: 'tool0', actual: 199, target: 210 }];
    expect(toDeviceFields({ ...base, temps: [] }, last).temperatures).toEqual(last);
    expect(toDeviceFields({ ...base, temps: [{ time: 5 }] }, last).temperatures).toEqual(last);
  });

  it('but not once the printer is offline', () => {
    const offline = CurrentPayload.parse(pick(samples1, 'messages', 'history'));
    expect(
      toDeviceFields(offline, [{ sensor: 'tool0', actual: 199, target: 210 }]).temperatures,
    ).toEqual([]);
  });
});
