import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checksum,
  cleanLine,
  describeFatal,
  frameLine,
  LineSplitter,
  parseCapability,
  parseFirmwareInfo,
  parseReply,
  parseSdStatus,
  parseTemperatures,
  SdListing,
} from '../../../src/main/printers/marlin/protocol';

describe('Marlin line framing', () => {
  it('numbers and checksums lines as Marlin checks them (XOR of every byte before *)', () => {
    expect(frameLine(0, 'M110 N0')).toBe('N0 M110 N0*125');
    expect(frameLine(1, 'M115')).toBe('N1 M115*39');
    expect(frameLine(1, 'M105')).toBe('N1 M105*38');
    expect(frameLine(2, 'G28')).toBe('N2 G28*17');
    expect(frameLine(3, 'M155 S2')).toBe('N3 M155 S2*96');
    expect(frameLine(123, 'G1 X10 Y10 F3000')).toBe('N123 G1 X10 Y10 F3000*76');
  });

  it('strips comments before framing, keeping escaped semicolons', () => {
    expect(cleanLine('  G1 X1 ;move  ')).toBe('G1 X1');
    expect(cleanLine('; only a comment')).toBe('');
    expect(cleanLine('M117 a\\;b ; note')).toBe('M117 a;b');
  });

  it('detects every single-byte change of a framed line (property)', () => {
    fc.assert(
      fc.property(fc.nat(1_000_000), fc.stringMatching(/^[GM][0-9]{1,3}( [A-Z][0-9.-]{1,6}){0,4}$/), fc.nat(), fc.integer({ min: 1, max: 255 }), (n, cmd, pos, flip) => {
        const line = frameLine(n, cmd);
        const star = line.lastIndexOf('*');
        const body = line.slice(0, star);
        const i = pos % body.length;
        const changed = body.slice(0, i) + String.fromCharCode((body.charCodeAt(i) ^ flip) & 0xff) + body.slice(i + 1);
        expect(checksum(changed)).not.toBe(Number(line.slice(star + 1)));
      }),
    );
  });
});

