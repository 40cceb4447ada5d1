import { z } from 'zod';
import { asciiBytes } from './bytes';
import { XyzProtocolError } from './protocol-error';

/** The JSON protocol of the da Vinci 1.1 Plus over Wi-Fi. */

export type XyzJsonCommand =
  | { command: 0 }
  | { command: 1; fileName: string; fileLen: number; ee1: 'EE1_OK' | 'EE1_NG'; ee2: 'EE2_OK' | 'EE2_NG' }
  | { command: 2; query: string }
  | { command: 3 }
  | { command: 4 }
  | { command: 5 }
  | { command: 6; state: XyzJsonJobState; token: string }
  | { command: 7 }
  | { command: 8 }
  | { command: 9 };

/** Values of `state` in command 6. */
export const XyzJsonJobState = { pause: 1, resume: 2, stop: 3 } as const;
export type XyzJsonJobState = (typeof XyzJsonJobState)[keyof typeof XyzJsonJobState];

/** Result codes of the response envelope. */
export const XyzJsonResult = {
  success: 0,
  noJobOrReady: 1,
  unsupportedFormat: 2,
  unknown3: 3,
  checksumError: 4,
  incorrectCommand: 5,
  busy: 6,
} as const;

const RESULT_TEXT = new Map<number, string>([
  [0, 'Success'],
  [1, 'No printing job / ready to receive'],
  [2, 'File format not supported'],
  [3, 'Unknown result 3'],
  [4, 'File checksum error'],
  [5, 'Command incorrect'],
  [6, 'Printer busy, try again later'],
]);

export function describeJsonResult(result: number): string {
  return RESULT_TEXT.get(result) ?? `Unknown result ${result}`;
}

/** One bare JSON object, no newline (miniMover). */
export function encodeJsonCommand(command: XyzJsonCommand): Uint8Array {
  if (command.command === 1 && (!Number.isSafeInteger(command.fileLen) || command.fileLen <= 0)) {
    throw new XyzProtocolError('invalid-argument', 'fileLen must be a positive integer');
  }
  return asciiBytes(JSON.stringify(command));
}

/** The acknowledgement the host sends after `START_SEND` (camera, command 3). */
export function encodeCameraAck(): Uint8Array {
  return asciiBytes(JSON.stringify({ ack: 'START_RECEIVE' }));
}

/** Literal marker sent after the raw file bytes of command 1. */
export const XYZ_JSON_EOF_MARKER = '<EOF>';

export const XyzJsonResponse = z
  .object({
    result: z.number().int(),
    command: z.number().int(),
    message: z.string().optional(),
    length: z.number().int().nonnegative().optional(),
    token: z.union([z.string(), z.number()]).optional(),
    data: z.record(z.string(), z.unknown()).optional(),
    print_percentage: z.number().optional(),
    elapsed_time: z.number().optional(),
    estimated_time: z.number().optional(),
  })
  .loose();
export type XyzJsonResponse = z.infer<typeof XyzJsonResponse>;

/** Validates a decoded object as a response envelope; null if it is not one. */
export function parseJsonResponse(value: unknown): XyzJsonResponse | null {
  const parsed = XyzJsonResponse.safeParse(value);
  return parsed.success ? parsed.data : null;
}
