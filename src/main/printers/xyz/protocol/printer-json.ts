import { asciiBytes, concatBytes } from './bytes';

/** PRINTER SIDE (simulator) of the 1.1 Plus JSON protocol: responses without newline. */

export function encodeJsonResponse(
  response: { result: number; command: number } & Record<string, unknown>,
): Uint8Array {
  return asciiBytes(JSON.stringify(response));
}

/** `START_SEND` announcing `length` JPEG bytes (sent in reply to command 3). */
export function encodeCameraStart(length: number): Uint8Array {
  return encodeJsonResponse({ result: 0, command: 3, message: 'START_SEND', length });
}

/** After the host's ack: the JPEG bytes immediately followed by `SEND_FINISH`. */
export function encodeCameraImage(jpeg: Uint8Array): Uint8Array {
  return concatBytes([
    jpeg,
    encodeJsonResponse({ result: 0, command: 3, message: 'SEND_FINISH', length: jpeg.length }),
  ]);
}

/** True if `value` is the host's camera ack `{"ack":"START_RECEIVE"}`. */
export function isCameraAck(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as Record<string, unknown>).ack === 'START_RECEIVE';
}
