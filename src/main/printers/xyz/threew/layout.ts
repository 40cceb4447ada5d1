/**
 * Fixed facts of the `.3w` container. All integers are big-endian u32.
 */

export const MAGIC = Buffer.from('3DPFNKG13WTW', 'latin1');
/** Byte 12 is always 1; byte 13 is the format version (2 or 5). */
export const FORMAT_FLAG_OFFSET = 12;
export const FORMAT_VERSION_OFFSET = 13;
/** u32 at 16: distance from byte 20 to the tag. */
export const TAG_OFFSET_FIELD = 16;
export const TAG_OFFSET_BASE = 20;
export const TAG_LENGTH = 8;
/** The header starts this many bytes after the end of the header-offset field in every variant. */
export const HEADER_OFFSET_VALUE = 68;
/** The body always starts at 8 KiB; everything before it is the preamble. */
export const BODY_OFFSET = 0x2000;

export const TAG_ECB = 'TagEJ256';
export const TAG_ZIP = 'TagEa128';
export type ThreeWTag = typeof TAG_ECB | typeof TAG_ZIP;

export const V5_LAYOUT = {
  version: 5,
  tagOffset: 8,
  tagPosition: 0x1c,
  headerLengthField: 0x24,
  headerOffsetField: 0x28,
  /** Unknown field, always 1 in real v5 files. */
  constantOneField: 0x2c,
  crcField: 0x30,
  headerStart: 0x70,
  headerMax: BODY_OFFSET - 0x70,
} as const;

export const V2_LAYOUT = {
  version: 2,
  tagOffset: 4684,
  tagPosition: 4704,
  headerOffsetField: 4712,
  crcField: 4716,
  headerStart: 4784,
  /** Maximum size of the encrypted (padded) header. */
  headerMax: BODY_OFFSET - 4784,
} as const;

/** AES keys are the ASCII bytes of these strings. */
export const AES128_KEY = Buffer.from('@xyzprinting.com', 'latin1');
export const AES256_KEY = Buffer.from('@xyzprinting.com@xyzprinting.com', 'latin1');
export const AES_BLOCK = 16;

/** ZIP bodies are encrypted in 8192-byte plaintext chunks, each padded to 8208 bytes. */
export const ZIP_PLAIN_CHUNK = 8192;
export const ZIP_CIPHER_CHUNK = ZIP_PLAIN_CHUNK + AES_BLOCK;
/** Entry name miniMover uses; XYZware's own name is unknown. */
export const ZIP_ENTRY_NAME = 'sample.gcode';

/** Upper bound on decoded G-code, so a forged ZIP size cannot make us allocate gigabytes. */
export const MAX_GCODE_BYTES = 1024 * 1024 * 1024;

/** Upper bound on a `.3w` file read from disk: the largest body the G-code limit allows, plus ZIP overhead. */
export const MAX_THREEW_BYTES = BODY_OFFSET + MAX_GCODE_BYTES + MAX_GCODE_BYTES / 256;
