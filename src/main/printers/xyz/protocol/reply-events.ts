import type { XyzProtocolErrorCode } from './protocol-error';

/**
 * What the reply parser recognises in the printer's byte stream, one event per line.
 * Events carry no knowledge of which request they answer; `reply-collector` adds that.
 */
export type XyzReplyEvent =
  /** `k:value` with a one-character status key (query replies). Value is trimmed. */
  | { kind: 'field'; key: string; value: string }
  /** `name:value` with a longer name, e.g. `taginfo:{3FNA…}` or `calibratejr:{1,2,…}`. */
  | { kind: 'named'; name: string; value: string }
  /** `name:"<raw bytes>"`, e.g. `signature` (32 bytes) or `uid` (4 bytes). */
  | { kind: 'binary'; name: string; bytes: Uint8Array }
  /** `<action>:{"stat":"…",…}`: first reply to an action, or an unsolicited progress line. */
  | { kind: 'action'; action: string; stat: string; body: string }
  /** `ok` (also `ok ` with a trailing space). */
  | { kind: 'ok' }
  /** The `$` line that ends a reply. */
  | { kind: 'end' }
  /** `E<n>` or `E<n>$`: rejected / busy. `code` is null for a bare `E`. */
  | { kind: 'error'; code: number | null; text: string }
  /** A bare value line such as the number `zoffset:get` returns. */
  | { kind: 'value'; text: string }
  /** Bytes that could not be framed; the parser has already resynchronised. */
  | { kind: 'protocol-error'; code: XyzProtocolErrorCode; detail: string };
