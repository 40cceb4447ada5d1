import {
  BODY_OFFSET,
  FORMAT_FLAG_OFFSET,
  FORMAT_VERSION_OFFSET,
  HEADER_OFFSET_VALUE,
  MAGIC,
  TAG_ECB,
  TAG_OFFSET_FIELD,
  V2_LAYOUT,
  V5_LAYOUT,
} from './layout';
import type { ThreeWTag } from './layout';

function startPreamble(file: Buffer, version: number, tagOffset: number): void {
  file.fill(0, 0, BODY_OFFSET);
  MAGIC.copy(file, 0);
  file[FORMAT_FLAG_OFFSET] = 1;
  file[FORMAT_VERSION_OFFSET] = version;
  file.writeUInt32BE(tagOffset, TAG_OFFSET_FIELD);
}

/** Fills bytes 0..0x2000 of a v5 file; the header is stored as plaintext. */
export function writeV5Preamble(file: Buffer, headerText: Uint8Array, bodyCrc: number): void {
  startPreamble(file, V5_LAYOUT.version, V5_LAYOUT.tagOffset);
  file.write(TAG_ECB, V5_LAYOUT.tagPosition, 'latin1');
  // XYZprint stores the exact, unpadded header length.
  file.writeUInt32BE(headerText.length, V5_LAYOUT.headerLengthField);
  file.writeUInt32BE(HEADER_OFFSET_VALUE, V5_LAYOUT.headerOffsetField);
  file.writeUInt32BE(1, V5_LAYOUT.constantOneField);
  file.writeUInt32BE(bodyCrc, V5_LAYOUT.crcField);
  file.set(headerText, V5_LAYOUT.headerStart);
}

/** Fills bytes 0..0x2000 of a v2 file; the header arrives already encrypted. */
export function writeV2Preamble(file: Buffer, tag: ThreeWTag, encryptedHeader: Uint8Array, bodyCrc: number): void {
  startPreamble(file, V2_LAYOUT.version, V2_LAYOUT.tagOffset);
  file.write(tag, V2_LAYOUT.tagPosition, 'latin1');
  file.writeUInt32BE(HEADER_OFFSET_VALUE, V2_LAYOUT.headerOffsetField);
  file.writeUInt32BE(bodyCrc, V2_LAYOUT.crcField);
  file.set(encryptedHeader, V2_LAYOUT.headerStart);
}
