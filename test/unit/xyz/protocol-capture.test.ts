import { describe, expect, it } from 'vitest';
import {
  XyzReplyCollector,
  XyzReplyParser,
  XyzUploadDecoder,
  configSignature,
  configTagInfo,
  configUid,
  crc32,
  decodeStatus,
  encodeRequest,
  encodeUploadBlocks,
  latin1Text,
  queryRequest,
  readU32BE,
  toDeviceFields,
  uploadDidFinishRequest,
  uploadRequest,
  type XyzExpectation,
  type XyzReply,
  type XyzRequest,
} from '../../../src/main/printers/xyz/protocol';
import { captureExchanges, loadNanoCapture, loadXyzFixture } from '../../support/xyz-capture';

const records = loadNanoCapture();
const exchanges = captureExchanges(records);
const hostText = (b: Uint8Array): string => latin1Text(b);
const isBlock = (b: Uint8Array): boolean => !hostText(b.subarray(0, 6)).startsWith('XYZv3/');

/** Replays one exchange through parser + collector the way the driver will. */
function replay(expectation: XyzExpectation, chunks: readonly Uint8Array[], parser = new XyzReplyParser()): XyzReply {
  const collector = new XyzReplyCollector(expectation, 'usb');
  parser.beginReply();
  for (const chunk of chunks) {
    for (const event of parser.feed(chunk)) {
      const step = collector.accept(event);
      if (step.status === 'done') return step.reply;
    }
  }
  return collector.settle();
}

function requestFor(text: string): XyzRequest {
  if (text === 'XYZv3/query=a') return queryRequest('a');
  if (text === 'XYZv3/query=Z') return queryRequest('Z');
  if (text === 'XYZv3/config=taginfo') return configTagInfo();
  if (text === 'XYZv3/config=signature:[get]') return configSignature();
  if (text === 'XYZv3/config=uid') return configUid();
  if (text === 'XYZv3/uploadDidFinish') return uploadDidFinishRequest();
  const m = /^XYZv3\/upload=([^,]+),(\d+)$/.exec(text);
  if (m) return uploadRequest(m[1] ?? '', Number(m[2]));
  throw new Error(`unexpected host line ${text}`);
}

