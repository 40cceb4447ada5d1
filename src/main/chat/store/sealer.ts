import { createCipheriv, createDecipheriv } from 'node:crypto';
import { systemRandom } from '../crypto/random';

const UTF8 = new TextEncoder();
const UTF8_DECODER = new TextDecoder();

/**
 * Encryption at rest for the chat tables: AES-256-GCM with a random 12-byte IV per record and the record's
 * identity (table:key) as associated data, so a sealed value cannot be moved to another row unnoticed.
 * The 32-byte key lives in the secret store (`connection:<id>:chat-store-key`), never in the database.
 */
export class Sealer {
  private readonly key: Buffer;

  constructor(key: Uint8Array) {
    if (key.length !== 32) throw new Error('chat store key must be 32 bytes');
    this.key = Buffer.from(key);
  }

  /** IV ‖ ciphertext ‖ tag, written straight into one array: session states are sealed on every message. */
  seal(plaintext: Uint8Array, aad: string): Uint8Array {
    const iv = systemRandom(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(aad, 'utf8'));
    const sealed = new Uint8Array(12 + plaintext.length + 16);
    sealed.set(iv, 0);
    // GCM is a stream mode: update returns exactly as many bytes as it was given, final returns none.
    sealed.set(cipher.update(plaintext), 12);
    cipher.final();
    sealed.set(cipher.getAuthTag(), 12 + plaintext.length);
    return sealed;
  }

  open(sealed: Uint8Array, aad: string): Uint8Array {
    if (sealed.length < 28) throw new Error('sealed record too short');
    const decipher = createDecipheriv('aes-256-gcm', this.key, sealed.subarray(0, 12));
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(sealed.subarray(sealed.length - 16));
    const plaintext = decipher.update(sealed.subarray(12, sealed.length - 16));
    // Throws when the tag does not match; nothing of an unauthenticated record is returned.
    decipher.final();
    return new Uint8Array(plaintext);
  }

  sealJson(value: unknown, aad: string): Uint8Array {
    return this.seal(UTF8.encode(JSON.stringify(value)), aad);
  }

  openJson(sealed: Uint8Array, aad: string): unknown {
    return JSON.parse(UTF8_DECODER.decode(this.open(sealed, aad)));
  }

  sealText(text: string, aad: string): Uint8Array {
    return this.seal(UTF8.encode(text), aad);
  }

  openText(sealed: Uint8Array, aad: string): string {
    return UTF8_DECODER.decode(this.open(sealed, aad));
  }
}
