import { asciiBytes, writeU32BE } from './bytes';
import { XyzProtocolError } from './protocol-error';

/**
 * Host side of the older `XYZ_@3D:` protocol: the requests and the offline-print upload
 * framing the driver needs for its fallback on 1.0 / 1.0A / AiO / 2.0 Duo / 1.1 Plus over USB.
 */

/** Payload bytes per v2 upload frame; a 4-byte big-endian byte sum follows each frame. */
export const XYZ_V2_FRAME_SIZE = 10236;

/** Request numbers named in the spec. */
export const XyzV2Command = {
  info: 0,
  onlinePrint: 1,
  manualGcode: 2,
  firmwareUpload: 3,
  offlinePrint: 4,
  lifetime: 5,
  cartridge1: 6,
  cartridge2: 7,
  status: 8,
  buildSample: 9,
} as const;

/** `XYZ_@3D:<n>`. miniMover sends no terminator, HYX sends CR LF; both work. */
export function encodeV2Request(command: number, terminator: '' | '\r\n' = ''): Uint8Array {
  if (!Number.isSafeInteger(command) || command < 0)
    throw new XyzProtocolError('invalid-argument', `bad v2 command ${command}`);
  return asciiBytes(`XYZ_@3D:${command}${terminator}`);
}

export interface XyzV2PrintHeader {
  /** Job name; XYZware always sends `MyTest`. */
  name?: string;
  /** Payload length in bytes. */
  length: number;
  /** Estimated print time in seconds (sent as h.m.s). */
  estimatedSeconds: number;
  cartridge1Ok?: boolean;
  cartridge2Ok?: boolean;
}

/** `M1:MyTest,<len>,<h>.<m>.<s>,EE1_OK,EE2_OK`. */
export function encodeV2PrintHeader(header: XyzV2PrintHeader, terminator: '' | '\r\n' = ''): Uint8Array {
  const name = header.name ?? 'MyTest';
  if (!/^[\x21-\x7e]+$/.test(name) || name.includes(',')) {
    throw new XyzProtocolError('invalid-argument', 'v2 job name must be printable ASCII without commas or spaces');
  }
  if (!Number.isSafeInteger(header.length) || header.length <= 0)
    throw new XyzProtocolError('invalid-argument', 'bad payload length');
  const total = Math.max(0, Math.round(header.estimatedSeconds));
  const hms = `${Math.floor(total / 3600)}.${Math.floor((total % 3600) / 60)}.${total % 60}`;
  const ee1 = header.cartridge1Ok === false ? 'EE1_NG' : 'EE1_OK';
  const ee2 = header.cartridge2Ok === false ? 'EE2_NG' : 'EE2_OK';
  return asciiBytes(`M1:${name},${header.length},${hms},${ee1},${ee2}${terminator}`);
}

/** Unsigned sum of all bytes, mod 2³² (the v2 frame checksum). */
export function v2ByteSum(bytes: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < bytes.length; i++) sum = (sum + (bytes[i] ?? 0)) >>> 0;
  return sum;
}

export interface XyzV2Frame {
  index: number;
  /** View into the payload; not copied. */
  data: Uint8Array;
  /** `[data][u32 BE byte sum]`, ready to write. Resend the same buffer on `CheckSumFail`. */
  wire: Uint8Array;
}

/** Yields the v2 offline-print frames lazily. */
export function* encodeV2Frames(
  payload: Uint8Array,
  frameSize = XYZ_V2_FRAME_SIZE,
): Generator<XyzV2Frame, void, undefined> {
  for (let index = 0, at = 0; at < payload.length; index++, at += frameSize) {
    const data = payload.subarray(at, Math.min(payload.length, at + frameSize));
    const wire = new Uint8Array(data.length + 4);
    wire.set(data);
    writeU32BE(wire, data.length, v2ByteSum(data));
    yield { index, data, wire };
  }
}
