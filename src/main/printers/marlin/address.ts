import { AppError } from '../../../shared/rpc/result';

export interface MarlinAddress {
  /** The serial device, e.g. /dev/ttyUSB0 or COM3. */
  path: string;
  /** A fixed baud rate, or null to detect it. */
  baud: number | null;
}

/**
 * Marlin's stock rate is 250000 and 115200 is the other common one (vendor builds); these two are
 * tried in this order when the address does not name one, as OctoPrint does with several ports.
 */
export const BAUD_CANDIDATES = [115200, 250000] as const;

/** `serial:///dev/ttyUSB0?baud=115200` (baud optional). */
export function parseMarlinAddress(address: string): MarlinAddress {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    throw new AppError('BAD_REQUEST', `"${address}" is not a serial address such as serial:///dev/ttyUSB0?baud=115200.`);
  }
  if (url.protocol !== 'serial:' || url.pathname.length <= 1) {
    throw new AppError('BAD_REQUEST', `A Marlin printer is reached through a serial port, e.g. serial:///dev/ttyUSB0?baud=115200, not ${address}.`);
  }
  const baudText = url.searchParams.get('baud');
  const baud = baudText === null ? null : Number(baudText);
  if (baud !== null && !(Number.isInteger(baud) && baud >= 300 && baud <= 4_000_000)) {
    throw new AppError('BAD_REQUEST', `"${baudText}" is not a baud rate; use e.g. ?baud=115200 or leave it out to have it detected.`);
  }
  // Windows ports come as serial:///COM3.
  const raw = decodeURIComponent(url.pathname);
  const path = /^\/COM\d+$/i.test(raw) ? raw.slice(1) : raw;
  return { path, baud };
}
