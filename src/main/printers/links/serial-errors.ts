/**
 * OS errors on a serial port in words, for every family on USB serial (da Vinci, Marlin). The OS
 * codes are read here once; what helps (which udev rule, which programs may hold the port) is
 * the family's to say, because it depends on the printer: a rule for one vendor's USB id does
 * nothing for another's board.
 */

/** The shipped udev rule (electron-builder.yml installs it; after-install.sh copies it into place). */
export const SERIAL_UDEV_RULE = 'assets/linux/60-printdeck-serial.rules';

export type SerialErrorKind = 'permission' | 'unplugged' | 'busy' | 'io';

export interface SerialHints {
  /** What gives a Linux user access to the port; follows "No permission to open /dev/…". */
  linuxPermission: string;
  /** Programs that may hold the port, after "close": "XYZprint or other tools". */
  otherPrograms: string;
}

export interface SerialErrorDescription {
  kind: SerialErrorKind;
  /** A sentence for people that says what to do. */
  message: string;
  /** The errno name ("EACCES"), when the error carried one. */
  osCode: string | null;
}

/** The errno name of an error from node:fs, node:net or serialport, or null. */
export function osCodeOf(err: unknown): string | null {
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

/** Maps an OS error on a serial device to what happened and what to do, with the family's hints. */
export function describeSerialError(path: string, err: unknown, hints: SerialHints, platform: NodeJS.Platform = process.platform): SerialErrorDescription {
  const osCode = osCodeOf(err);
  switch (osCode) {
    case 'EACCES':
    case 'EPERM':
      return {
        kind: 'permission',
        message: platform === 'linux' ? `No permission to open ${path}. ${hints.linuxPermission}` : `No permission to open ${path}. Check that your user may use serial ports.`,
        osCode,
      };
    case 'ENOENT':
    case 'ENODEV':
    case 'ENXIO':
    case 'EIO':
    case 'EBADF':
      return { kind: 'unplugged', message: `${path} is gone: the printer was unplugged or switched off.`, osCode };
    case 'EBUSY':
      return { kind: 'busy', message: `${path} is in use by another program (close ${hints.otherPrograms}).`, osCode };
    default:
      return { kind: 'io', message: `${path}: ${err instanceof Error ? err.message : String(err)}`, osCode };
  }
}
