/** Byte helpers shared by the codecs. The wire is ASCII/latin-1 text mixed with raw binary. */

import { concatBytes } from '../../../../shared/bytes';

export { concatBytes };

/** Encodes text one byte per character; the protocols only ever carry ASCII in commands. */
export function asciiBytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
  return out;
}

/** Decodes bytes one character per byte so binary bytes survive a round trip unchanged. */
export function latin1Text(bytes: Uint8Array): string {
  let out = '';
  // Chunked to stay clear of argument-count limits on large inputs.
  for (let i = 0; i < bytes.length; i += 0x2000) {
    out += String.fromCharCode(...bytes.subarray(i, Math.min(bytes.length, i + 0x2000)));
  }
  return out;
}

/** Appends `more` to `head`, returning `head` unchanged when there is nothing to add. */
export function appendBytes(head: Uint8Array, more: Uint8Array): Uint8Array {
  if (more.length === 0) return head;
  if (head.length === 0) return more.slice();
  return concatBytes([head, more]);
}

export function readU32BE(bytes: Uint8Array, at: number): number {
  return (
    (((bytes[at] ?? 0) << 24) | ((bytes[at + 1] ?? 0) << 16) | ((bytes[at + 2] ?? 0) << 8) | (bytes[at + 3] ?? 0)) >>> 0
  );
}

export function writeU32BE(target: Uint8Array, at: number, value: number): void {
  target[at] = (value >>> 24) & 0xff;
  target[at + 1] = (value >>> 16) & 0xff;
  target[at + 2] = (value >>> 8) & 0xff;
  target[at + 3] = value & 0xff;
}
