import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  XyzCameraCapture,
  XyzJsonStreamDecoder,
  asciiBytes,
  concatBytes,
  decodeJsonStatus,
  encodeCameraImage,
  encodeCameraStart,
  encodeJsonCommand,
  isCameraAck,
  latin1Text,
  parseJsonResponse,
  toDeviceFields,
  type XyzCameraStep,
} from '../../../src/main/printers/xyz/protocol';

function chunked(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const p of points) {
    out.push(bytes.subarray(prev, p));
    prev = p;
  }
  out.push(bytes.subarray(prev));
  return out;
}

const SEED_STATUS =
  '{"result":0,"command":2,"data":{"p":"dvF110B000","i":"3F11XPGBXTH5320151","v":{"os":"1.1.0.19","app":"1.1.7.3","engine":"N/A"},"w":["W1:--------------","W2:--------------"],"f":[0,0],"t":["--","--"],"j":10,"L":{"m":"4183146537","e":"21785"},"s":{"e":0,"c":0,"j":0,"o":0},"e":2,"b":"--","d":{"message":"No printing job!"},"o":{"p":0,"t":0,"f":0}}}';
const STREAM = asciiBytes(
  `${SEED_STATUS}{"result":2,"command":7,"message":"GET_LOG_ERROR"} {"result":5,"command":0,"message":"Command incorrect! {brace} \\"q\\""}`,
);

describe('JSON protocol (1.1 Plus)', () => {
  it('encodes commands as bare JSON without newline', () => {
    expect(latin1Text(encodeJsonCommand({ command: 2, query: 'all' }))).toBe('{"command":2,"query":"all"}');
    expect(latin1Text(encodeJsonCommand({ command: 6, state: 1, token: 'abc' }))).toBe(
      '{"command":6,"state":1,"token":"abc"}',
    );
  });

  it('property: objects decode identically under any chunking', () => {
    const whole = new XyzJsonStreamDecoder().feed(STREAM).map((e) => (e.kind === 'object' ? e.value : e));
    expect(whole).toHaveLength(3);
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 40 }), (cuts) => {
        const d = new XyzJsonStreamDecoder();
        const got = chunked(STREAM, cuts)
          .flatMap((c) => d.feed(c))
          .map((e) => (e.kind === 'object' ? e.value : e));
        expect(got).toEqual(whole);
        expect(d.bufferedBytes).toBe(0);
      }),
    );
  });

  it('is bounded: an oversized object is dropped with an error and decoding resumes', () => {
    const d = new XyzJsonStreamDecoder(100);
    const events = d.feed(asciiBytes(`{"x":"${'a'.repeat(500)}"}{"result":6,"command":2}`));
    expect(events[0]).toMatchObject({ kind: 'error', code: 'json-too-large' });
    expect(events.at(-1)).toMatchObject({ kind: 'object', value: { result: 6, command: 2 } });
    expect(d.bufferedBytes).toBe(0);
  });

  it('property: random bytes never throw and never exceed the bound', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 8 }), (chunks) => {
        const d = new XyzJsonStreamDecoder(200);
        for (const c of chunks) {
          d.feed(c);
          expect(d.bufferedBytes).toBeLessThanOrEqual(201);
        }
      }),
    );
  });

  it('maps the seed status (command 2) onto XyzStatus and device fields', () => {
    const [event] = new XyzJsonStreamDecoder().feed(asciiBytes(SEED_STATUS));
    const response = parseJsonResponse(event?.kind === 'object' ? event.value : null);
    if (!response?.data) throw new Error('no data');
    const s = decodeJsonStatus(response.data);
    expect(s.issues).toEqual([]);
    expect(s.lifetime?.machineMin).toBe(69719);
    expect(toDeviceFields(s)).toMatchObject({
      model: 'da Vinci 1.1 Plus',
      serial: '3F11XPGBXTH5320151',
      state: 'idle',
      job: null,
    });
  });
});

const JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, ...new Array<number>(300).fill(0x7b), 0x7d, 0xff, 0xd9]);

function runCapture(chunks: readonly Uint8Array[]): XyzCameraStep[] {
  const cam = new XyzCameraCapture();
  return chunks.flatMap((c) => cam.feed(c));
}

describe('camera stream (command 3)', () => {
  const wire = concatBytes([encodeCameraStart(JPEG.length), encodeCameraImage(JPEG)]);

  it('START_SEND → ack → JPEG → SEND_FINISH yields the frame', () => {
    const steps = runCapture([wire]);
    expect(steps).toHaveLength(2);
    const [ack, frame] = steps;
    expect(ack?.kind === 'send' && isCameraAck(JSON.parse(latin1Text(ack.bytes)))).toBe(true);
    expect(frame?.kind === 'frame' && Buffer.from(frame.jpeg).equals(Buffer.from(JPEG))).toBe(true);
  });

  it('property: the same frame under any chunking (JPEG full of braces)', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 30 }), (cuts) => {
        const steps = runCapture(chunked(wire, cuts));
        expect(steps.map((s) => s.kind)).toEqual(['send', 'frame']);
      }),
    );
  });

  it('refusal, missing image, bad finish and non-JPEG are typed failures', () => {
    expect(runCapture([asciiBytes('{"result":6,"command":3,"message":"busy"}')])[0]).toMatchObject({
      kind: 'failed',
      reason: 'refused',
    });
    expect(
      runCapture([
        encodeCameraStart(10),
        asciiBytes('{"result":0,"command":3,"message":"SEND_FINISH","length":10}'),
      ]).at(-1),
    ).toMatchObject({
      kind: 'failed',
      reason: 'no-image',
    });
    expect(
      runCapture([
        encodeCameraStart(4),
        Uint8Array.from([1, 2, 3, 4]),
        asciiBytes('{"result":0,"command":3,"message":"SEND_FINISH","length":4}'),
      ]).at(-1),
    ).toMatchObject({
      kind: 'failed',
      reason: 'not-jpeg',
    });
    expect(
      runCapture([
        encodeCameraStart(JPEG.length),
        JPEG,
        asciiBytes('{"result":1,"command":3,"message":"SEND_FINISH"}'),
      ]).at(-1),
    ).toMatchObject({
      kind: 'failed',
      reason: 'finish-failed',
    });
    expect(
      runCapture([asciiBytes('{"result":0,"command":3,"message":"START_SEND","length":999999999}')])[0],
    ).toMatchObject({
      kind: 'failed',
      reason: 'bad-length',
    });
  });
});
