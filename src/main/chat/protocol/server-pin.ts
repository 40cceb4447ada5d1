import { createHash } from 'node:crypto';

/**
 * Server-certificate pinning, the alternative to trust on first use: the operator publishes the SHA-256 of
 * the server's signing public key (hex, as `sha256sum` prints it, or base64) and the client refuses a server
 * whose registration answer carries any other key. Without a pin the first key seen is kept (SKISSM's way).
 */

export class ServerPinError extends Error {}

export function serverKeyFingerprint(publicKey: Uint8Array): string {
  return createHash('sha256').update(publicKey).digest('hex');
}

/** The pin as 64 lowercase hex digits, or an error in words for a value that is neither hex nor base64 of 32 bytes. */
export function normalizePin(pin: string): string {
  const text = pin.trim().replace(/^sha256[:/]/i, '');
  if (/^[0-9a-fA-F]{64}$/.test(text)) return text.toLowerCase();
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length === 32 && bytes.toString('base64').replace(/=+$/, '') === text.replace(/=+$/, '')) return bytes.toString('hex');
  throw new ServerPinError('the server key pin must be the SHA-256 of the key: 64 hex digits or 44 base64 characters');
}

/** Throws ServerPinError unless `publicKey` hashes to `pin` (no-op without a pin). */
export function checkServerPin(publicKey: Uint8Array, pin: string | undefined): void {
  if (!pin) return;
  const expected = normalizePin(pin);
  const actual = serverKeyFingerprint(publicKey);
  if (actual !== expected) {
    throw new ServerPinError(`the server's certificate key (SHA-256 ${actual}) is not the pinned one (${expected}); the account was not stored and nothing more is sent to that server`);
  }
}
