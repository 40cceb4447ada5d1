import { crc32 } from 'node:zlib';
import { probeEcbBody } from './body-ecb';
import { probeZipBody } from './body-zip';
import { parseHeaderKeys } from './header-keys';
import { readHeaderSection } from './header-section';
import { BODY_OFFSET, TAG_ZIP, ZIP_CIPHER_CHUNK } from './layout';
import { decodeLegacyBase64 } from './legacy-base64';
import { modelNumbersForFileId } from './model-lookup';
import { hasMagic, readPreamble } from './preamble-read';
import type { Preamble } from './preamble-read';
import type { ThreeWContainer, ThreeWInfo } from './types';

/** Header text of a legacy file: its leading comment lines (it has no separate header). */
export function leadingComments(gcode: Buffer): string {
  const text = gcode.toString('utf8', 0, Math.min(gcode.length, 16 * 1024));
  const lines: string[] = [];
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed !== '' && !trimmed.startsWith(';')) break;
    lines.push(line);
  }
  return lines.join('\n');
}

function containerOf(preamble: Preamble): ThreeWContainer {
  if (preamble.tag === TAG_ZIP) return 'zip';
  return preamble.version === 5 ? 'v5' : 'v2';
}

function infoFromHeaderKeys(
  headerKeys: Record<string, string>,
): Pick<ThreeWInfo, 'machine' | 'modelNumbers' | 'headerKeys'> {
  const machine = headerKeys['machine'] ?? null;
  return { machine, modelNumbers: modelNumbersForFileId(machine), headerKeys };
}

/** Info for a legacy base64 file, given its decoded G-code. */
export function legacyInfo(file: Uint8Array, gcode: Buffer): ThreeWInfo {
  return {
    container: 'legacy-base64',
    formatVersion: null,
    tag: null,
    fileSize: file.length,
    ...infoFromHeaderKeys(parseHeaderKeys(leadingComments(gcode))),
    headerLength: 0,
    headerEncrypted: false,
    headerReadable: true,
    bodyLength: file.length,
    bodyEncrypted: false,
    crcStored: null,
    crcComputed: null,
    crcOk: null,
    padding: 'none',
    gcodeLength: gcode.length,
  };
}

/** The parts of a `.3w` that `inspect` looks at, so a file on disk need not be read whole. */
export interface ThreeWParts {
  /** The first 8 KiB (or the whole file when it is shorter). */
  head: Uint8Array;
  fileSize: number;
  /** The body's last bytes: at least one ZIP chunk (8208 bytes) when the body is that long. */
  bodyTail: Buffer;
  /** The body's first byte; undefined for an empty body. */
  bodyFirstByte: number | undefined;
  crcComputed: number;
}

/** The most of the body's end that `inspect` needs. */
export const BODY_TAIL_BYTES = ZIP_CIPHER_CHUNK;

/** `inspectThreeW` from parts; throws `ThreeWError` only when the container itself is unreadable. */
export function inspectParts(parts: ThreeWParts): ThreeWInfo {
  const preamble = readPreamble(parts.head);
  const header = readHeaderSection(parts.head, preamble);
  const bodyLength = parts.fileSize - BODY_OFFSET;
  const isZip = preamble.tag === TAG_ZIP;
  const ecbProbe = isZip ? null : probeEcbBody(parts.bodyTail, bodyLength, parts.bodyFirstByte);
  return {
    container: containerOf(preamble),
    formatVersion: preamble.version,
    tag: preamble.tag,
    fileSize: parts.fileSize,
    ...infoFromHeaderKeys(parseHeaderKeys(header.text)),
    headerLength: header.storedLength,
    headerEncrypted: header.encrypted,
    headerReadable: header.readable,
    bodyLength,
    bodyEncrypted: ecbProbe === null || ecbProbe.padding !== 'none',
    crcStored: preamble.storedCrc,
    crcComputed: parts.crcComputed,
    crcOk: parts.crcComputed === preamble.storedCrc,
    padding: ecbProbe ? ecbProbe.padding : probeZipBody(parts.bodyTail, bodyLength),
    gcodeLength: ecbProbe ? ecbProbe.gcodeLength : null,
  };
}

/**
 * Everything about a `.3w` that can be learned without decoding the whole body: container,
 * machine id, header keys, CRC check and (except for ZIP) the G-code length. Throws `ThreeWError`
 * only when the container itself is unreadable; a CRC mismatch is reported, not thrown.
 */
export function inspectThreeW(file: Uint8Array): ThreeWInfo {
  if (!hasMagic(file)) {
    const legacy = decodeLegacyBase64(file);
    if (legacy) return legacyInfo(file, legacy);
  }
  readPreamble(file); // the container first: a short file has no body to look at
  const body = Buffer.from(file.buffer, file.byteOffset + BODY_OFFSET, file.length - BODY_OFFSET);
  return inspectParts({
    head: file.subarray(0, BODY_OFFSET),
    fileSize: file.length,
    bodyTail: body.subarray(Math.max(0, body.length - BODY_TAIL_BYTES)),
    bodyFirstByte: body[0],
    crcComputed: crc32(body),
  });
}
