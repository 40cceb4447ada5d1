import { createCipheriv, createDecipheriv } from 'node:crypto';
import { AES128_KEY, AES256_KEY, AES_BLOCK } from './layout';

const ZERO_IV = Buffer.alloc(AES_BLOCK);

/**
 * AES-256-ECB with PKCS#7 added by OpenSSL (which always appends 1–16 bytes, as the format needs).
 * Returned as the two pieces OpenSSL produces so the caller can copy them straight into the file.
 */
export function aes256EcbEncryptPadded(plain: Uint8Array): [Buffer, Buffer] {
  const cipher = createCipheriv('aes-256-ecb', AES256_KEY, null);
  return [cipher.update(plain), cipher.final()];
}

/** Raw AES-256-ECB decryption; padding is checked by the caller so it can report it precisely. */
export function aes256EcbDecryptRaw(cipherText: Uint8Array): Buffer {
  const decipher = createDecipheriv('aes-256-ecb', AES256_KEY, null);
  decipher.setAutoPadding(false);
  return joinUpdateAndFinal(decipher.update(cipherText), decipher.final());
}

/** AES-128-CBC, zero IV, PKCS#7 padding added. */
export function aes128CbcEncryptPadded(plain: Uint8Array): Buffer {
  const cipher = createCipheriv('aes-128-cbc', AES128_KEY, ZERO_IV);
  return joinUpdateAndFinal(cipher.update(plain), cipher.final());
}

/** Raw AES-128-CBC decryption with a zero IV; no padding removed. */
export function aes128CbcDecryptRaw(cipherText: Uint8Array): Buffer {
  const decipher = createDecipheriv('aes-128-cbc', AES128_KEY, ZERO_IV);
  decipher.setAutoPadding(false);
  return joinUpdateAndFinal(decipher.update(cipherText), decipher.final());
}

// Without padding `final()` is empty; skipping the concat avoids copying a large buffer.
function joinUpdateAndFinal(head: Buffer, tail: Buffer): Buffer {
  return tail.length === 0 ? head : Buffer.concat([head, tail]);
}
