import { crc32 } from 'node:zlib';
import type { XyzContainer, XyzModel } from '../models';
import { encryptEcbBody } from './body-ecb';
import { encryptZipBody } from './body-zip';
import { ThreeWError } from './errors';
import { chooseHeaderText, encryptV2Header } from './header-section';
import { BODY_OFFSET, MAX_GCODE_BYTES, TAG_ECB, TAG_ZIP, V2_LAYOUT, V5_LAYOUT } from './layout';
import { resolveModel } from './model-lookup';
import { writeV2Preamble, writeV5Preamble } from './preamble-write';
import { prepareGcode } from './prepare-gcode';
import type { EncodeThreeWOptions } from './types';

const CONTAINERS: readonly XyzContainer[] = ['v5', 'v2', 'zip'];

// The largest v2 header text whose PKCS#7-padded ciphertext still fits the header area.
const V2_MAX_HEADER_TEXT = V2_LAYOUT.headerMax - 1;

/** Allocates the file and copies the body pieces in at 8 KiB; the preamble is written afterwards. */
function fileWithBody(pieces: readonly Uint8Array[]): Buffer {
  const bodyLength = pieces.reduce((sum, piece) => sum + piece.length, 0);
  const file = Buffer.allocUnsafe(BODY_OFFSET + bodyLength);
  let at = BODY_OFFSET;
  for (const piece of pieces) {
    file.set(piece, at);
    at += piece.length;
  }
  return file;
}

function bodyCrc(file: Buffer): number {
  return crc32(file.subarray(BODY_OFFSET));
}

/** The model and container to encode for; throws `ThreeWError` for unknown ones. */
export function resolveEncoding(opts: EncodeThreeWOptions): { model: XyzModel; container: XyzContainer } {
  const model = resolveModel(opts.model);
  const container = opts.container ?? model.container;
  if (!CONTAINERS.includes(container)) {
    throw new ThreeWError('BAD_OPTION', `unknown container ${JSON.stringify(container)} (use v5, v2 or zip)`);
  }
  return { model, container };
}

/** Largest v5/v2 header text, given the container. */
export function headerLimitOf(container: XyzContainer): number {
  return container === 'v5' ? V5_LAYOUT.headerMax : V2_MAX_HEADER_TEXT;
}

/**
 * G-code → `.3w`. The G-code is first brought into the form the printer needs: the
 * seven header keys first with `machine` set to the model's file id, and `G0` rewritten to `G1`.
 */
export function encodeThreeW(gcode: Uint8Array | string, opts: EncodeThreeWOptions): Uint8Array {
  const { model, container } = resolveEncoding(opts);
  const inputLength = typeof gcode === 'string' ? Buffer.byteLength(gcode) : gcode.length;
  if (inputLength > MAX_GCODE_BYTES) {
    throw new ThreeWError('TOO_LARGE', `G-code of ${inputLength} bytes exceeds the ${MAX_GCODE_BYTES}-byte limit`);
  }

  const prepared = prepareGcode(gcode, model.fileId, opts.headerValues);
  const headerLimit = headerLimitOf(container);
  const headerText = chooseHeaderText(prepared.gcode, prepared.gcode.length, prepared.leadingCommentLength, headerLimit, opts.headerLength);

  if (container === 'v5') {
    const file = fileWithBody(encryptEcbBody(prepared.gcode));
    writeV5Preamble(file, headerText, bodyCrc(file));
    return file;
  }
  const encryptedHeader = encryptV2Header(headerText, V2_LAYOUT.headerMax);
  const file = fileWithBody(container === 'v2' ? encryptEcbBody(prepared.gcode) : [encryptZipBody(prepared.gcode)]);
  writeV2Preamble(file, container === 'v2' ? TAG_ECB : TAG_ZIP, encryptedHeader, bodyCrc(file));
  return file;
}
