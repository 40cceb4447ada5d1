import { describe, expect, it } from 'vitest';
import type { DeviceStatus, QueueFileFacts } from '../../../src/shared/contract';
import { NO_CAPABILITIES } from '../../../src/shared/domain/device';
import type { PrinterProfile } from '../../../src/main/devices/print-profiles';
import { planSend, type SendCandidate } from '../../../src/main/jobs/queue/send-plan';
import { deviceStatus } from '../../support/device-status';

const NANO: PrinterProfile = { formats: ['gcode', '3w'], machineIds: ['dv1NX0A000'], buildVolumeMm: { x: 120, y: 120, z: 120 }, nozzleMm: 0.4 };
const JR: PrinterProfile = { ...NANO, machineIds: ['daVinciJR10W'], buildVolumeMm: { x: 150, y: 150, z: 150 } };
const OCTO: PrinterProfile = { formats: ['gcode'], machineIds: null, buildVolumeMm: null, nozzleMm: null };
const THREE_W: QueueFileFacts = { format: '3w', machineId: 'dv1NX0A000', slicerPrinter: null, nozzleMm: null, extentsMm: null };
const GCODE: QueueFileFacts = { format: 'gcode', machineId: null, slicerPrinter: null, nozzleMm: null, extentsMm: { x: 130, y: 40, z: 10 } };

const idle = (id: string, overrides: Partial<DeviceStatus> = {}): DeviceStatus =>
  deviceStatus(id, { name: id, family: 'xyz', state: 'idle', stateText: 'Idle', job: null, capabilities: { ...NO_CAPABILITIES, print: true }, ...overrides });

function fleet(...entries: [DeviceStatus, PrinterProfile, string?][]): Map<string, SendCandidate> {
  return new Map(entries.map(([status, profile, receiving]) => [status.deviceId, { status, profile, receiving: receiving ?? null }]));
}

describe('planSend: one file, several printers', () => {
  it('prints on the compatible idle printers, offers a busy one the queue and skips another model, in the order named', () => {
    const printers = fleet(
      [idle('Nano 1'), NANO],
      [idle('Nano 2'), NANO],
      [idle('Jr'), JR],
      [idle('Nano 3', { state: 'printing', stateText: 'Printing', job: { name: 'cube.3w', progress: 0.2, elapsedSec: 1, remainingSec: 9, taskId: null } }), NANO],
    );
    const plan = planSend(THREE_W, ['Nano 1', 'Jr', 'Nano 3', 'Nano 2'], printers);
    expect(plan.map((e) => [e.deviceId, e.plan])).toEqual([
      ['Nano 1', 'print'],
      ['Jr', 'skip'],
      ['Nano 3', 'busy'],
      ['Nano 2', 'print'],
    ]);
    expect(plan[1]!.reason).toMatch(/made for dv1NX0A000; Jr takes daVinciJR10W/);
    expect(plan[2]!.reason).toBe('Nano 3 is printing cube.3w.');
    expect(plan[0]!.reason).toBeNull();
  });

  it('skips an incompatible printer even when it is busy: queueing there would never start', () => {
    const busyJr = idle('Jr', { state: 'printing', stateText: 'Printing' });
    expect(planSend(THREE_W, ['Jr'], fleet([busyJr, JR]))[0]).toMatchObject({ plan: 'skip', reason: expect.stringMatching(/made for/) });
  });

  it('judges G-code extents against each build volume and formats against the family', () => {
    const plan = planSend(GCODE, ['Nano', 'Jr', 'Octo'], fleet([idle('Nano'), NANO], [idle('Jr'), JR], [idle('Octo', { family: 'octoprint' }), OCTO]));
    expect(plan.map((e) => e.plan)).toEqual(['skip', 'print', 'print']);
    expect(plan[0]!.reason).toMatch(/Too big for Nano: X 130 mm > 120 mm/);
    expect(planSend(THREE_W, ['Octo'], fleet([idle('Octo'), OCTO]))[0]!.reason).toMatch(/does not print \.3w/);
  });

  it('a printer receiving a file is busy; one out of reach, in error, unable to print or gone is skipped with why', () => {
    const plan = planSend(
      THREE_W,
      ['Receiving', 'Offline', 'Broken', 'Viewer', 'Gone'],
      fleet(
        [idle('Receiving'), NANO, 'other.3w'],
        [idle('Offline', { link: 'offline' }), NANO],
        [idle('Broken', { state: 'error', stateText: 'Error', problem: { code: 'x', message: 'a thermal runaway' } }), NANO],
        [idle('Viewer', { capabilities: NO_CAPABILITIES }), NANO],
      ),
    );
    expect(plan.map((e) => [e.plan, e.reason])).toEqual([
      ['busy', 'Receiving is receiving other.3w.'],
      ['skip', 'Offline is offline.'],
      ['skip', 'Broken reports a thermal runaway; it needs attention first.'],
      ['skip', 'Viewer cannot be sent files from Printdeck.'],
      ['skip', 'This printer is not connected any more.'],
    ]);
  });

  it('names each printer once, however often it was asked for', () => {
    expect(planSend(THREE_W, ['Nano', 'Nano'], fleet([idle('Nano'), NANO]))).toHaveLength(1);
  });
});
