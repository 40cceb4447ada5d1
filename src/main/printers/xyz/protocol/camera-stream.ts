import { encodeCameraAck, encodeJsonCommand, parseJsonResponse, type XyzJsonResponse } from './json-protocol';
import { XyzJsonStreamDecoder } from './json-decoder';

/** Largest JPEG accepted from the 1.1 Plus camera (the sample was 136 811 bytes). */
export const XYZ_CAMERA_MAX_FRAME_BYTES = 8 * 1024 * 1024;

export type XyzCameraFailure =
  'refused' | 'bad-length' | 'no-image' | 'not-jpeg' | 'finish-failed' | 'length-mismatch' | 'malformed';

export type XyzCameraStep =
  /** Write these bytes to the printer (the ack; reconnect first if the printer closed the socket). */
  | { kind: 'send'; bytes: Uint8Array }
  | { kind: 'frame'; jpeg: Uint8Array }
  | { kind: 'failed'; reason: XyzCameraFailure; response: XyzJsonResponse | null; detail: string };

export type XyzCameraPhase = 'awaiting-start' | 'receiving-image' | 'awaiting-finish' | 'done' | 'failed';

/**
 * Camera capture of the 1.1 Plus (command 3): `START_SEND` + length → host acks → exactly length
 * bytes of JPEG → `SEND_FINISH` object. Pure: feed received bytes, act on the returned steps.
 */
export class XyzCameraCapture {
  private phaseValue: XyzCameraPhase = 'awaiting-start';
  private readonly json = new XyzJsonStreamDecoder(64 * 1024);
  private image = new Uint8Array(0);
  private filled = 0;
  /** Set when SEND_FINISH came where the JPEG should have been. */
  private noImage = false;

  constructor(private readonly maxFrameBytes = XYZ_CAMERA_MAX_FRAME_BYTES) {}

  get phase(): XyzCameraPhase {
    return this.phaseValue;
  }

  /** The request that starts a capture. */
  request(): Uint8Array {
    return encodeJsonCommand({ command: 3 });
  }

  feed(chunk: Uint8Array): XyzCameraStep[] {
    const steps: XyzCameraStep[] = [];
    let rest = chunk;
    while (
      rest.length > 0 &&
      (this.phaseValue === 'awaiting-start' ||
        this.phaseValue === 'receiving-image' ||
        this.phaseValue === 'awaiting-finish')
    ) {
      rest = this.phaseValue === 'receiving-image' ? this.takeImage(rest) : this.takeJson(rest, steps);
    }
    return steps;
  }

  private fail(
    steps: XyzCameraStep[],
    reason: XyzCameraFailure,
    response: XyzJsonResponse | null,
    detail: string,
  ): void {
    this.phaseValue = 'failed';
    this.image = new Uint8Array(0);
    steps.push({ kind: 'failed', reason, response, detail });
  }

  /** Feeds JSON bytes until one object completes; returns the bytes after it. */
  private takeJson(bytes: Uint8Array, steps: XyzCameraStep[]): Uint8Array {
    for (const event of this.json.feed(bytes)) {
      if (event.kind === 'error') {
        this.fail(steps, 'malformed', null, event.detail);
        return new Uint8Array(0);
      }
      const response = parseJsonResponse(event.value);
      if (this.phaseValue === 'awaiting-start') this.onStart(response, steps, event.text);
      else this.onFinish(response, steps, event.text);
      // The decoder saw the whole chunk; anything after this object is handled by the next phase.
      this.json.reset();
      return bytes.subarray(event.endOffset);
    }
    return new Uint8Array(0);
  }

  private onStart(response: XyzJsonResponse | null, steps: XyzCameraStep[], text: string): void {
    if (!response || response.result !== 0 || response.message !== 'START_SEND') {
      return this.fail(steps, 'refused', response, text.slice(0, 200));
    }
    const length = response.length ?? 0;
    if (length <= 0 || length > this.maxFrameBytes) return this.fail(steps, 'bad-length', response, `length ${length}`);
    this.image = new Uint8Array(length);
    this.filled = 0;
    this.phaseValue = 'receiving-image';
    steps.push({ kind: 'send', bytes: encodeCameraAck() });
  }

  private takeImage(bytes: Uint8Array): Uint8Array {
    // A JPEG starts FF D8; a `{` here means the printer skipped the image and sent the finish object.
    if (this.filled === 0 && bytes[0] === 0x7b) {
      this.image = new Uint8Array(0);
      this.phaseValue = 'awaiting-finish';
      this.noImage = true;
      return bytes;
    }
    const take = Math.min(bytes.length, this.image.length - this.filled);
    this.image.set(bytes.subarray(0, take), this.filled);
    this.filled += take;
    if (this.filled === this.image.length) this.phaseValue = 'awaiting-finish';
    return bytes.subarray(take);
  }

  private onFinish(response: XyzJsonResponse | null, steps: XyzCameraStep[], text: string): void {
    if (!response || response.message !== 'SEND_FINISH' || response.result !== 0) {
      return this.fail(steps, 'finish-failed', response, text.slice(0, 200));
    }
    if (this.noImage) return this.fail(steps, 'no-image', response, 'SEND_FINISH arrived without image bytes');
    if (response.length !== undefined && response.length !== this.image.length) {
      return this.fail(
        steps,
        'length-mismatch',
        response,
        `announced ${this.image.length}, finished ${response.length}`,
      );
    }
    if (this.image[0] !== 0xff || this.image[1] !== 0xd8)
      return this.fail(steps, 'not-jpeg', response, 'missing JPEG SOI marker');
    this.phaseValue = 'done';
    const jpeg = this.image;
    this.image = new Uint8Array(0);
    steps.push({ kind: 'frame', jpeg });
  }
}
