/** Machine-readable reasons a `.3w` file cannot be read or written. */
export type ThreeWErrorCode =
  | 'TRUNCATED'
  | 'BAD_MAGIC'
  | 'UNSUPPORTED_VERSION'
  | 'BAD_LAYOUT'
  | 'UNKNOWN_TAG'
  | 'BAD_BODY_LENGTH'
  | 'BAD_PADDING'
  | 'CRC_MISMATCH'
  | 'BAD_ZIP'
  | 'TOO_LARGE'
  | 'HEADER_TOO_LONG'
  | 'UNKNOWN_MODEL'
  | 'BAD_OPTION'
  | 'BAD_GCODE'
  | 'INPUT_CHANGED'
  | 'NOT_A_FILE';

/** The only error the codec throws on bad input or bad options. */
export class ThreeWError extends Error {
  override readonly name = 'ThreeWError';

  constructor(
    readonly code: ThreeWErrorCode,
    message: string,
  ) {
    super(message);
  }
}
