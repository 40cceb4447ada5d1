import { describe, expect, it } from 'vitest';
import {
  XyzHostStreamSplitter,
  XyzReplyCollector,
  XyzReplyParser,
  XyzUploadDecoder,
  asciiBytes,
  concatBytes,
  configJob,
  configSignature,
  decodeStatus,
  encodeRequest,
  encodeUploadBlock,
  encodeUploadBlocks,
  parseHostRequest,
  queryRequest,
  replyBinary,
  replyConfigOk,
  replyError,
  replyQuery,
  replyTagInfo,
  uploadRequest,
  type XyzExpectation,
  type XyzLink,
  type XyzReply,
} from '../../../src/main/printers/xyz/protocol';

function answer(expectation: XyzExpectation, link: XyzLink, bytes: Uint8Array): XyzReply {
  const c = new XyzReplyCollector(expectation, link);
  for (const e of new XyzReplyParser().feed(bytes)) {
    const step = c.accept(e);
    if (step.status === 'done') return step.reply;
  }
  return c.settle();
}

const status = decodeStatus([
  { key: 'j', value: '9511,0' },
  { key: 'i', value: 'SIM123' },
  { key: 't', value: '1,25,0' },
]);

describe('printer side: host requests', () => {
  it('parses every request form the host builder produces', () => {
    expect(parseHostRequest('XYZv3/query=a')).toEqual({ verb: 'query', keys: 'a' });
    expect(parseHostRequest('XYZv3/config=print[pause]\r\n')).toEqual({ verb: 'config', command: 'print[pause]' });
    expect(parseHostRequest('XYZv3/action=jog:{"axis":"x","dir":"+","len":"10"}')).toEqual({
      verb: 'action',
      command: 'jog:{"axis":"x","dir":"+","len":"10"}',
    });
    expect(parseHostRequest('XYZv3/upload=a.3w,100,SaveToSD')).toEqual({
      verb: 'upload',
      fileName: 'a.3w',
      size: 100,
      saveToSd: true,
    });
    expect(parseHostRequest('XYZv3/uploadDidFinish')).toEqual({ verb: 'uploadDidFinish' });
    expect(parseHostRequest('hello')).toEqual({ verb: 'unknown', text: 'hello' });
  });

  it('splits USB writes (no terminator), TCP lines, and upload blocks', () => {
    const file = Uint8Array.from({ length: 20_000 }, (_, i) => (i * 7) & 0xff);
    const s = new XyzHostStreamSplitter();
    expect(s.feedWrite(encodeRequest(uploadRequest('a.3w', file.length), 'usb'))).toEqual([
      { kind: 'request', request: { verb: 'upload', fileName: 'a.3w', size: 20_000, saveToSd: false } },
    ]);
    s.beginUpload(file.length, 8192);
    const blocks = [...encodeUploadBlocks(file, 8192)];
    const events = [
      ...s.feedWrite(concatBytes([asciiBytes('\n'), blocks[0]?.wire ?? new Uint8Array(0)])),
      ...s.feedWrite(blocks[1]?.wire ?? new Uint8Array(0)),
      // Last block and the next command in one write.
      ...s.feedWrite(concatBytes([blocks[2]?.wire ?? new Uint8Array(0), asciiBytes('XYZv3/uploadDidFinish')])),
      ...s.feedWrite(asciiBytes('XYZv3/query=a\r\nXYZv3/query=j\r\n')),
    ];
    expect(events.map((e) => e.kind)).toEqual([
      'stray-newline',
      'block',
      'block',
      'block',
      'complete',
      'request',
      'request',
      'request',
    ]);
    expect(events.filter((e) => e.kind === 'block').every((e) => e.kind === 'block' && e.trailer === 'crc32')).toBe(
      true,
    );
  });
});

describe('printer side: replies round-trip through the host parser', () => {
  it('query replies: USB ends with $, TCP single-key has none but still completes', () => {
    const usb = answer(queryRequest('a'), 'usb', replyQuery(status, 'a', 'usb'));
    expect(usb).toMatchObject({ kind: 'fields', complete: true });
    expect(decodeStatus(usb.kind === 'fields' ? usb.fields : []).serial).toBe('SIM123');
    const tcp = replyQuery(status, 'jt', 'tcp');
    expect(new TextDecoder().decode(tcp)).toBe('j:9511,0\nt:1,25,0\n');
    expect(answer(queryRequest('jt'), 'tcp', tcp)).toMatchObject({ kind: 'fields', complete: true });
  });

  it('config ok / error / tag info / binary signature', () => {
    expect(answer(configJob('pause'), 'usb', replyConfigOk('usb'))).toEqual({ kind: 'ok' });
    expect(replyConfigOk('tcp')).toHaveLength(0);
    expect(answer(queryRequest('a'), 'usb', replyError(4))).toEqual({ kind: 'rejected', code: 4, text: 'E4$' });
    expect(new TextDecoder().decode(replyTagInfo('SIM123'))).toBe('taginfo:{SIM123}\n$\n');
    const sig = Uint8Array.from({ length: 32 }, (_, i) => (i === 3 ? 0x0a : i === 4 ? 0x22 : i));
    const reply = answer(configSignature(), 'usb', replyBinary('signature', sig, false));
    expect(reply.kind === 'binary' && [...reply.bytes]).toEqual([...sig]);
  });
});

describe('upload framing edge cases', () => {
  it('an exact multiple of the block size has no zero-length last block', () => {
    expect([...encodeUploadBlocks(new Uint8Array(16384), 8192)].map((b) => b.data.length)).toEqual([8192, 8192]);
    expect([...encodeUploadBlocks(new Uint8Array(0))]).toEqual([]);
  });

  it('blocks are views, not copies, of the file', () => {
    const file = new Uint8Array(9000);
    const [first] = encodeUploadBlocks(file, 8192);
    expect(first?.data.buffer).toBe(file.buffer);
  });

  it('decoder accepts zero trailers, flags bad CRCs, rejects out-of-order and oversized blocks', () => {
    const data = Uint8Array.from([1, 2, 3]);
    const zero = new XyzUploadDecoder(3, 8192).feed(encodeUploadBlock(0, data, 'zero')).events[0];
    expect(zero).toMatchObject({ kind: 'block', trailer: 'zero' });
    const bad = encodeUploadBlock(0, data);
    bad[bad.length - 1] = (bad[bad.length - 1] ?? 0) ^ 0xff;
    expect(new XyzUploadDecoder(3, 8192).feed(bad).events[0]).toMatchObject({ trailer: 'mismatch' });
    expect(new XyzUploadDecoder(3, 8192).feed(encodeUploadBlock(1, data)).events[0]).toMatchObject({
      kind: 'error',
      code: 'frame-out-of-order',
    });
    const huge = new XyzUploadDecoder(100_000, 8192);
    expect(huge.feed(Uint8Array.from([0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff])).events[0]).toMatchObject({
      code: 'frame-too-large',
    });
    expect(huge.bufferedBytes).toBe(0);
  });
});
