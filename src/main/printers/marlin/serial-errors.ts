import { describeSerialError, SERIAL_UDEV_RULE, type SerialHints } from '../links/serial-errors';

/**
 * What helps a Marlin user. The dialout group works for every board and on a headless host; the
 * udev rule only for the boards it lists (those discovery offers, `usb-boards.ts`) and only for the
 * user at the desktop. The port is most often held by a slicer or another print host.
 */
const MARLIN_SERIAL_HINTS: SerialHints = {
  linuxPermission: `Add your user to the dialout group (sudo usermod -aG dialout $USER, then log out and in), then reconnect the printer. At the desktop, the udev rule ${SERIAL_UDEV_RULE} (installed by the deb and rpm packages) also gives access to CH340, FTDI, Arduino Mega, STM32 and Prusa boards.`,
  otherPrograms: 'Cura, Pronterface, OctoPrint or other programs using the port',
};

/** An OS error on the printer's serial port in words that say what to do. */
export function marlinSerialMessage(path: string, err: unknown, platform: NodeJS.Platform = process.platform): string {
  return describeSerialError(path, err, MARLIN_SERIAL_HINTS, platform).message;
}
