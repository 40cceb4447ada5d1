import { timingSafeEqual } from 'node:crypto';
import { concatBytes as joinBytes } from '../../../shared/bytes';

/** Byte helpers shared by the chat crypto core. Every output is a fresh, unshared Uint8Array. */

export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  return joinBytes(parts);
}

/** Constant-time for equal lengths, so comparing keys or MACs leaks nothing but the length. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  return timingSafeEqual(a, b);
}

/** Lexicographic order; used to make two-party derivations independent of argument order. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const shared = Math.min(a.length, b.length);
  for (let i = 0; i < shared; i++) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return a.length - b.length;
}

/** Copies Node Buffers (which may be views into a shared pool) into standalone arrays. */
export function toUint8Array(view: ArrayBufferView): Uint8Array {
  return new Uint8Array(view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength));
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

export function fromHex(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) throw new TypeError('invalid hex string');
  return toUint8Array(Buffer.from(hex, 'hex'));
}

export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/**
 * Base64 of a key that lives as long as its buffer (KEM keys, ratchet keys, a session's associated data: 1.5–3 KB
 * each), kept per buffer: a session's state is saved after every message while these stay the same for a
 * whole chain. Only for buffers nobody writes to after creating them, which is how the core treats keys.
 */
const keyTexts = new WeakMap<Uint8Array, string>();

export function base64OfKey(key: Uint8Array): string {
  let text = keyTexts.get(key);
  if (text === undefined) keyTexts.set(key, (text = toBase64(key)));
  return text;
}

/** Strict standard-alphabet base64 (Buffer.from silently skips garbage, which would hide corruption). */
export function fromBase64(text: string): Uint8Array {
  const decoded = Buffer.from(text, 'base64');
  // The canonical re-encoding equals the input only when the input was canonical, padded standard base64
  // (natively, which is several times cheaper than a regular expression over kilobytes of key material).
  if (decoded.toString('base64') !== text) throw new TypeError('invalid base64 string');
  return toUint8Array(decoded);
}
