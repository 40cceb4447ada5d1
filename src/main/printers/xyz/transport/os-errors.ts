import { XyzTransportError } from './transport';

/** The udev rule shipped with the Linux packages (see docs/architecture.md, electron-builder.yml). */
export const XYZ_UDEV_RULE = 'assets/linux/60-printdeck-xyz.rules';

function osCodeOf(err: unknown): string | null {
  if (typeof err !== 'object' || err === null) return null;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  // serialport's native binding puts the errno name in the message only ("Error: EACCES: …").
  const message = (err as { message?: unknown }).message;
  if (typeof message === 'string') {
    const m = /\b(E[A-Z]{2,})\b/.exec(message);
    if (m?.[1]) return m[1];
    if (/bad file descriptor/i.test(message)) return 'EBADF';
    if (/no such file/i.test(message)) return 'ENOENT';
    if (/permission denied/i.test(message)) return 'EACCES';
    if (/resource busy|cannot lock/i.test(message)) return 'EBUSY';
  }
  return null;
}

/** Maps an OS error on a serial device to a message that says what to do. */
export function serialError(path: string, err: unknown, platform: NodeJS.Platform = process.platform): XyzTransportError {
  const code = osCodeOf(err);
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return new XyzTransportError(
        'permission',
        platform === 'linux'
          ? `No permission to open ${path}. Add your user to the dialout group (sudo usermod -aG dialout $USER, then log out and in) or install the udev rule ${XYZ_UDEV_RULE} (sudo cp it to /etc/udev/rules.d/ and run sudo udevadm control --reload-rules && sudo udevadm trigger), then reconnect the printer.`
          : `No permission to open ${path}. Check that your user may use serial ports.`,
        code,
      );
    case 'ENOENT':
    case 'ENODEV':
    case 'ENXIO':
    case 'EIO':
    case 'EBADF':
      return new XyzTransportError('unplugged', `${path} is gone: the printer was unplugged or switched off.`, code);
    case 'EBUSY':
      return new XyzTransportError('busy', `${path} is in use by another program (close XYZprint or other tools).`, code);
    default:
      return new XyzTransportError('io', `${path}: ${err instanceof Error ? err.message : String(err)}`, code);
  }
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
