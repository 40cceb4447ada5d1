import { describe, expect, it } from 'vitest';
import {
  XyzProtocolError,
  XyzV2FrameDecoder,
  XyzV2ReplyParser,
  actionJog,
  asciiBytes,
  classifyV2Line,
  concatBytes,
  configName,
  configSsid,
  configZOffsetSet,
  decodeV2Cartridge,
  decodeV2Info,
  encodeRequest,
  encodeV2Frames,
  encodeV2PrintHeader,
  encodeV2Request,
  latin1Text,
  queryRequest,
  uploadRequest,
  v2ByteSum,
  v2Fields,
  v2UploadVerdict,
  XYZ_V2_FRAME_SIZE,
} from '../../../src/main/printers/xyz/protocol';

describe('v3 request builder', () => {
  it('USB has no terminator, TCP appends CR LF', () => {
    expect(latin1Text(encodeRequest(queryRequest('djte'), 'usb'))).toBe('XYZv3/query=djte');
    expect(latin1Text(encodeRequest(queryRequest('a'), 'tcp'))).toBe('XYZv3/query=a\r\n');
    expect(latin1Text(encodeRequest(uploadRequest('x.3w', 5, true), 'usb'))).toBe('XYZv3/upload=x.3w,5,SaveToSD');
    expect(latin1Text(encodeRequest(configZOffsetSet(-12), 'usb'))).toBe('XYZv3/config=zoffset:set[-12]');
    expect(latin1Text(encodeRequest(actionJog('z', '-', 10), 'usb'))).toBe(
      'XYZv3/action=jog:{"axis":"z","dir":"-","len":"10"}',
    );
  });

  it('rejects arguments that would break the framing', () => {
    expect(() => queryRequest('abcde')).toThrow(XyzProtocolError);
    expect(() => uploadRequest('a\n.3w', 1)).toThrow(XyzProtocolError);
    expect(() => uploadRequest('a,b.3w', 1)).toThrow(XyzProtocolError);
    expect(() => uploadRequest('a.3w', 0)).toThrow(XyzProtocolError);
    expect(() => configName('x]y')).toThrow(XyzProtocolError);
    expect(() => configSsid('a,b', 'pw', 6)).toThrow(XyzProtocolError);
  });
});

describe('v2 protocol', () => {
  it('requests and the M1 header line', () => {
    expect(latin1Text(encodeV2Request(4))).toBe('XYZ_@3D:4');
    expect(latin1Text(encodeV2Request(0, '\r\n'))).toBe('XYZ_@3D:0\r\n');
    expect(latin1Text(encodeV2PrintHeader({ length: 1234, estimatedSeconds: 3723 }))).toBe(
      'M1:MyTest,1234,1.2.3,EE1_OK,EE2_OK',
    );
  });

  it('frames: 10236 bytes + BE byte sum, last frame shorter, decoder resends on bad sum', () => {
    const payload = Uint8Array.from({ length: XYZ_V2_FRAME_SIZE + 10 }, (_, i) => i & 0xff);
    const frames = [...encodeV2Frames(payload)];
    expect(frames.map((f) => f.data.length)).toEqual([XYZ_V2_FRAME_SIZE, 10]);
    expect(v2ByteSum(Uint8Array.from([0xff, 0xff, 1]))).toBe(0x1ff);
    const dec = new XyzV2FrameDecoder(payload.length);
    const broken = frames[0]?.wire.slice() ?? new Uint8Array(0);
    broken[0] = (broken[0] ?? 0) ^ 1;
    const events = [broken, frames[0]?.wire, frames[1]?.wire].flatMap((w) => dec.feed(w ?? new Uint8Array(0)).events);
    expect(events.map((e) => (e.kind === 'frame' ? `${e.index}:${e.checksumOk}` : e.kind))).toEqual([
      '0:false',
      '0:true',
      '1:true',
      'complete',
    ]);
  });

  it('reply lines, tokens and info decode', () => {
    expect(classifyV2Line('CheckSumOK:PN:3')).toEqual({ kind: 'token', token: 'CheckSumOK', detail: 'PN:3' });
    expect(classifyV2Line('XYZ_@3D:start')).toEqual({ kind: 'token', token: 'start', detail: null });
    expect(v2UploadVerdict('CheckSumFail')).toBe('resend');
    expect(v2UploadVerdict('OFFLINE_NO')).toBe('abort');
    const p = new XyzV2ReplyParser();
    const lines = [
      ...p.feed(asciiBytes('XYZ_@3D:start\r\nMDU:dvF110B000\r\nFW_V:1.1.7\r\nMCH_')),
      ...p.feed(asciiBytes('ID:3F11XPGBXTH5320151\r\nPROTOCOL:2\r\nWelcome:daVinciF11\r\nPRT_IP:192.168.1.126\r\n')),
    ];
    expect(decodeV2Info(v2Fields(lines))).toMatchObject({
      model: 'dvF110B000',
      serial: '3F11XPGBXTH5320151',
      protocol: '2',
      machineName: 'daVinciF11',
      ip: '192.168.1.126',
    });
    expect(p.feed(concatBytes([new Uint8Array(5000).fill(0x41), asciiBytes('\nok\n')])).map((l) => l.kind)).toEqual([
      'overflow',
      'token',
    ]);
  });

  it('cartridge EEPROM lines', () => {
    expect(decodeV2Cartridge('--------------').present).toBe(false);
    expect(decodeV2Cartridge('X1,50,FF0000,20160101,300000,120000,210,60,M,D,ABCD,S')).toMatchObject({
      present: true,
      material: '50',
      totalMm: 300000,
      remainingMm: 120000,
      headC: 210,
      serialHex: 'ABCD',
    });
  });
});
