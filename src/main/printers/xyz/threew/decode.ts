import { decryptEcbBody } from './body-ecb';
import { decryptZipBody } from './body-zip';
import { ThreeWError } from './errors';
import { parseHeaderKeys } from './header-keys';
import { BODY_OFFSET, TAG_ZIP } from './layout';
import { decodeLegacyBase64 } from './legacy-base64';
import { inspectThreeW, leadingComments, legacyInfo } from './inspect';
import { modelNumbersForFileId } from './model-lookup';
import { hasMagic } from './preamble-read';
import type { DecodedThreeW, DecodeThreeWOptions } from './types';

export function formatCrc(crc: number | null): string {
  return crc === null ? '?' : crc.toString(16).padStart(8, '0');
}

/**
 * `.3w` → G-code for every container variant. The body already holds the complete G-code including
 * its header comments, so the result is the decoded body.
 */
export function decodeThreeW(file: Uint8Array, opts: DecodeThreeWOptions = {}): DecodedThreeW {
  const verifyCrc = opts.verifyCrc ?? true;
  const strictPadding = opts.strictPadding ?? false;

  if (!hasMagic(file)) {
    const legacy = decodeLegacyBase64(file);
    if (legacy) return { gcode: legacy, info: legacyInfo(file, legacy) };
  }
  const info = inspectThreeW(file);
  if (verifyCrc && info.crcOk === false) {
    throw new ThreeWError(
      'CRC_MISMATCH',
      `body CRC-32 is ${formatCrc(info.crcComputed)} but the file says ${formatCrc(info.crcStored)} (file damaged or truncated)`,
    );
  }
  const body = Buffer.from(file.buffer, file.byteOffset + BODY_OFFSET, file.length - BODY_OFFSET);
  const decoded = info.tag === TAG_ZIP ? decryptZipBody(body, strictPadding) : decryptEcbBody(body, strictPadding);

  // An unreadable or empty header area is no loss: the body starts with the same keys.
  const headerKeys =
    Object.keys(info.headerKeys).length > 0 ? info.headerKeys : parseHeaderKeys(leadingComments(decoded.data));
  const machine = headerKeys['machine'] ?? null;
  return {
    gcode: decoded.data,
    info: {
      ...info,
      headerKeys,
      machine,
      modelNumbers: modelNumbersForFileId(machine),
      padding: decoded.padding,
      gcodeLength: decoded.data.length,
    },
  };
}