describe('Marlin replies', () => {
  it('reads plain, ADVANCED_OK and M105 oks', () => {
    expect(parseReply('ok')).toMatchObject({ type: 'ok', line: null, plannerFree: null, queueFree: null, temperatures: null });
    expect(parseReply('ok N123 P15 B3')).toMatchObject({ type: 'ok', line: 123, plannerFree: 15, queueFree: 3 });
    expect(parseReply('ok P15 B3')).toMatchObject({ type: 'ok', line: null, plannerFree: 15, queueFree: 3 });
    const m105 = parseReply('ok T:210.00 /210.00 B:60.00 /60.00 @:127 B@:0');
    // The bed's `B:` on an M105 ok is a temperature, not ADVANCED_OK's queue count.
    expect(m105).toMatchObject({ type: 'ok', line: null, queueFree: null, temperatures: [
      { sensor: 'tool0', actual: 210, target: 210 },
      { sensor: 'bed', actual: 60, target: 60 },
    ] });
  });

  it('reads resend requests in both spellings', () => {
    expect(parseReply('Resend: 42')).toEqual({ type: 'resend', line: 42 });
    expect(parseReply('rs N42')).toEqual({ type: 'resend', line: 42 });
    expect(parseReply('Resend:N:7')).toEqual({ type: 'resend', line: 7 });
  });

  it('tells fatal errors from resend-related and command errors', () => {
    expect(parseReply('Error:checksum mismatch, Last Line: 41')).toMatchObject({ type: 'error', severity: 'resend' });
    expect(parseReply('Error:Line Number is not Last Line Number+1, Last Line: 41')).toMatchObject({ severity: 'resend' });
    expect(parseReply('Error:Thermal Runaway, system stopped! Heater_ID: E0')).toMatchObject({ severity: 'fatal' });
    expect(parseReply('Error:Printer halted. kill() called!')).toMatchObject({ severity: 'fatal' });
    expect(parseReply('Error:MINTEMP triggered, system stopped! Heater_ID: bed')).toMatchObject({ severity: 'fatal' });
    expect(parseReply('!! KILL caused by KILL button/pin')).toMatchObject({ type: 'error', severity: 'fatal' });
    expect(parseReply('Error:Printer stopped due to errors. Fix the error and use M999 to restart.')).toMatchObject({ severity: 'stopped' });
    expect(parseReply('Error:No target temperature set.')).toMatchObject({ severity: 'command' });
  });

  it('says why the printer halted, in words', () => {
    const text = describeFatal(['Thermal Runaway, system stopped! Heater_ID: E0', 'Printer halted. kill() called!']);
    expect(text).toMatch(/Thermal runaway on hotend E0/);
    expect(text).toMatch(/halted/);
    expect(describeFatal(['Thermal Runaway, system stopped! Heater_ID: bed'])).toMatch(/on the bed/);
  });

  it('reads busy, wait, start, echo, action and temperature reports', () => {
    expect(parseReply('echo:busy: processing')).toEqual({ type: 'busy', text: 'processing' });
    expect(parseReply('wait')).toEqual({ type: 'wait' });
    expect(parseReply('start')).toEqual({ type: 'start' });
    expect(parseReply('echo:Unknown command: "X1"')).toEqual({ type: 'echo', text: 'Unknown command: "X1"' });
    expect(parseReply('//action:pause')).toEqual({ type: 'action', name: 'pause', args: '' });
    expect(parseReply('// action:paused filament_runout 0')).toEqual({ type: 'action', name: 'paused', args: 'filament_runout 0' });
    expect(parseReply(' T:150.12 /210.00 B:60.00 /60.00 @:127 B@:0 W:?')).toEqual({
      type: 'temperature',
      readings: [
        { sensor: 'tool0', actual: 150.12, target: 210 },
        { sensor: 'bed', actual: 60, target: 60 },
      ],
    });
  });

  it('uses per-tool readings when present and keeps one decimal readings', () => {
    const two = parseTemperatures('T:210.00 /210.00 B:60.00 /60.00 T0:210.00 /210.00 T1:25.00 /0.00 @:127 B@:0 @0:127 @1:0');
    expect(two.map((r) => r.sensor)).toEqual(['bed', 'tool0', 'tool1']);
    expect(parseTemperatures('T:210.0 /210.0 B:60.0 /60.0 @:127 B@:0')[0]).toEqual({ sensor: 'tool0', actual: 210, target: 210 });
  });

  it('reads M115 info and capabilities (values with spaces)', () => {
    const info = parseFirmwareInfo('FIRMWARE_NAME:Marlin bugfix-2.1.x (Oct  6 2025 15:31:33) SOURCE_CODE_URL:github.com/MarlinFirmware/Marlin PROTOCOL_VERSION:1.0 MACHINE_TYPE:3D Printer KINEMATICS:Cartesian EXTRUDER_COUNT:1');
    expect(info).toMatchObject({ FIRMWARE_NAME: 'Marlin bugfix-2.1.x (Oct  6 2025 15:31:33)', MACHINE_TYPE: '3D Printer', EXTRUDER_COUNT: '1' });
    expect(parseCapability('Cap:AUTOREPORT_TEMP:1')).toEqual({ name: 'AUTOREPORT_TEMP', enabled: true });
    expect(parseCapability('Cap:EMERGENCY_PARSER:0')).toEqual({ name: 'EMERGENCY_PARSER', enabled: false });
    expect(parseReply('Cap:SDCARD:1')).toEqual({ type: 'capability', name: 'SDCARD', enabled: true });
  });

  it('reads SD progress and listings', () => {
    expect(parseSdStatus('SD printing byte 1234/123456')).toEqual({ printing: true, printedBytes: 1234, totalBytes: 123456 });
    expect(parseSdStatus('Not SD printing')).toEqual({ printing: false });
    const listing = new SdListing();
    expect(listing.push('Begin file list')).toBeNull();
    listing.push('CUBE~1.GCO 123456 Cube test.gcode');
    listing.push('DIR~1/PART.GCO 99');
    expect(listing.push('End file list')).toEqual([
      { dosPath: 'CUBE~1.GCO', size: 123456, longName: 'Cube test.gcode' },
      { dosPath: 'DIR~1/PART.GCO', size: 99, longName: null },
    ]);
  });

  it('never throws on any line (property)', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (s) => void parseReply(s)));
  });
});

describe('LineSplitter', () => {
  it('splits on \\n or \\r, ignores empty lines and cuts runaway lines', () => {
    const s = new LineSplitter(8);
    expect(s.push(new TextEncoder().encode('ok\r\nstart\n\n'))).toEqual(['ok', 'start']);
    expect(s.push(new TextEncoder().encode('0123456789abcdef\n'))).toEqual(['01234567']);
  });

  it('gives the same lines however the bytes are chunked (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[ -~]{1,30}$/), { maxLength: 20 }), fc.array(fc.nat(40), { maxLength: 10 }), (lines, cuts) => {
        const bytes = new TextEncoder().encode(lines.map((l) => `${l}\n`).join(''));
        const s = new LineSplitter();
        const out: string[] = [];
        let at = 0;
        for (const c of cuts) {
          out.push(...s.push(bytes.subarray(at, at + c)));
          at = Math.min(bytes.length, at + c);
        }
        out.push(...s.push(bytes.subarray(at)));
        expect(out).toEqual(lines.filter((l) => !/^[\r\n]*$/.test(l)));
      }),
    );
  });
});
