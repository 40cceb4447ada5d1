import { describeSerialError, osCodeOf, SERIAL_UDEV_RULE, type SerialHints } from '../../links/serial-errors';
import { XyzTransportError } from './transport';

/**
 * What helps a da Vinci user: the shipped udev rule covers XYZ's USB vendor 0x11f1, and XYZ's
 * own XYZprint is the program most likely to hold the port.
 */
const XYZ_SERIAL_HINTS: SerialHints = {
  linuxPermission: `Add your user to the dialout group (sudo usermod -aG dialout $USER, then log out and in) or install the udev rule ${SERIAL_UDEV_RULE} (sudo cp it to /etc/udev/rules.d/ and run sudo udevadm control --reload-rules && sudo udevadm trigger), then reconnect the printer.`,
  otherPrograms: 'XYZprint or other tools',
};

/** Maps an OS error on a serial device to a message that says what to do. */
export function serialError(path: string, err: unknown, platform: NodeJS.Platform = process.platform): XyzTransportError {
  const { kind, message, osCode } = describeSerialError(path, err, XYZ_SERIAL_HINTS, platform);
  return new XyzTransportError(kind, message, osCode);
}

/** Maps a socket error to a message naming the printer's address. */
export function socketError(where: string, err: unknown): XyzTransportError {
  const code = osCodeOf(err);
  switch (code) {
    case 'ECONNREFUSED':
      return new XyzTransportError('refused', `${where} refused the connection (is the printer on and its Wi-Fi connected?).`, code);
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new XyzTransportError('refused', `${where} cannot be reached on the network.`, code);
    case 'ECONNRESET':
    case 'EPIPE':
      return new XyzTransportError('closed', `${where} closed the connection.`, code);
    case 'ETIMEDOUT':
      return new XyzTransportError('timeout', `${where} did not answer in time.`, code);
    default:
      return new XyzTransportError('io', `${where}: ${err instanceof Error ? err.message : String(err)}`, code);
  }
}
