import { createCipheriv, createDecipheriv } from 'node:crypto';
import { concatBytes, toUint8Array } from './bytes';
import { ChatCryptoError, requireLength } from './errors';

/**
 * AES-256-GCM exactly as SKISSM uses it: 32-byte key, 16-byte IV (a non-96-bit IV, so GCM derives J0
 * through GHASH), caller-supplied associated data, 16-byte tag appended to the ciphertext.
 */
export const AES_256_GCM_KEY_LENGTH = 32;
export const AES_256_GCM_IV_LENGTH = 16;
export const AES_256_GCM_TAG_LENGTH = 16;

export function aes256GcmSeal(key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array, ad: Uint8Array): Uint8Array {
  requireLength(key, AES_256_GCM_KEY_LENGTH, 'AES-256-GCM key');
  requireLength(iv, AES_256_GCM_IV_LENGTH, 'AES-256-GCM IV');
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: AES_256_GCM_TAG_LENGTH });
  cipher.setAAD(ad);
  const body = cipher.update(plaintext);
  const tail = cipher.final();
  return concatBytes(body, tail, cipher.getAuthTag());
}

/** Throws `decrypt_failed` when the tag does not authenticate key, IV, AD and ciphertext together. */
export function aes256GcmOpen(key: Uint8Array, iv: Uint8Array, sealed: Uint8Array, ad: Uint8Array): Uint8Array {
  requireLength(key, AES_256_GCM_KEY_LENGTH, 'AES-256-GCM key');
  requireLength(iv, AES_256_GCM_IV_LENGTH, 'AES-256-GCM IV');
  if (sealed.length < AES_256_GCM_TAG_LENGTH) {
    throw new ChatCryptoError('decrypt_failed', 'ciphertext shorter than the GCM tag');
  }
  const bodyLength = sealed.length - AES_256_GCM_TAG_LENGTH;
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: AES_256_GCM_TAG_LENGTH });
  decipher.setAAD(ad);
  decipher.setAuthTag(sealed.subarray(bodyLength));
  try {
    const body = decipher.update(sealed.subarray(0, bodyLength));
    return toUint8Array(Buffer.concat([body, decipher.final()]));
  } catch {
    throw new ChatCryptoError('decrypt_failed', 'AES-256-GCM authentication failed');
  }
}
