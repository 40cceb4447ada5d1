/** Codes for every failure the da Vinci codecs report, so callers can branch without parsing text. */
export type XyzProtocolErrorCode =
  | 'invalid-argument'
  | 'line-too-long'
  | 'reply-too-long'
  | 'binary-value-malformed'
  | 'frame-malformed'
  | 'frame-out-of-order'
  | 'frame-too-large'
  | 'checksum-mismatch'
  | 'upload-overrun'
  | 'json-too-large'
  | 'json-malformed'
  | 'unexpected-message';

export class XyzProtocolError extends Error {
  override readonly name = 'XyzProtocolError';

  constructor(
    readonly code: XyzProtocolErrorCode,
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}

export function isXyzProtocolError(value: unknown, code?: XyzProtocolErrorCode): value is XyzProtocolError {
  return value instanceof XyzProtocolError && (code === undefined || value.code === code);
}
