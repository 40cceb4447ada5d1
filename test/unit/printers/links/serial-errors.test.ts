import { describe, expect, it } from 'vitest';
import { describeSerialError, osCodeOf } from '../../../../src/main/printers/links/serial-errors';
import { marlinSerialMessage } from '../../../../src/main/printers/marlin/serial-errors';
import { serialError } from '../../../../src/main/printers/xyz/transport/os-errors';

const HINTS = { linuxPermission: 'Do the thing.', otherPrograms: 'the other program' };
const denied = Object.assign(new Error('Error: Permission denied, cannot open /dev/ttyUSB0'), { code: 'EACCES' });
/** serialport's binding names the errno only in its message. */
const busy = new Error('Error: Resource temporarily unavailable Cannot lock port');

describe('describeSerialError', () => {
  it('reads the errno from the code, or from the words serialport puts in its message', () => {
    expect(osCodeOf(denied)).toBe('EACCES');
    expect(osCodeOf(new Error('Error: EACCES: permission denied'))).toBe('EACCES');
    expect(osCodeOf(busy)).toBe('EBUSY');
    expect(osCodeOf(new Error('Error: No such file or directory, cannot open /dev/ttyUSB0'))).toBe('ENOENT');
    expect(osCodeOf('not an error')).toBeNull();
  });

  it('gives a family-neutral kind and the family its say about what helps', () => {
    expect(describeSerialError('/dev/ttyUSB0', denied, HINTS, 'linux')).toEqual({ kind: 'permission', message: 'No permission to open /dev/ttyUSB0. Do the thing.', osCode: 'EACCES' });
    expect(describeSerialError('/dev/ttyUSB0', denied, HINTS, 'darwin').message).not.toContain('Do the thing');
    expect(describeSerialError('/dev/ttyUSB0', busy, HINTS, 'linux')).toMatchObject({ kind: 'busy', message: expect.stringContaining('close the other program') });
    expect(describeSerialError('/dev/ttyUSB0', Object.assign(new Error('gone'), { code: 'EIO' }), HINTS, 'linux')).toMatchObject({ kind: 'unplugged', osCode: 'EIO' });
    expect(describeSerialError('/dev/ttyUSB0', new Error('odd'), HINTS, 'linux')).toEqual({ kind: 'io', message: '/dev/ttyUSB0: odd', osCode: null });
  });
});

describe('what each family says about a serial port it may not open', () => {
  it('tells a Marlin user about dialout and the boards the rule covers, never about XYZ', () => {
    const message = marlinSerialMessage('/dev/ttyUSB0', denied, 'linux');
    expect(message).toMatch(/dialout/);
    expect(message).toMatch(/usermod -aG dialout/);
    expect(message).toMatch(/CH340/);
    expect(message).not.toMatch(/xyz|da Vinci|11f1/i);
    const held = marlinSerialMessage('/dev/ttyUSB0', busy, 'linux');
    expect(held).toMatch(/close Cura, Pronterface, OctoPrint or other programs using the port/);
    expect(held).not.toMatch(/XYZprint/);
  });

  it("still names the rule and XYZprint for a da Vinci printer, as XyzTransportErrors", () => {
    const error = serialError('/dev/ttyACM0', denied, 'linux');
    expect(error).toMatchObject({ code: 'permission', osCode: 'EACCES' });
    expect(error.message).toMatch(/dialout/);
    expect(error.message).toMatch(/assets\/linux\/60-printdeck-serial\.rules/);
    expect(serialError('/dev/ttyACM0', busy, 'linux')).toMatchObject({ code: 'busy', message: expect.stringContaining('XYZprint') });
  });
});
