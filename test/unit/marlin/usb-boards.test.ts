import { describe, expect, it } from 'vitest';
import { describeMarlinPort, printerBoardOf } from '../../../src/main/printers/marlin/usb-boards';

describe('Marlin board discovery', () => {
  it('knows the serial bridges and native USB ids printer boards use, and nothing else', () => {
    expect(printerBoardOf({ path: '/dev/ttyUSB0', vendorId: '1a86', productId: '7523' })).toBe('CH340 serial');
    expect(printerBoardOf({ path: '/dev/ttyUSB1', vendorId: '0403', productId: '6001' })).toBe('FTDI serial');
    expect(printerBoardOf({ path: '/dev/ttyACM0', vendorId: '0483', productId: '5740' })).toBe('STM32 USB serial');
    expect(printerBoardOf({ path: '/dev/ttyACM1', vendorId: '2341', productId: '0042' })).toBe('Arduino Mega 2560');
    expect(printerBoardOf({ path: '/dev/ttyACM2', vendorId: '2C99', productId: '0002' })).toBe('Prusa printer');
    // An Arduino Uno, the Prusa MMU2, a Klipper MCU and an unknown port are not offered.
    expect(printerBoardOf({ path: '/dev/ttyACM3', vendorId: '2341', productId: '0043' })).toBeNull();
    expect(printerBoardOf({ path: '/dev/ttyACM4', vendorId: '2c99', productId: '0004' })).toBeNull();
    expect(printerBoardOf({ path: '/dev/ttyACM5', vendorId: '1d50', productId: '614e' })).toBeNull();
    expect(printerBoardOf({ path: '/dev/ttyS0' })).toBeNull();
  });

  it('offers the port by path, baud left to detection, and sees it added with or without a baud rate', () => {
    const port = { path: '/dev/ttyUSB0', vendorId: '1a86', productId: '7523' };
    expect(describeMarlinPort(port, new Set())).toMatchObject({ family: 'marlin', label: 'Marlin printer on /dev/ttyUSB0', address: 'serial:///dev/ttyUSB0', added: false });
    expect(describeMarlinPort(port, new Set(['serial:///dev/ttyUSB0?baud=250000'])).added).toBe(true);
  });
});