describe('nano USB capture (CAP)', () => {
  it('has the documented shape: 164 query=a, 160 taginfo, 46 blocks', () => {
    const lines = records.filter((r) => r.direction === 'host' && !isBlock(r.bytes)).map((r) => hostText(r.bytes));
    expect(lines.filter((l) => l === 'XYZv3/query=a')).toHaveLength(164);
    expect(lines.filter((l) => l === 'XYZv3/config=taginfo')).toHaveLength(160);
    expect(lines).toContain('XYZv3/upload=2026_02_02_20_15_46.3w,372112');
    expect(records.filter((r) => r.direction === 'host' && isBlock(r.bytes))).toHaveLength(46);
  });

  it('request builder reproduces every host command byte for byte (USB: no terminator)', () => {
    for (const r of records) {
      if (r.direction !== 'host' || isBlock(r.bytes)) continue;
      expect(encodeRequest(requestFor(hostText(r.bytes)), 'usb')).toEqual(r.bytes);
    }
  });

  it('every printer reply parses into the expected kind', () => {
    const kinds = new Map<string, number>();
    let blockIndex = 0;
    for (const ex of exchanges) {
      const expectation: XyzExpectation = isBlock(ex.host)
        ? { verb: 'block', index: blockIndex++ }
        : requestFor(hostText(ex.host));
      const reply = replay(expectation, ex.printer);
      const key = `${isBlock(ex.host) ? 'block' : hostText(ex.host)} -> ${reply.kind}`;
      kinds.set(key, (kinds.get(key) ?? 0) + 1);
      expect(reply.kind).not.toBe('protocol-error');
      expect(reply.kind).not.toBe('timeout');
    }
    expect(kinds.get('block -> ok')).toBe(46);
    expect(kinds.get('XYZv3/upload=2026_02_02_20_15_46.3w,372112 -> ok')).toBe(1);
    expect(kinds.get('XYZv3/uploadDidFinish -> no-reply')).toBe(1);
    // The end of the capture has busy/rejected answers (E4$, E7$).
    expect((kinds.get('XYZv3/query=a -> fields') ?? 0) + (kinds.get('XYZv3/query=a -> rejected') ?? 0)).toBe(164);
    expect(kinds.get('XYZv3/query=a -> rejected')).toBe(6);
  });

  it('the first query=a decodes to the golden nano values', () => {
    const first = exchanges.find((e) => hostText(e.host) === 'XYZv3/query=a');
    if (!first) throw new Error('no query=a');
    const reply = replay(queryRequest('a'), first.printer);
    if (reply.kind !== 'fields') throw new Error(reply.kind);
    expect(reply.complete).toBe(true);
    const s = decodeStatus(reply.fields);
    expect(s.issues).toEqual([]);
    expect(s.serial).toBe('3FNAXPUS5TH7CM0041');
    expect(s.firmware?.version).toBe('3.2.0');
    expect(s.modelNumber).toBe('dv1NX0A000');
    expect(s.name).toBe('daVinci Nano');
    expect(s.state?.code).toBe(9511);
    expect(s.state?.info.name).toBe('PRINT_NONE');
    expect(s.options?.blockSizeBytes).toBe(8192);
    expect(s.options?.autoLevel).toBe(true);
    expect(s.bedLevelSensors).toHaveLength(12);
    expect(s.zOffsetHundredthsMm).toBe(-469);
    expect(s.nozzle).toMatchObject({ typeId: '75', diameterMm: 0.3, printMinutes: 185 });
    expect(s.cartridges?.serials).toEqual(['GB9XZTH988P001']);
    expect(s.filamentRemainingMm).toEqual([1100000]);
    expect(s.lifetime).toEqual({ first: 1, machineMin: 1279, extruderMin: 187, lastMin: 108 });
    expect(s.capabilities).toMatchObject({ buzzer: true, button: false, internalSd: true });
    expect(s.language).toBe('en');
    expect(s.job).toBeNull();
    expect(s.errors).toEqual([]);
    const fields = toDeviceFields(s);
    expect(fields).toMatchObject({
      serial: '3FNAXPUS5TH7CM0041',
      firmware: '3.2.0',
      state: 'idle',
      stateText: 'Idle',
      job: null,
      problem: null,
    });
    // The nano has no heated bed: `b:0` must not become a 0 °C bed sensor.
    expect(fields.temperatures).toEqual([{ sensor: 'tool0', actual: 22, target: 0 }]);
  });

  it('decodes live print values seen during the job (state 9505, progress, targets)', () => {
    const printing = exchanges
      .filter((e) => hostText(e.host) === 'XYZv3/query=a')
      .map((e) => replay(queryRequest('a'), e.printer))
      .flatMap((r) => (r.kind === 'fields' ? [decodeStatus(r.fields)] : []))
      .filter((s) => s.job && s.job.percent === 68 && s.job.elapsedMin === 27);
    const s = printing[0];
    if (!s) throw new Error('no d:68,27,… sample');
    expect(s.state?.code).toBe(9505);
    expect(s.job).toEqual({ percent: 68, elapsedMin: 27, remainingMin: 12 });
    expect(toDeviceFields(s)).toMatchObject({
      state: 'printing',
      job: { progress: 0.68, elapsedSec: 1620, remainingSec: 720 },
    });
  });

  it('binary config replies: signature (32 raw bytes, no $) and uid (4 raw bytes)', () => {
    const sig = exchanges.find((e) => hostText(e.host) === 'XYZv3/config=signature:[get]');
    const uid = exchanges.find((e) => hostText(e.host) === 'XYZv3/config=uid');
    if (!sig || !uid) throw new Error('missing exchanges');
    const sigReply = replay(configSignature(), sig.printer);
    const uidReply = replay(configUid(), uid.printer);
    expect(sigReply.kind === 'binary' && sigReply.bytes.length).toBe(32);
    expect(uidReply.kind === 'binary' && uidReply.bytes.length).toBe(4);
  });

  it('taginfo reply carries the machine serial', () => {
    const tag = exchanges.find((e) => hostText(e.host) === 'XYZv3/config=taginfo');
    if (!tag) throw new Error('no taginfo');
    expect(replay(configTagInfo(), tag.printer)).toEqual({
      kind: 'named',
      name: 'taginfo',
      value: '{3FNAXPUS5TH7CM0041}',
    });
  });

  it('all 46 upload blocks decode with valid CRC-32 trailers and rebuild AstroKe.3w', () => {
    const file = loadXyzFixture('AstroKe.3w');
    const decoder = new XyzUploadDecoder(372112, 8192);
    const received: Uint8Array[] = [];
    for (const r of records) {
      if (r.direction !== 'host' || !isBlock(r.bytes)) continue;
      const { events, consumed } = decoder.feed(r.bytes);
      expect(consumed).toBe(r.bytes.length);
      for (const e of events) {
        if (e.kind === 'error') throw new Error(e.detail);
        if (e.kind === 'block') {
          expect(e.trailer).toBe('crc32');
          received.push(e.data);
        }
      }
    }
    expect(received).toHaveLength(46);
    expect(decoder.done).toBe(true);
    expect(Buffer.concat(received).equals(Buffer.from(file))).toBe(true);
  });

  it('the block encoder reproduces the official client blocks byte for byte', () => {
    const file = loadXyzFixture('AstroKe.3w');
    const captured = records.filter((r) => r.direction === 'host' && isBlock(r.bytes)).map((r) => r.bytes);
    const encoded = [...encodeUploadBlocks(file, 8192)];
    expect(encoded).toHaveLength(46);
    encoded.forEach((b, i) => expect(b.wire).toEqual(captured[i]));
    const first = encoded[0];
    const last = encoded[45];
    if (!first || !last) throw new Error('missing blocks');
    expect(readU32BE(first.wire, 8 + 8192)).toBe(0x1cc4119a);
    expect(last.data.length).toBe(3472);
    expect(crc32(last.data)).toBe(0x19415b5e);
  });
});
