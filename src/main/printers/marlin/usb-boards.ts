import type { DiscoveredPrinter } from '../../../shared/contract';

/** The fields of a listed serial port this needs (serialport's `PortInfo`). */
interface Port {
  path: string;
  manufacturer?: string | undefined;
  vendorId?: string | undefined;
  productId?: string | undefined;
}

/**
 * USB ids of the serial ports printer boards come with. Only pairs the USB ids tables and board
 * definitions name: CH340/CH341 bridges (most Creality and kit boards) 1a86:7523, 1a86:5523,
 * 1a86:7522, 4348:5523; FTDI FT232R 0403:6001; Arduino Mega 2560 / Mega (the RAMPS stack, through
 * the 16U2) 2341:0010, 2341:0042, 2a03:0010, 2a03:0042, 2341:0210, 2341:0242; STM32 USB CDC (native
 * USB builds) 0483:5740. Prusa Research's vendor id 2c99 is matched whole except the MMU2 (0003,
 * 0004) and the CW1 (0007, 0008), which are not printers. A Klipper MCU (1d50:614e) is not Marlin.
 * The Linux udev rule (assets/linux/60-printdeck-serial.rules) gives the desktop user these ports.
 */
export const PRINTER_BOARDS: Readonly<Record<string, string>> = {
  '1a86:7523': 'CH340 serial',
  '1a86:5523': 'CH341 serial',
  '1a86:7522': 'CH340 serial',
  '4348:5523': 'CH341 serial',
  '0403:6001': 'FTDI serial',
  '2341:0010': 'Arduino Mega',
  '2341:0042': 'Arduino Mega 2560',
  '2a03:0010': 'Arduino Mega',
  '2a03:0042': 'Arduino Mega 2560',
  '2341:0210': 'Arduino Mega',
  '2341:0242': 'Arduino Mega 2560',
  '0483:5740': 'STM32 USB serial',
};
export const PRUSA_VID = '2c99';
const PRUSA_ACCESSORIES = new Set(['0003', '0004', '0007', '0008']);

function hex4(id: string | undefined): string {
  return (id ?? '').toLowerCase().replace(/^0x/, '').padStart(4, '0');
}

/** The kind of board behind a port, or null when it is not one printers are known to use. */
export function printerBoardOf(port: Port): string | null {
  const vid = hex4(port.vendorId);
  const pid = hex4(port.productId);
  if (vid === PRUSA_VID) return PRUSA_ACCESSORIES.has(pid) ? null : 'Prusa printer';
  return PRINTER_BOARDS[`${vid}:${pid}`] ?? null;
}

/** "Marlin printer on /dev/ttyUSB0", added by path with the baud rate left to detection. */
export function describeMarlinPort(port: Port, addedAddresses: ReadonlySet<string>): DiscoveredPrinter {
  const board = printerBoardOf(port) ?? 'serial';
  const address = `serial://${port.path}`;
  const added = [...addedAddresses].some((a) => a === address || a.startsWith(`${address}?`));
  return {
    id: `marlin:${port.path}`,
    family: 'marlin',
    label: `${board === 'Prusa printer' ? 'Prusa printer' : 'Marlin printer'} on ${port.path}`,
    address,
    portPath: port.path,
    serialNumber: null,
    model: board === 'Prusa printer' ? null : board,
    added,
  };
}
