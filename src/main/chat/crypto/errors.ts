/** Every failure of the chat crypto core carries one of these codes so callers can branch without parsing text. */
export type ChatCryptoErrorCode =
  | 'invalid_length'
  | 'invalid_key'
  | 'invalid_signature'
  | 'decrypt_failed'
  | 'replayed_message'
  | 'unknown_ratchet_key'
  | 'unexpected_root_sequence'
  | 'too_many_skipped_keys'
  | 'header_mismatch'
  | 'invalid_invite'
  | 'invalid_state'
  | 'unsupported_suite'
  | 'missing_server_signature'
  | 'invalid_server_signature';

export class ChatCryptoError extends Error {
  override readonly name = 'ChatCryptoError';

  constructor(
    readonly code: ChatCryptoErrorCode,
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}

export function isChatCryptoError(value: unknown, code?: ChatCryptoErrorCode): value is ChatCryptoError {
  return value instanceof ChatCryptoError && (code === undefined || value.code === code);
}

export function requireLength(bytes: Uint8Array, expected: number, what: string): void {
  if (bytes.length !== expected) {
    throw new ChatCryptoError('invalid_length', `${what} must be ${expected} bytes, got ${bytes.length}`);
  }
}
