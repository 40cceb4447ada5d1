import { describe, expect, it } from 'vitest';
import { PrintProfiles } from '../../../src/main/devices/print-profiles';
import { deviceStatus } from '../../support/device-status';

describe('print profiles', () => {
  it('a profile known for one device (another site’s printer) comes before its family’s table; null falls back to it', () => {
    const profiles = new PrintProfiles();
    profiles.registerFamily('xyz', () => ({ formats: ['gcode', '3w'], machineIds: ['dv1NX0A000'], buildVolumeMm: { x: 120, y: 120, z: 120 }, nozzleMm: 0.4 }));
    const remote = { formats: ['gcode'] as const, machineIds: null, buildVolumeMm: { x: 250, y: 210, z: 220 }, nozzleMm: 0.4 };
    profiles.registerDeviceProfiles((s) => (s.site ? remote : null));
    expect(profiles.profileOf(deviceStatus('far', { family: 'xyz', site: 'north' }))).toBe(remote);
    expect(profiles.profileOf(deviceStatus('near', { family: 'xyz' })).buildVolumeMm).toEqual({ x: 120, y: 120, z: 120 });
    expect(profiles.profileOf(deviceStatus('other', { family: 'octoprint' }))).toEqual({ formats: ['gcode'], machineIds: null, buildVolumeMm: null, nozzleMm: null });
  });
});
