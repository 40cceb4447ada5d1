import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AppPayloadError, decodeAppPayload, encodeAppPayload } from '../../../src/main/chat/protocol/app-payload';
import { protoMsgFingerprint } from '../../../src/main/chat/protocol/fingerprints';
import { Sealer } from '../../../src/main/chat/store/sealer';

describe('chat application payload codec', () => {
  it('round-trips text and image payloads', () => {
    const text = encodeAppPayload({ header: { v: 1, kind: 'text', id: 'abcdefgh12', conv: { type: 'user', id: 'bob@x' }, text: 'hi', sentAt: 1 }, body: new Uint8Array(0) });
    expect(decodeAppPayload(text).header).toMatchObject({ kind: 'text', text: 'hi' });
    const img = encodeAppPayload({ header: { v: 1, kind: 'image', id: 'abcdefgh12', conv: { type: 'group', id: 'g1' }, mime: 'image/png', name: 'a.png', caption: '', sentAt: 1 }, body: new Uint8Array([1, 2, 3]) });
    expect([...decodeAppPayload(img).body]).toEqual([1, 2, 3]);
  });

  it('refuses malformed input', () => {
    expect(() => decodeAppPayload(new Uint8Array([0, 0]))).toThrow(AppPayloadError);
    expect(() => decodeAppPayload(new Uint8Array([0, 0, 0, 200, 1]))).toThrow(AppPayloadError);
    const junk = new TextEncoder().encode('{"v":1,"kind":"text"}');
    const framed = new Uint8Array(4 + junk.length);
    new DataView(framed.buffer).setUint32(0, junk.length);
    framed.set(junk, 4);
    expect(() => decodeAppPayload(framed)).toThrow(/invalid header/);
    const text = encodeAppPayload({ header: { v: 1, kind: 'text', id: 'abcdefgh12', conv: { type: 'user', id: 'b@x' }, text: 'x', sentAt: 1 }, body: new Uint8Array(0) });
    expect(() => decodeAppPayload(new Uint8Array([...text, 9]))).toThrow(/unexpected body/);
  });
});

/** A header framed as on the wire, with no body. */
function framedHeader(header: unknown): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const framed = new Uint8Array(4 + json.length);
  new DataView(framed.buffer).setUint32(0, json.length);
  framed.set(json, 4);
  return framed;
}

describe('chat application payload headers', () => {
  const text = { v: 1, kind: 'text', id: 'abcdefgh12', conv: { type: 'user', id: 'bob@x' }, text: 'hi', sentAt: 1 };
  const receipt = { v: 1, kind: 'receipt', ids: ['abcdefgh12', 'ABC_def-99'] };

  it('accepts text and receipt headers at the edges of every bound', () => {
    for (const h of [
      text,
      { ...text, id: 'a'.repeat(8) },
      { ...text, id: 'a'.repeat(64) },
      { ...text, text: 'x'.repeat(8000) },
      { ...text, conv: { type: 'group', id: 'g'.repeat(200) } },
      { ...text, sentAt: -5 },
      receipt,
      { ...receipt, ids: Array.from({ length: 200 }, (_, i) => `message${i}`) },
    ]) {
      expect(decodeAppPayload(framedHeader(h)).header).toEqual(h);
    }
  });

  it('refuses text and receipt headers that break any rule', () => {
    const refused = [
      { ...text, v: 2 },
      { ...text, kind: 'txt' },
      { ...text, id: 'short' },
      { ...text, id: 'a'.repeat(65) },
      { ...text, id: 'has space1' },
      { ...text, id: 12345678 },
      { ...text, text: '' },
      { ...text, text: 'x'.repeat(8001) },
      { ...text, text: 5 },
      { ...text, sentAt: 1.5 },
      { ...text, sentAt: '1' },
      { ...text, sentAt: 2 ** 60 },
      { ...text, extra: true },
      { ...text, conv: { type: 'channel', id: 'x' } },
      { ...text, conv: { type: 'user', id: '' } },
      { ...text, conv: { type: 'user', id: 'x'.repeat(201) } },
      { ...text, conv: { type: 'user', id: 'x', more: 1 } },
      { ...text, conv: ['user', 'x'] },
      { ...text, conv: null },
      Object.fromEntries(Object.entries(text).filter(([k]) => k !== 'sentAt')),
      { ...receipt, ids: [] },
      { ...receipt, ids: ['abcdefgh12', 'bad id!!!'] },
      { ...receipt, ids: Array.from({ length: 201 }, (_, i) => `message${i}`) },
      { ...receipt, ids: 'abcdefgh12' },
      { ...receipt, extra: 1 },
      [text],
      null,
    ];
    for (const h of refused) expect(() => decodeAppPayload(framedHeader(h)), JSON.stringify(h)?.slice(0, 80)).toThrow(/invalid header/);
  });
});

describe('chat store sealer', () => {
  it('opens what it sealed, and only under the same key and record identity', () => {
    const key = randomBytes(32);
    const sealer = new Sealer(key);
    const sealed = sealer.sealText('secret ratchet', 'chat:sessions:a:s1');
    expect(Buffer.from(sealed).includes(Buffer.from('secret ratchet'))).toBe(false);
    expect(sealer.openText(sealed, 'chat:sessions:a:s1')).toBe('secret ratchet');
    expect(() => sealer.openText(sealed, 'chat:sessions:a:s2')).toThrow();
    expect(() => new Sealer(randomBytes(32)).openText(sealed, 'chat:sessions:a:s1')).toThrow();
    const tampered = new Uint8Array(sealed);
    tampered[14] = (tampered[14] ?? 0) ^ 1;
    expect(() => sealer.openText(tampered, 'chat:sessions:a:s1')).toThrow();
  });
});

describe('ProtoMsg fingerprint', () => {
  it('changes when any signed part changes and ignores the signature list', () => {
    const base = { tag: { protoMsgT: '1', protoMsgId: 'id1' }, from: undefined, to: undefined, payload: { $case: 'supplyOpksMsg' as const, value: { serverT: '1', opksNum: 5, userAddress: undefined } }, signatureList: [] };
    const f = protoMsgFingerprint(base);
    expect(protoMsgFingerprint({ ...base, signatureList: [] })).toEqual(f);
    expect(protoMsgFingerprint({ ...base, tag: { protoMsgT: '1', protoMsgId: 'id2' } })).not.toEqual(f);
    expect(protoMsgFingerprint({ ...base, payload: { $case: 'supplyOpksMsg', value: { serverT: '1', opksNum: 6, userAddress: undefined } } })).not.toEqual(f);
  });
});
