import { BAUD_CANDIDATES, type MarlinAddress } from './address';
import { Handshake, type HandshakeOptions } from './engine/handshake';
import { LineSplitter } from './protocol/line-splitter';
import type { MarlinLink, OpenLink } from './serial-link';

/** The bootloader of a board behind a USB-UART bridge runs for about 1–2 s after the reset. */
const RESET_START_WAIT_MS = 2_500;

export interface Connected {
  link: MarlinLink;
  baud: number;
  /** The board printed `start` (it reset when the port opened). */
  booted: boolean;
}

/**
 * Opens the port and shakes hands, at the address's baud rate or, without one, at each common rate
 * in turn (the last rate that worked first). Throws an Error whose message says what to check.
 */
export async function connectMarlin(
  address: MarlinAddress,
  openLink: OpenLink,
  options: HandshakeOptions & { preferredBaud?: number | null; resetsOnOpen?: (path: string) => Promise<boolean> } = {},
): Promise<Connected> {
  const resets = await (options.resetsOnOpen ?? (() => Promise.resolve(false)))(address.path).catch(() => false);
  const handshake: HandshakeOptions = { ...options, ...(resets && options.startWaitMs === undefined ? { startWaitMs: RESET_START_WAIT_MS } : {}) };
  const candidates = address.baud !== null ? [address.baud] : [...new Set([options.preferredBaud ?? BAUD_CANDIDATES[0], ...BAUD_CANDIDATES])];
  let heard = false;
  for (const baud of candidates) {
    const link = await openLink(address.path, baud);
    const outcome = await shakeHands(link, handshake);
    if (outcome.ok) return { link, baud, booted: outcome.booted };
    heard ||= outcome.heard;
    await link.close();
  }
  const rates = candidates.join(' or ');
  throw new Error(
    heard
      ? `${address.path} answers, but not like a Marlin firmware at ${rates} baud. Set the printer's baud rate in the address (e.g. ?baud=250000).`
      : `No answer from a printer on ${address.path} at ${rates} baud. Check that the printer is switched on and its USB cable plugged in.`,
  );
}

function shakeHands(link: MarlinLink, options: HandshakeOptions): Promise<{ ok: boolean; booted: boolean; heard: boolean }> {
  return new Promise((resolve) => {
    const hs = new Handshake(options);
    const splitter = new LineSplitter();
    let closed = false;
    const finish = (ok: boolean): void => {
      clearInterval(timer);
      off();
      resolve({ ok, booted: hs.booted, heard: hs.heardLines > 0 });
    };
    const off = link.onData((chunk) => {
      for (const line of splitter.push(chunk)) {
        const out = hs.line(line, performance.now());
        if (out) link.write(out);
      }
    });
    link.onClose(() => {
      closed = true;
    });
    const timer = setInterval(() => {
      if (closed) return finish(false);
      const out = hs.tick(performance.now());
      if (out) link.write(out);
      if (hs.result !== 'pending') finish(hs.result === 'ok');
    }, 20);
    const first = hs.start(performance.now());
    if (first) link.write(first);
  });
}
