import { describe, expect, it } from 'vitest';
import {
  AppKeyRequestBody,
  ConnectionCommand,
  fileResourcePath,
  GcodeCommandBody,
  HeaterCommand,
  JobCommand,
  PassiveLoginRequest,
  PrintheadCommand,
  SettingsResponse,
  storagePath,
  ToolCommand,
  FileCommand,
  webcamUrls,
} from '../../../src/main/printers/octoprint/protocol';

describe('request bodies', () => {
  it('accepts the bodies the spec shows', () => {
    const good: [{ safeParse: (v: unknown) => { success: boolean } }, unknown][] = [
      [PassiveLoginRequest, { passive: true }],
      [ConnectionCommand, { command: 'connect', port: 'VIRTUAL', baudrate: 115200 }],
      [ConnectionCommand, { command: 'connect' }],
      [ConnectionCommand, { command: 'disconnect' }],
      [ToolCommand, { command: 'target', targets: { tool0: 210 } }],
      [ToolCommand, { command: 'target', targets: { tool0: 0 } }],
      [ToolCommand, { command: 'offset', offsets: { tool0: 5 } }],
      [ToolCommand, { command: 'flowrate', factor: 95 }],
      [ToolCommand, { command: 'flowrate', factor: 0.95 }],
      [HeaterCommand, { command: 'target', target: 60 }],
      [HeaterCommand, { command: 'offset', offset: -5 }],
      [PrintheadCommand, { command: 'jog', x: 10, y: -5, z: 1 }],
      [PrintheadCommand, { command: 'home', axes: ['x', 'y', 'z'] }],
      [PrintheadCommand, { command: 'feedrate', factor: 100 }],
      [GcodeCommandBody, { command: 'M105' }],
      [GcodeCommandBody, { commands: ['M105', 'M114'] }],
      [JobCommand, { command: 'start' }],
      [JobCommand, { command: 'pause', action: 'resume' }],
      [JobCommand, { command: 'cancel' }],
      [FileCommand, { command: 'select', print: true }],
      [AppKeyRequestBody, { app: 'Printdeck', user: 'admin' }],
    ];
    for (const [schema, body] of good)
      expect(schema.safeParse(body).success, JSON.stringify(body)).toBe(true);
  });

  it('refuses bodies the server would reject or that are dangerous typos', () => {
    const bad: [{ safeParse: (v: unknown) => { success: boolean } }, unknown][] = [
      [ConnectionCommand, { command: 'connect', baudrate: 1.5 }],
      [ToolCommand, { command: 'target', targets: { nozzle: 210 } }],
      [ToolCommand, { command: 'target', targets: {} }],
      [ToolCommand, { command: 'target', targets: { tool0: 2100 } }],
      [ToolCommand, { command: 'flowrate', factor: 150 }],
      [PrintheadCommand, { command: 'jog' }],
      [PrintheadCommand, { command: 'home', axes: [] }],
      [PrintheadCommand, { command: 'feedrate', factor: 300 }],
      [GcodeCommandBody, { command: 'M105\nM112' }],
      [GcodeCommandBody, { commands: [] }],
      [JobCommand, { command: 'pause', action: 'stop' }],
      [PassiveLoginRequest, { passive: false }],
    ];
    for (const [schema, body] of bad)
      expect(schema.safeParse(body).success, JSON.stringify(body)).toBe(false);
  });
});

describe('paths', () => {
  it('encodes each segment and keeps folders', () => {
    expect(fileResourcePath('local', 'acceptance test.gcode')).toBe(
      '/api/files/local/acceptance%20test.gcode',
    );
    expect(fileResourcePath('local', 'my jobs/a#1?.gcode')).toBe(
      '/api/files/local/my%20jobs/a%231%3F.gcode',
    );
    expect(storagePath('sdcard')).toBe('/api/files/sdcard');
  });

  it('refuses traversal and empty paths', () => {
    expect(() => fileResourcePath('local', '../settings')).toThrow(RangeError);
    expect(() => fileResourcePath('local', '/')).toThrow(RangeError);
  });
});

describe('webcamUrls', () => {
  const settings = (stream: string, snapshot: string) =>
    SettingsResponse.parse({
      webcam: { webcamEnabled: true, streamUrl: stream, snapshotUrl: snapshot },
      plugins: { classicwebcam: { stream, snapshot } },
    });

  it('OctoPi defaults: relative stream, derived snapshot, loopback snapshot ignored', () => {
    expect(
      webcamUrls(
        settings('/webcam/?action=stream', 'http://127.0.0.1:8080/?action=snapshot'),
        'http://octopi.local/',
      ),
    ).toEqual({
      stream: 'http://octopi.local/webcam/?action=stream',
      snapshot: 'http://octopi.local/webcam/?action=snapshot',
    });
  });

  it('a loopback snapshot is fine when OctoPrint itself is on this machine', () => {
    expect(
      webcamUrls(settings('', 'http://127.0.0.1:8080/?action=snapshot'), 'http://localhost:5000')
        .snapshot,
    ).toBe('http://127.0.0.1:8080/?action=snapshot');
  });

  it('empty defaults (1.11 fresh install) give no webcam', () => {
    expect(webcamUrls(settings('', ''), 'http://127.0.0.1:5000')).toEqual({
      stream: null,
      snapshot: null,
    });
  });

  it('non-web schemes are dropped', () => {
    expect(webcamUrls(settings('javascript:alert(1)', 'file:///x'), 'http://octopi.local')).toEqual(
      { stream: null, snapshot: null },
    );
  });
});
