import { ThreeWError } from './errors';
import {
  BODY_OFFSET,
  FORMAT_VERSION_OFFSET,
  MAGIC,
  TAG_ECB,
  TAG_LENGTH,
  TAG_OFFSET_BASE,
  TAG_OFFSET_FIELD,
  TAG_ZIP,
} from './layout';
import type { ThreeWTag } from './layout';

export interface Preamble {
  version: 2 | 5;
  tag: ThreeWTag;
  headerStart: number;
  /** Only v5 stores the header length; v2 headers run (encrypted) up to the body. */
  declaredHeaderLength: number | null;
  storedCrc: number;
}

export function hasMagic(file: Uint8Array): boolean {
  return file.length >= MAGIC.length && MAGIC.every((byte, i) => file[i] === byte);
}

function isMagicPrefix(file: Uint8Array): boolean {
  return file.length < MAGIC.length && file.every((byte, i) => MAGIC[i] === byte);
}

/**
 * Reads the fixed part of a `.3w` with the generic algorithm Every declared offset
 * and length is checked against the 8 KiB preamble before use, so forged values cannot cause
 * out-of-range reads or large allocations.
 */
export function readPreamble(file: Uint8Array): Preamble {
  if (isMagicPrefix(file))
    throw new ThreeWError('TRUNCATED', `file is truncated: ${file.length} bytes, a .3w has at least ${BODY_OFFSET}`);
  if (!hasMagic(file)) throw new ThreeWError('BAD_MAGIC', 'not a .3w file: missing the 3DPFNKG13WTW signature');
  if (file.length < BODY_OFFSET) {
    throw new ThreeWError('TRUNCATED', `file is truncated: ${file.length} bytes, a .3w has at least ${BODY_OFFSET}`);
  }
  const view = Buffer.from(file.buffer, file.byteOffset, BODY_OFFSET);
  const version = view[FORMAT_VERSION_OFFSET];
  if (version !== 2 && version !== 5) {
    throw new ThreeWError('UNSUPPORTED_VERSION', `unsupported .3w format version ${version ?? '?'} (known: 2, 5)`);
  }

  const tagPosition = TAG_OFFSET_BASE + view.readUInt32BE(TAG_OFFSET_FIELD);
  // Tag, optional header length, header offset, optional constant 1, CRC.
  const fieldsEnd = tagPosition + TAG_LENGTH + (version === 5 ? 16 : 8);
  if (fieldsEnd > BODY_OFFSET) {
    throw new ThreeWError(
      'BAD_LAYOUT',
      `tag offset ${tagPosition - TAG_OFFSET_BASE} points outside the 8 KiB preamble`,
    );
  }
  const tagText = view.toString('latin1', tagPosition, tagPosition + TAG_LENGTH);
  if (tagText !== TAG_ECB && tagText !== TAG_ZIP) {
    throw new ThreeWError('UNKNOWN_TAG', `unknown body tag ${JSON.stringify(tagText)} (known: ${TAG_ECB}, ${TAG_ZIP})`);
  }

  let at = tagPosition + TAG_LENGTH;
  let declaredHeaderLength: number | null = null;
  if (version === 5) {
    declaredHeaderLength = view.readUInt32BE(at);
    at += 4;
  }
  const headerOffset = view.readUInt32BE(at);
  at += 4;
  const headerStart = at + headerOffset;
  if (version === 5) at += 4; // the unknown field that is always 1
  const storedCrc = view.readUInt32BE(at);

  if (headerStart > BODY_OFFSET) {
    throw new ThreeWError('BAD_LAYOUT', `header offset ${headerOffset} points outside the 8 KiB preamble`);
  }
  if (declaredHeaderLength !== null && headerStart + declaredHeaderLength > BODY_OFFSET) {
    throw new ThreeWError(
      'BAD_LAYOUT',
      `declared header length ${declaredHeaderLength} does not fit in the 8 KiB preamble`,
    );
  }
  return { version, tag: tagText, headerStart, declaredHeaderLength, storedCrc };
}
