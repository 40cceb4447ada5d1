import { asciiBytes, concatBytes } from './bytes';
import { encodeStatusLines } from './status-encode';
import type { XyzStatus } from './status-types';
import type { XyzLink } from './transport';

/**
 * PRINTER SIDE (simulator): replies in the exact printer framing — LF line ends, no CR,
 * and the TCP differences of / (no `$` after single-key queries, silence for config/action).
 */

const line = (text: string): Uint8Array => asciiBytes(`${text}\n`);

export const replyOk = (): Uint8Array => line('ok');
export const replyEnd = (): Uint8Array => line('$');
/** `E4$` style, as the nano sends it (CAP). */
export const replyError = (code: number): Uint8Array => line(`E${code}$`);

/** `query=` reply. USB and TCP `query=a` end with `$`; TCP single-key queries do not. */
export function replyQuery(status: XyzStatus, keys: string, link: XyzLink): Uint8Array {
  const body = encodeStatusLines(status, keys)
    .map((l) => `${l}\n`)
    .join('');
  const end = keys === 'a' || link === 'usb' ? '$\n' : '';
  return asciiBytes(body + end);
}

/** Config success: `ok` + `$` over USB, nothing over TCP. */
export function replyConfigOk(link: XyzLink): Uint8Array {
  return link === 'usb' ? asciiBytes('ok\n$\n') : new Uint8Array(0);
}

/** `name:value` + `$` (e.g. `taginfo:{SERIAL}`), or a bare value + `$` (`zoffset:get`). */
export function replyNamed(name: string | null, value: string): Uint8Array {
  return asciiBytes(`${name === null ? value : `${name}:${value}`}\n$\n`);
}

export const replyTagInfo = (serial: string): Uint8Array => replyNamed('taginfo', `{${serial}}`);

/**
 * `name:"<raw bytes>"`. The nano ends `signature` without `$` but `uid` with it (CAP), hence the flag.
 */
export function replyBinary(name: string, bytes: Uint8Array, withEnd: boolean): Uint8Array {
  return concatBytes([asciiBytes(`${name}:"`), bytes, asciiBytes(withEnd ? '"\n$\n' : '"\n')]);
}

/** `<action>:{"stat":"…"[,…]}` — first reply (with `$`) or a later unsolicited progress line. */
export function replyAction(
  action: string,
  stat: string,
  extra: Record<string, string> = {},
  withEnd = false,
): Uint8Array {
  const body = JSON.stringify({ stat, ...extra });
  return asciiBytes(`${action}:${body}\n${withEnd ? '$\n' : ''}`);
}
