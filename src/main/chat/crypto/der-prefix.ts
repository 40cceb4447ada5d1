/**
 * The fixed DER prefixes node:crypto needs around raw post-quantum keys (SubjectPublicKeyInfo, PKCS#8). Every
 * key of one algorithm has one length, so each encoding is a constant prefix followed by the raw bytes.
 */

/** PrivateKeyInfo version 0. */
export const VERSION_0 = [0x02, 0x01, 0x00];

/** Tag and definite length (the lengths here are all < 65536). */
export function header(tag: number, contentLength: number): number[] {
  if (contentLength < 0x80) return [tag, contentLength];
  if (contentLength < 0x100) return [tag, 0x81, contentLength];
  return [tag, 0x82, contentLength >> 8, contentLength & 0xff];
}

/** A SEQUENCE header and its first `inner` bytes, for a SEQUENCE that ends with `rawLength` raw bytes. */
export function sequencePrefix(inner: number[], rawLength: number): Uint8Array {
  return Uint8Array.from([...header(0x30, inner.length + rawLength), ...inner]);
}

export function prefixed(prefix: Uint8Array, raw: Uint8Array): Buffer {
  return Buffer.concat([prefix, raw]);
}
