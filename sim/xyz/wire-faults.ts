import { randomBytes } from 'node:crypto';
import { concatBytes } from '../../src/main/printers/xyz/protocol';

/** Faults on one printer's wire that the TCP fault proxy cannot make (or a pty has no proxy for). */
export interface WireFaults {
  /** Every reply waits this long. */
  delayMs: number;
  /** Drop this many of the next outgoing bytes. */
  dropBytes: number;
  /** Put this many random bytes before the next reply. */
  garbageBytes: number;
  /** Read everything, answer nothing. */
  silent: boolean;
  /** v2 uploads: flip a byte in this many of the next frames as they arrive (line noise on the host's bytes). */
  corruptFrames: number;
}

export const NO_WIRE_FAULTS: WireFaults = { delayMs: 0, dropBytes: 0, garbageBytes: 0, silent: false, corruptFrames: 0 };

/** Writes `bytes` to the host through the current faults (silence, garbage, dropped bytes, delay). */
export function sendThroughFaults(bytes: Uint8Array, f: WireFaults, write: (bytes: Uint8Array) => void, isClosed: () => boolean): void {
  if (isClosed() || bytes.length === 0 || f.silent) return;
  let out = bytes;
  if (f.garbageBytes > 0) {
    out = concatBytes([randomBytes(f.garbageBytes), out]);
    f.garbageBytes = 0;
  }
  if (f.dropBytes > 0) {
    const drop = Math.min(f.dropBytes, out.length);
    f.dropBytes -= drop;
    out = out.subarray(drop);
    if (out.length === 0) return;
  }
  if (f.delayMs > 0) setTimeout(() => !isClosed() && write(out), f.delayMs);
  else write(out);
}
