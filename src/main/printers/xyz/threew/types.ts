import type { XyzContainer } from '../models';
import type { ThreeWTag } from './layout';
import type { PaddingState } from './padding';
import type { HeaderValueOverrides } from './prepare-gcode';

export type ThreeWContainer = XyzContainer | 'legacy-base64';

export interface EncodeThreeWOptions {
  /** Model number as the printer reports it (`dv1MX0A000`), or a `.3w` file id (`daVinciJR10W`). */
  model: string;
  /** Defaults to the model's recommended container (v5 for v3 printers, zip for the 1.0/1.1/2.0 families). */
  container?: XyzContainer;
  /** Bytes of the processed G-code to copy into the header area; defaults to its leading comment block. */
  headerLength?: number;
  /** Values for the mandatory header keys when the G-code does not carry them or they should change. */
  headerValues?: HeaderValueOverrides;
}

export interface DecodeThreeWOptions {
  /** Reject a body whose CRC-32 does not match the stored one. Default true. */
  verifyCrc?: boolean;
  /** Reject bodies without PKCS#7 padding (otherwise miniMover's unpadded files are accepted). Default false. */
  strictPadding?: boolean;
}

export interface ThreeWInfo {
  container: ThreeWContainer;
  /** Byte 13 of the file (2 or 5); null for legacy base64. */
  formatVersion: number | null;
  tag: ThreeWTag | null;
  fileSize: number;
  /** The `; machine =` file id from the header. */
  machine: string | null;
  /** Model numbers that use that file id (several models share some ids). */
  modelNumbers: string[];
  /** All `; key = value` pairs of the header. */
  headerKeys: Record<string, string>;
  /** Bytes the header occupies (v5: declared length; v2: encrypted length). */
  headerLength: number;
  headerEncrypted: boolean;
  /** False if an encrypted header could not be decrypted. */
  headerReadable: boolean;
  bodyLength: number;
  bodyEncrypted: boolean;
  crcStored: number | null;
  crcComputed: number | null;
  crcOk: boolean | null;
  /** How the body's plaintext ends; `invalid` only from `inspectThreeW`. */
  padding: PaddingState | 'invalid';
  /** Length of the G-code inside; null when only a full decode can tell (ZIP). */
  gcodeLength: number | null;
}

export interface DecodedThreeW {
  gcode: Uint8Array;
  info: ThreeWInfo;
}
