// Pins the protobuf field numbers of the seed protos on the wire.
//
// Each case encodes a message with the generated ts-proto codec, reads the bytes back with the
// schema-less BinaryReader, and compares every (field number, wire type, value) with an expected
// shape. A renumbered, retyped or swapped field fails here, and so does a field that appears or
// disappears. Sources of the numbers:
//   - armory.v1: the real upstream .proto (liankui/OpenBambuAPI, armory/v1/armory.proto);
//   - imss: bunin/imss data/imss.proto at the seed's version f4a4f14 (upstream a38445c renumbers UploadJob 2–8);
//   - skissm: e2eelab/skissm-protos at 59768c7;
//   - skiserver: NOT published; 1..n in the seed's order is an assumption (proto/README.md). These
//     cases pin the assumption so that a correction is a deliberate change.
import { BinaryReader, WireType } from '@bufbuild/protobuf/wire';
import { describe, expect, it } from 'vitest';

import * as armory from '../../../src/main/gen/armory/v1/armory';
import * as imss from '../../../src/main/gen/imss/imss';
import * as imssSvc from '../../../src/main/gen/imss/imss_service';
import * as ski from '../../../src/main/gen/ski/user_state';
import * as skiserver from '../../../src/main/gen/skiserver/skiserver';
import * as skiserverSvc from '../../../src/main/gen/skiserver/skiserver_service';
import * as common from '../../../src/main/gen/skissm/common';
import * as crypto from '../../../src/main/gen/skissm/crypto';
import * as plaintext from '../../../src/main/gen/skissm/plaintext';
import * as protoMsg from '../../../src/main/gen/skissm/proto_msg';
import * as requests from '../../../src/main/gen/skissm/requests';

// ---------- a tiny schema-less expectation language ----------

type Wire =
  | { k: 'str'; v: string }
  | { k: 'int'; v: bigint } // varint: int32/int64/uint32/uint64/bool/enum (non-negative values)
  | { k: 'dbl'; v: number } // 64-bit double
  | { k: 'bytes'; v: Uint8Array }
  | { k: 'msg'; v: Shape };
type Shape = Record<number, Wire | Wire[]>;

const str = (v: string): Wire => ({ k: 'str', v });
const int = (v: number | bigint | boolean): Wire => ({ k: 'int', v: BigInt(v) });
const dbl = (v: number): Wire => ({ k: 'dbl', v });
const bytes = (...v: number[]): Wire => ({ k: 'bytes', v: Uint8Array.from(v) });
const msg = (v: Shape): Wire => ({ k: 'msg', v });

interface RawField {
  no: number;
  wt: WireType;
  data: bigint | number | Uint8Array;
}

function readFields(buf: Uint8Array): RawField[] {
  const reader = new BinaryReader(buf);
  const out: RawField[] = [];
  while (reader.pos < reader.len) {
    const [no, wt] = reader.tag();
    switch (wt) {
      case WireType.Varint:
        out.push({ no, wt, data: BigInt(reader.uint64()) });
        break;
      case WireType.Bit64:
        out.push({ no, wt, data: reader.double() });
        break;
      case WireType.LengthDelimited:
        out.push({ no, wt, data: reader.bytes() });
        break;
      case WireType.Bit32:
        out.push({ no, wt, data: reader.fixed32() });
        break;
      default:
        throw new Error(`unexpected wire type ${wt} for field ${no}`);
    }
  }
  return out;
}

const WIRE_OF: Record<Wire['k'], WireType> = {
  str: WireType.LengthDelimited,
  int: WireType.Varint,
  dbl: WireType.Bit64,
  bytes: WireType.LengthDelimited,
  msg: WireType.LengthDelimited,
};

/** Asserts that `buf` holds exactly the fields of `shape`, with those numbers, wire types and values. */
function expectShape(buf: Uint8Array, shape: Shape, path = '$'): void {
  const byNo = new Map<number, RawField[]>();
  for (const f of readFields(buf)) byNo.set(f.no, [...(byNo.get(f.no) ?? []), f]);
  const want = Object.keys(shape)
    .map(Number)
    .sort((a, b) => a - b);
  expect(
    [...byNo.keys()].sort((a, b) => a - b),
    `${path}: field numbers`,
  ).toEqual(want);
  for (const no of want) {
    const spec = shape[no]!;
    const wants = Array.isArray(spec) ? spec : [spec];
    const got = byNo.get(no)!;
    expect(got.length, `${path}.${no}: occurrences`).toBe(wants.length);
    wants.forEach((w, i) => {
      const g = got[i]!;
      const at = `${path}.${no}${Array.isArray(spec) ? `[${i}]` : ''}`;
      expect(g.wt, `${at}: wire type`).toBe(WIRE_OF[w.k]);
      switch (w.k) {
        case 'str':
          expect(new TextDecoder().decode(g.data as Uint8Array), at).toBe(w.v);
          break;
        case 'int':
        case 'dbl':
          expect(g.data, at).toBe(w.v);
          break;
        case 'bytes':
          expect(Array.from(g.data as Uint8Array), at).toEqual(Array.from(w.v));
          break;
        case 'msg':
          expectShape(g.data as Uint8Array, w.v, at);
          break;
      }
    });
  }
}

/** Any generated message codec; samples are written as partial objects and completed by fromPartial. */
interface Codec {
  encode(message: never): { finish(): Uint8Array };
  fromPartial(object: never): unknown;
}

function enc(codec: Codec, partial: unknown): Uint8Array {
  return codec.encode(codec.fromPartial(partial as never) as never).finish();
}

// 1700000000.123 s as a google.protobuf.Timestamp: seconds = field 1, nanos = field 2.
const WHEN = new Date(1_700_000_000_123);
const WHEN_WIRE = msg({ 1: int(1_700_000_000), 2: int(123_000_000) });

// ---------- armory.v1 (liankui/OpenBambuAPI) ----------

describe('armory.v1 field numbers', () => {
  const cases: Array<[string, Codec, unknown, Shape]> = [
    [
      'BaseResponse',
      armory.BaseResponse,
      { message: 'm', code: 7, error: 'e' },
      { 1: str('m'), 2: int(7), 3: str('e') },
    ],
    [
      'LoginRequest',
      armory.LoginRequest,
      { account: 'a', password: 'p', code: 'c' },
      { 1: str('a'), 2: str('p'), 3: str('c') },
    ],
    [
      'LoginResponse',
      armory.LoginResponse,
      { accessToken: 'at', refreshToken: 'rt', loginType: 'verifyCode', expiresIn: '7776000' },
      { 1: str('at'), 2: str('rt'), 3: str('verifyCode'), 4: int(7_776_000) },
    ],
    ['RefreshTokenRequest', armory.RefreshTokenRequest, { refreshToken: 'rt' }, { 1: str('rt') }],
    [
      'RefreshTokenResponse',
      armory.RefreshTokenResponse,
      { accessToken: 'at', refreshToken: 'rt', expiresIn: '5', refreshExpiresIn: '29501294' },
      { 1: str('at'), 2: str('rt'), 3: int(5), 4: int(29_501_294) },
    ],
    [
      'ListMyMessagesRequest',
      armory.ListMyMessagesRequest,
      { type: 6, after: 'x', limit: 20 },
      { 1: int(6), 2: str('x'), 3: int(20) },
    ],
    [
      'ListMyMessagesResponse / UserMessage / TaskMessage / MessageUser',
      armory.ListMyMessagesResponse,
      {
        hits: [
          {
            id: '9007199254740993', // > 2^53: must survive as a string
            type: 6,
            taskMessage: { id: '11', title: 't', cover: 'c', status: 2, deviceId: 'd' },
            from: { uid: '12', name: 'n', avatar: 'av', isFollowed: true },
            createTime: 'ct',
          },
        ],
      },
      {
        1: msg({
          1: int(9_007_199_254_740_993n),
          2: int(6),
          3: msg({ 1: int(11), 2: str('t'), 3: str('c'), 4: int(2), 5: str('d') }),
          4: msg({ 1: int(12), 2: str('n'), 3: str('av'), 4: int(true) }),
          5: str('ct'),
        }),
      },
    ],
    [
      'ListMyTasksRequest',
      armory.ListMyTasksRequest,
      { deviceId: 'd', after: 'a', limit: 3 },
      { 1: str('d'), 2: str('a'), 3: int(3) },
    ],
    [
      'ListMyTasksResponse / PrintTask',
      armory.ListMyTasksResponse,
      {
        total: 57,
        hits: [
          {
            id: '1',
            modelId: 'm',
            title: 't',
            cover: 'c',
            status: 3,
            startTime: 's',
            endTime: 'e',
            weight: 12.5,
            costTime: '3600',
            deviceId: 'd',
            mode: 'cloud_file',
          },
        ],
      },
      {
        1: int(57),
        2: msg({
          1: int(1),
          2: str('m'),
          3: str('t'),
          4: str('c'),
          5: int(3),
          6: str('s'),
          7: str('e'),
          8: dbl(12.5),
          9: int(3600),
          10: str('d'),
          11: str('cloud_file'),
        }),
      },
    ],
    [
      'GetSlicerResourcesRequest',
      armory.GetSlicerResourcesRequest,
      { type: 'slicer/plugins/cloud' },
      { 1: str('slicer/plugins/cloud') },
    ],
    [
      'GetSlicerResourcesResponse / Software / Resource',
      armory.GetSlicerResourcesResponse,
      {
        base: { message: 'success' },
        software: { version: 'v', description: 'd', url: 'u', forceUpdate: true },
        resources: [{ type: 't', version: 'v', description: 'd', url: 'u', forceUpdate: true }],
      },
      {
        1: msg({ 1: str('success') }),
        2: msg({ 1: str('v'), 2: str('d'), 3: str('u'), 4: int(true) }),
        3: msg({ 1: str('t'), 2: str('v'), 3: str('d'), 4: str('u'), 5: int(true) }),
      },
    ],
    ['ListUserDevicesRequest', armory.ListUserDevicesRequest, {}, {}],
    [
      'ListUserDevicesResponse / Device',
      armory.ListUserDevicesResponse,
      {
        base: { code: 1 },
        devices: [{ devId: 'S', name: 'n', online: true, devModelName: 'C12', devProductName: 'P1S' }],
      },
      { 1: msg({ 2: int(1) }), 2: msg({ 1: str('S'), 2: str('n'), 3: int(true), 4: str('C12'), 5: str('P1S') }) },
    ],
    ['GetPrintStatusRequest', armory.GetPrintStatusRequest, { force: true }, { 1: int(true) }],
    [
      'GetPrintStatusResponse / PrintDeviceStatus',
      armory.GetPrintStatusResponse,
      { base: { error: 'e' }, devices: [{ devId: 'S', devName: 'n', devOnline: true, progress: 42, taskId: 't' }] },
      { 1: msg({ 3: str('e') }), 2: msg({ 1: str('S'), 2: str('n'), 3: int(true), 4: int(42), 5: str('t') }) },
    ],
    ['GetTTCodeRequest', armory.GetTTCodeRequest, { devId: 'S' }, { 1: str('S') }],
    [
      'GetTTCodeResponse',
      armory.GetTTCodeResponse,
      { base: { message: 'ok' }, ttcode: 'uid', passwd: 'pw', authkey: 'ak' },
      { 1: msg({ 1: str('ok') }), 2: str('uid'), 3: str('pw'), 4: str('ak') },
    ],
  ];
  it.each(cases)('%s', (_name, codec, value, shape) => {
    expectShape(enc(codec, value), shape);
  });

  it('keeps int64 ids exact as decimal strings', () => {
    const decoded = armory.PrintTask.decode(enc(armory.PrintTask, { id: '9223372036854775807' }));
    expect(decoded.id).toBe('9223372036854775807');
  });

  it('serves the seed method paths', () => {
    expect(armory.ArmoryService.getTtCode.path).toBe('/armory.v1.Armory/GetTTCode');
    expect(Object.values(armory.ArmoryService).map((m) => m.path)).toEqual([
      '/armory.v1.Armory/Login',
      '/armory.v1.Armory/RefreshToken',
      '/armory.v1.Armory/ListMyMessages',
      '/armory.v1.Armory/ListMyTasks',
      '/armory.v1.Armory/GetSlicerResources',
      '/armory.v1.Armory/ListUserDevices',
      '/armory.v1.Armory/GetPrintStatus',
      '/armory.v1.Armory/GetTTCode',
    ]);
    expect(Object.values(armory.ArmoryService).some((m) => m.requestStream || m.responseStream)).toBe(false);
  });
});

// ---------- imss (bunin/imss, seed version f4a4f14) ----------

describe('imss field numbers (seed version f4a4f14)', () => {
  it('Session: completed = 2 (not the later inverted isActive), images = 6', () => {
    const bytesOut = enc(imss.Session, {
      id: 's1',
      completed: true,
      createdAt: WHEN,
      finishedAt: WHEN,
      name: 'n',
      images: [{ id: 'i1' }],
    });
    expectShape(bytesOut, {
      1: str('s1'),
      2: int(true),
      3: WHEN_WIRE,
      4: WHEN_WIRE,
      5: str('n'),
      6: msg({ 1: str('i1') }),
    });
  });

  it('Image', () => {
    expectShape(
      enc(imss.Image, {
        id: 'i',
        sessionId: 's',
        localPath: 'C:\\tmp\\a.jpg',
        cloudId: 'c',
        createdAt: WHEN,
        size: '4096',
      }),
      { 1: str('i'), 2: str('s'), 3: str('C:\\tmp\\a.jpg'), 4: str('c'), 5: WHEN_WIRE, 6: int(4096) },
    );
  });

  it('ImageUpload: status = 5, error = 6 (not the later 6/7)', () => {
    expectShape(
      enc(imss.ImageUpload, {
        id: 'u',
        jobId: 'j',
        imageId: 'i',
        progress: '10',
        status: imss.UploadStatus.ERROR,
        error: { code: '101', message: 'Image to upload not found' },
      }),
      {
        1: str('u'),
        2: str('j'),
        3: str('i'),
        4: int(10),
        5: int(3),
        6: msg({ 1: int(101), 2: str('Image to upload not found') }),
      },
    );
  });

  it('UploadJob: imageIds = 2 and everything after it unshifted', () => {
    expectShape(
      enc(imss.UploadJob, {
        id: 'j',
        imageIds: ['a', 'b'],
        status: imss.UploadStatus.IN_PROGRESS,
        createdAt: WHEN,
        finishedAt: WHEN,
        progress: '5',
        size: '9',
        recipient: 'r@example.com',
      }),
      {
        1: str('j'),
        2: [str('a'), str('b')],
        3: int(1),
        4: WHEN_WIRE,
        5: WHEN_WIRE,
        6: int(5),
        7: int(9),
        8: str('r@example.com'),
      },
    );
  });

  it('Error and UploadStatus values', () => {
    expectShape(enc(imss.Error, { code: '18446744073709551615', message: 'm' }), {
      1: int(18_446_744_073_709_551_615n),
      2: str('m'),
    });
    expect([
      imss.UploadStatus.UNKNOWN,
      imss.UploadStatus.IN_PROGRESS,
      imss.UploadStatus.DONE,
      imss.UploadStatus.ERROR,
    ]).toEqual([0, 1, 2, 3]);
  });

  // Printdeck's own service contract (not from a spec): pinned so the client and the sandbox
  // server cannot drift apart unnoticed.
  it('ImssService data path messages', () => {
    expectShape(
      enc(imssSvc.UploadImageDataRequest, {
        data: { $case: 'header', value: { imageUploadId: 'u', offset: '1048576' } },
      }),
      {
        1: msg({ 1: str('u'), 2: int(1_048_576) }),
      },
    );
    expectShape(enc(imssSvc.UploadImageDataRequest, { data: { $case: 'chunk', value: Uint8Array.of(1, 2, 3) } }), {
      2: bytes(1, 2, 3),
    });
    expectShape(
      enc(imssSvc.GetImageUploadOffsetResponse, { committedOffset: '7', size: '9', imageUpload: { id: 'u' } }),
      {
        1: int(7),
        2: int(9),
        3: msg({ 1: str('u') }),
      },
    );
    expectShape(
      enc(imssSvc.RegisterImageRequest, {
        sessionId: 's',
        localPath: 'p',
        size: '3',
        createdAt: WHEN,
        sha256Hex: 'ab'.repeat(32),
      }),
      { 1: str('s'), 2: str('p'), 3: int(3), 4: WHEN_WIRE, 5: str('ab'.repeat(32)) },
    );
    expect(imssSvc.ImssServiceService.uploadImageData).toMatchObject({
      path: '/imss.ImssService/UploadImageData',
      requestStream: true,
      responseStream: false,
    });
    expect(imssSvc.ImssServiceService.watchUploadJob).toMatchObject({
      path: '/imss.ImssService/WatchUploadJob',
      requestStream: false,
      responseStream: true,
    });
  });
});

// ---------- skissm (e2eelab/skissm-protos 59768c7) ----------

const USER = { domain: 'd', peer: { $case: 'user', value: { userName: 'un', userId: 'u', deviceId: 'dev' } } };
const USER_WIRE = msg({ 1: str('d'), 2: msg({ 1: str('un'), 2: str('u'), 3: str('dev') }) });
const GROUP = { domain: 'd', peer: { $case: 'group', value: { groupName: 'gn', groupId: 'g' } } };
const GROUP_WIRE = msg({ 1: str('d'), 3: msg({ 1: str('gn'), 2: str('g') }) });

describe('skissm field numbers', () => {
  it('E2eeAddress: oneof peer { user = 2; group = 3 }', () => {
    expectShape(enc(common.E2eeAddress, USER), (USER_WIRE as { v: Shape }).v);
    expectShape(enc(common.E2eeAddress, GROUP), (GROUP_WIRE as { v: Shape }).v);
  });

  it('ResponseCode values and code = 1 / msg = 2', () => {
    expect(common.ResponseCode.RESPONSE_CODE_OK).toBe(200);
    expect(common.ResponseCode.RESPONSE_CODE_NOT_FOUND).toBe(404);
    expect(common.ResponseCode.RESPONSE_CODE_SERVICE_UNAVAILABLE).toBe(503);
    expectShape(
      enc(requests.ConsumeProtoMsgResponse, { code: common.ResponseCode.RESPONSE_CODE_NOT_FOUND, msg: 'm' }),
      {
        1: int(404),
        2: str('m'),
      },
    );
  });

  it('GroupMember, GroupMemberInfo, GroupInfo, FriendshipDTO, heartbeats', () => {
    expectShape(
      enc(common.GroupMember, { userId: 'u', domain: 'd', role: common.GroupRole.GROUP_ROLE_PENDING_MANAGER }),
      {
        1: str('u'),
        2: str('d'),
        3: int(11),
      },
    );
    expectShape(enc(common.GroupMemberInfo, { memberAddress: USER, signPublicKey: Uint8Array.of(9) }), {
      1: USER_WIRE,
      2: bytes(9),
    });
    expectShape(enc(common.GroupInfo, { groupName: 'g', groupAddress: GROUP, groupMemberList: [{ userId: 'u' }] }), {
      1: str('g'),
      2: GROUP_WIRE,
      3: msg({ 1: str('u') }),
    });
    expectShape(
      enc(common.FriendshipDTO, {
        modifiedDate: '1',
        fromUser: 'f',
        toUser: 't',
        nickname: 'n',
        memoname: 'm',
        blockState: 2,
        friendStatus: 3,
      }),
      { 1: int(1), 2: str('f'), 3: str('t'), 4: str('n'), 5: str('m'), 6: int(2), 7: int(3) },
    );
    expectShape(enc(common.ClientHeartbeatMsg, { clientT: '5' }), { 1: int(5) });
    expectShape(enc(common.ServerHeartbeatMsg, { hostname: 'h', serverT: '6' }), { 1: str('h'), 2: int(6) });
  });

  it('ProtoMsg: tag 1, from 2, to 3, payload numbers, signature_list = 1001', () => {
    const sig = {
      version: 1,
      hashAlg: crypto.HashAlgType.HASH_ALG_TYPE_SHA2_256,
      signingAlg: crypto.DsAlgType.DS_ALG_TYPE_DILITHIUM_5,
    };
    const sigWire = msg({ 1: int(1), 2: int(1), 3: int(17) });
    expectShape(
      enc(protoMsg.ProtoMsg, {
        tag: { protoMsgT: '100', protoMsgId: 'id' },
        from: USER,
        to: GROUP,
        payload: { $case: 'e2eeMsg', value: { msgId: 'm' } },
        signatureList: [sig, sig],
      }),
      {
        1: msg({ 1: int(100), 2: str('id') }),
        2: USER_WIRE,
        3: GROUP_WIRE,
        51: msg({ 4: str('m') }),
        1001: [sigWire, sigWire],
      },
    );
    const payloads: Array<[string, unknown, number]> = [
      ['acquireSyncMsg', {}, 11],
      ['supplyOpksMsg', {}, 21],
      ['inviteMsg', {}, 22],
      ['acceptMsg', {}, 23],
      ['addUserDeviceMsg', {}, 24],
      ['removeUserDeviceMsg', {}, 25],
      ['createGroupMsg', {}, 41],
      ['addGroupMembersMsg', {}, 42],
      ['removeGroupMembersMsg', {}, 43],
      ['addGroupMemberDeviceMsg', {}, 44],
      ['leaveGroupMsg', {}, 45],
      ['e2eeMsg', {}, 51],
      ['updateUserMsg', {}, 61],
      ['friendManagerMsg', {}, 91],
      ['groupManagerMsg', {}, 92],
      ['systemManagerMsg', {}, 93],
      ['clientHeartbeatMsg', {}, 101],
      ['serverHeartbeatMsg', {}, 102],
      ['upgradeE2eePackMsg', {}, 901],
    ];
    for (const [$case, value, no] of payloads) {
      expectShape(enc(protoMsg.ProtoMsg, { payload: { $case, value } }), { [no]: msg({}) }, `ProtoMsg.${$case}`);
    }
  });

  it('E2eeMsg and its payloads', () => {
    expectShape(
      enc(protoMsg.E2eeMsg, {
        version: '\x01',
        from: USER,
        to: USER,
        msgId: 'm',
        sessionId: 's',
        notifLevel: protoMsg.NotifLevel.NOTIF_LEVEL_PUSH,
        payload: {
          $case: 'one2oneMsg',
          value: {
            sequence: 1,
            ciphertext: Uint8Array.of(2),
            ratchetKey: Uint8Array.of(3),
            rootSequence: 4,
            sendingMessageSequence: 5,
          },
        },
      }),
      {
        1: str('\x01'),
        2: USER_WIRE,
        3: USER_WIRE,
        4: str('m'),
        5: str('s'),
        6: int(11),
        11: msg({ 1: int(1), 2: bytes(2), 3: bytes(3), 4: int(4), 5: int(5) }),
      },
    );
    expectShape(
      enc(protoMsg.E2eeMsg, {
        payload: {
          $case: 'groupMsg',
          value: { sequence: 7, ciphertext: Uint8Array.of(8), signature: Uint8Array.of(9) },
        },
      }),
      { 12: msg({ 1: int(7), 2: bytes(8), 3: bytes(9) }) },
    );
  });

  it('InviteMsg 1..11 and AcceptMsg 1..5', () => {
    expectShape(
      enc(protoMsg.InviteMsg, {
        version: 'v',
        e2eePackId: 0x113101,
        sessionId: 's',
        from: USER,
        to: USER,
        aliceIdentityKey: Uint8Array.of(6),
        aliceBaseKey: Uint8Array.of(7),
        preSharedInputList: [Uint8Array.of(8), Uint8Array.of(8, 8)],
        bobSignedPreKeyId: 9,
        bobOneTimePreKeyId: 10,
        inviteT: '11',
      }),
      {
        1: str('v'),
        2: int(0x113101),
        3: str('s'),
        4: USER_WIRE,
        5: USER_WIRE,
        6: bytes(6),
        7: bytes(7),
        8: [bytes(8), bytes(8, 8)],
        9: int(9),
        10: int(10),
        11: int(11),
      },
    );
    expectShape(
      enc(protoMsg.AcceptMsg, {
        from: USER,
        to: USER,
        e2eePackId: 3,
        encapsCiphertext: Uint8Array.of(4),
        ratchetKey: Uint8Array.of(5),
      }),
      { 1: USER_WIRE, 2: USER_WIRE, 3: int(3), 4: bytes(4), 5: bytes(5) },
    );
  });

  it('manager messages keep their camelCase msgId at 2 and their oneof args', () => {
    expectShape(
      enc(protoMsg.GroupManagerMsg, {
        modifiedDate: '1',
        msgId: 'm',
        groupAddress: GROUP,
        groupName: 'g',
        op: protoMsg.GroupOp.GROUP_OP_DESTROY_GROUP,
        arg: { $case: 'destroyGroupArg', value: { userAddress: USER } },
      }),
      { 1: int(1), 2: str('m'), 3: GROUP_WIRE, 4: str('g'), 5: int(30), 30: msg({ 1: USER_WIRE }) },
    );
    expectShape(
      enc(protoMsg.FriendManagerMsg, {
        modifiedDate: '1',
        msgId: 'm',
        userAddress: USER,
        userName: 'n',
        op: protoMsg.FriendOp.FRIEND_OP_RECOMMEND,
        friend: { toUser: 't' },
      }),
      { 1: int(1), 2: str('m'), 3: USER_WIRE, 4: str('n'), 5: int(7), 6: msg({ 3: str('t') }) },
    );
    expectShape(
      enc(protoMsg.UpdateUserMsg, {
        modifiedDate: '1',
        userAddress: USER,
        op: protoMsg.UpdateUserOp.UPDATE_USER_OP_STATE,
        arg: { $case: 'updateUserStateArg', value: { userState: 3 } },
      }),
      { 1: int(1), 2: USER_WIRE, 3: int(2), 6: msg({ 1: int(3) }) },
    );
  });

  it('Certificate and Cert (declared out of numeric order)', () => {
    expectShape(
      enc(crypto.Certificate, {
        version: 1,
        hashAlg: crypto.HashAlgType.HASH_ALG_TYPE_SHA2_256,
        signingAlg: crypto.DsAlgType.DS_ALG_TYPE_DILITHIUM_5,
        cert: {
          issuee: { cn: 'Test Server' },
          publicKeyAlg: crypto.DsAlgType.DS_ALG_TYPE_FALCON_1024,
          publicKey: Uint8Array.of(13),
          issuer: { cn: 'E2eeLab Central Server', domain: 'e2eelab.org', o: 'o', ou: ['a', 'b'] },
          notBefore: '4',
          notAfter: '5',
        },
        certFingerprint: Uint8Array.of(21),
        signingPublicKeyFingerprint: Uint8Array.of(22),
        signature: Uint8Array.of(31),
        ts: '41',
        valid: true,
      }),
      {
        1: int(1),
        2: int(1),
        3: int(17),
        11: msg({
          11: msg({ 1: str('Test Server') }),
          12: int(41),
          13: bytes(13),
          2: msg({ 1: str('E2eeLab Central Server'), 2: str('e2eelab.org'), 3: str('o'), 4: [str('a'), str('b')] }),
          4: int(4),
          5: int(5),
        }),
        21: bytes(21),
        22: bytes(22),
        31: bytes(31),
        41: int(41),
        42: int(true),
      },
    );
    expect(crypto.KemAlgType.KEM_ALG_TYPE_KYBER1024).toBe(49);
    expect(crypto.DsAlgType.DS_ALG_TYPE_SPHINCS_SHAKE_256S).toBe(109);
    expect(crypto.KemAlgType.KEM_ALG_TYPE_MCELIECE8192128F).toBe(101);
    expect(crypto.HashAlgType.HASH_ALG_TYPE_SHAKE_256).toBe(13);
  });

  it('PreKeyBundle: signature = 11', () => {
    expectShape(
      enc(crypto.PreKeyBundle, {
        userAddress: USER,
        e2eePackId: 2,
        identityKeyPublic: { asymPublicKey: Uint8Array.of(1), signPublicKey: Uint8Array.of(2) },
        signedPreKeyPublic: { spkId: 1, publicKey: Uint8Array.of(2), signature: Uint8Array.of(3) },
        oneTimePreKeyPublic: { opkId: 1, publicKey: Uint8Array.of(2) },
        signature: {
          signer: { cn: 's' },
          signingPublicKeyFingerprint: Uint8Array.of(12),
          msgFingerprint: Uint8Array.of(21),
          signature: Uint8Array.of(22),
        },
      }),
      {
        1: USER_WIRE,
        2: int(2),
        3: msg({ 1: bytes(1), 2: bytes(2) }),
        4: msg({ 1: int(1), 2: bytes(2), 3: bytes(3) }),
        5: msg({ 1: int(1), 2: bytes(2) }),
        11: msg({ 11: msg({ 1: str('s') }), 12: bytes(12), 21: bytes(21), 22: bytes(22) }),
      },
    );
  });

  it('RegisterUserRequest 1..5, 11..14 and RegisterUserResponse 1..9, 11..13', () => {
    expectShape(
      enc(requests.RegisterUserRequest, {
        userName: 'n',
        userId: 'u',
        deviceId: 'd',
        authenticator: 'mailto:a@b',
        authCode: '123456',
        e2eePackId: 0x113101,
        identityKeyPublic: {},
        signedPreKeyPublic: {},
        oneTimePreKeyList: [{ opkId: 1 }, { opkId: 2 }],
      }),
      {
        1: str('n'),
        2: str('u'),
        3: str('d'),
        4: str('mailto:a@b'),
        5: str('123456'),
        11: int(0x113101),
        12: msg({}),
        13: msg({}),
        14: [msg({ 1: int(1) }), msg({ 1: int(2) })],
      },
    );
    expectShape(
      enc(requests.RegisterUserResponse, {
        code: common.ResponseCode.RESPONSE_CODE_CREATED,
        msg: 'm',
        address: USER,
        username: 'n',
        password: 'p',
        auth: 'jwt',
        expiresIn: '7',
        authenticator: 'a',
        serverCert: { version: 1 },
        otherDeviceAddressList: [USER],
        otherUserAddressList: [USER],
        groupInfoList: [{ groupName: 'g' }],
      }),
      {
        1: int(201),
        2: str('m'),
        3: USER_WIRE,
        4: str('n'),
        5: str('p'),
        6: str('jwt'),
        7: int(7),
        8: str('a'),
        9: msg({ 1: int(1) }),
        11: USER_WIRE,
        12: USER_WIRE,
        13: msg({ 1: str('g') }),
      },
    );
  });

  it('other requests used by the skiserver services', () => {
    expectShape(
      enc(requests.ConsumeProtoMsgRequest, {
        protoMsgId: 'p',
        state: requests.ProtoMsgOpState.PROTO_MSG_OP_STATE_FAILED_ESCAPE,
      }),
      {
        1: str('p'),
        11: int(4),
      },
    );
    expectShape(enc(requests.GetPreKeyBundleRequest, { domain: 'd', userId: 'u', deviceId: 'x' }), {
      1: str('d'),
      2: str('u'),
      3: str('x'),
    });
    expectShape(
      enc(requests.GetPreKeyBundleResponse, { code: 200, msg: 'm', userId: 'u', preKeyBundles: [{ e2eePackId: 1 }] }),
      {
        1: int(200),
        2: str('m'),
        3: str('u'),
        4: msg({ 2: int(1) }),
      },
    );
    expectShape(enc(requests.InviteResponse, { code: 200, sessionId: 's', inviteT: '4' }), {
      1: int(200),
      3: str('s'),
      4: int(4),
    });
    expectShape(
      enc(requests.SupplyOpksRequest, { e2eePackId: 1, userAddress: USER, oneTimePreKeyPublicList: [{ opkId: 3 }] }),
      {
        1: int(1),
        2: USER_WIRE,
        3: msg({ 1: int(3) }),
      },
    );
    expectShape(enc(requests.SendGroupMsgRequest, { msg: { msgId: 'm' }, allowList: [USER], denyList: [GROUP] }), {
      1: msg({ 4: str('m') }),
      2: USER_WIRE,
      3: GROUP_WIRE,
    });
    expectShape(
      enc(requests.LeaveGroupResponse, { code: 200, msg: 'm', leaveGroupMemberAddress: USER, groupAddress: GROUP }),
      { 1: int(200), 2: str('m'), 3: USER_WIRE, 4: GROUP_WIRE },
    );
    expectShape(
      enc(requests.GetGroupResponse, {
        code: 200,
        groupName: 'g',
        groupAddress: GROUP,
        groupMemberList: [{ userId: 'u' }],
      }),
      {
        1: int(200),
        3: str('g'),
        4: GROUP_WIRE,
        5: msg({ 1: str('u') }),
      },
    );
  });

  it('Plaintext and the group key bundles', () => {
    expectShape(
      enc(plaintext.Plaintext, { version: '\x01', payload: { $case: 'commonMsg', value: Uint8Array.of(1) } }),
      {
        1: str('\x01'),
        2: bytes(1),
      },
    );
    expectShape(enc(plaintext.Plaintext, { payload: { $case: 'groupUpdateKeyBundle', value: { adding: true } } }), {
      13: msg({ 4: int(true) }),
    });
    expectShape(
      enc(plaintext.GroupPreKeyBundle, {
        version: 'v',
        e2eePackId: 2,
        sender: USER,
        sessionId: 's',
        oldSessionId: 'o',
        groupInfo: { groupName: 'g' },
        sequence: 7,
        groupSeed: Uint8Array.of(8),
      }),
      {
        1: str('v'),
        2: int(2),
        3: USER_WIRE,
        4: str('s'),
        5: str('o'),
        6: msg({ 1: str('g') }),
        7: int(7),
        8: bytes(8),
      },
    );
  });
});

// ---------- skiserver (ASSUMED 1..n in seed order) and ski.UserState ----------

describe('skiserver field numbers (assumed: 1..n in the seed order)', () => {
  it('LoginResponse incl. ski.UserState = 5 and msgBackup_device_id = 6', () => {
    const bytesOut = enc(skiserver.LoginResponse, {
      code: common.ResponseCode.RESPONSE_CODE_OK,
      msg: 'm',
      auth: 'a',
      expiresIn: '4',
      userState: 7 as ski.UserState, // unknown values must pass through
      msgBackupDeviceId: 'dev',
    });
    expectShape(bytesOut, { 1: int(200), 2: str('m'), 3: str('a'), 4: int(4), 5: int(7), 6: str('dev') });
    expect(skiserver.LoginResponse.decode(bytesOut).userState).toBe(7);
  });

  it('a sample of requests and responses', () => {
    expectShape(enc(skiserver.AcquireAuthCodeResponse, { code: 200, msg: 'm', ttl: 300 }), {
      1: int(200),
      2: str('m'),
      3: int(300),
    });
    expectShape(enc(skiserver.AddFriendRequest, { userAddress: USER, toUser: 't', fromUser: 'f', fromUsername: 'n' }), {
      1: USER_WIRE,
      2: str('t'),
      3: str('f'),
      4: str('n'),
    });
    expectShape(
      enc(skiserver.AddFriendResponse, {
        code: 200,
        msg: 'm',
        status: skiserver.AddAttentionStatus.ADD_ATTENTION_STATUS_FRIEND_ADDED,
        friend: { toUser: 't' },
      }),
      { 1: int(200), 2: str('m'), 3: int(2), 4: msg({ 3: str('t') }) },
    );
    expectShape(
      enc(skiserver.DownloadMsgRequest, { userAddress: 'u@d', lastMsgId: 'l', lastTimeSend: '3', limit: 500 }),
      {
        1: str('u@d'),
        2: str('l'),
        3: int(3),
        4: int(500),
      },
    );
    expectShape(
      enc(skiserver.DownloadMsgResponse, {
        code: 200,
        backupedMsgs: [{ msgId: 'i', timeSend: '2', encryptedData: Uint8Array.of(3) }],
      }),
      { 1: int(200), 3: msg({ 1: str('i'), 2: int(2), 3: bytes(3) }) },
    );
    expectShape(enc(skiserver.SubmitProtoMsgRequest, { protoMsg: { from: USER }, ignoredDeviceIdList: ['a', 'b'] }), {
      1: msg({ 2: USER_WIRE }),
      2: [str('a'), str('b')],
    });
    expectShape(
      enc(skiserver.RemoveUserDeviceRequest, { userAddress: USER, removeUserDeviceMsg: { userAddress: USER } }),
      {
        1: USER_WIRE,
        2: msg({ 1: USER_WIRE }),
      },
    );
    expectShape(
      enc(skiserver.UpdatePushIdRequest, { pushId: 'p', type: skiserver.PushIDType.PUSH_ID_TYPE_APNS_VOIP }),
      {
        1: str('p'),
        2: int(1),
      },
    );
    expectShape(
      enc(skiserver.UpdateUserPrivacyRequest, { allowAttention: true, allowGreeting: true, allowAutoFriend: true }),
      {
        1: int(true),
        2: int(true),
        3: int(true),
      },
    );
    expectShape(
      enc(skiserver.UpdateGroupManagersRequest, {
        toGroup: 'g',
        fromUser: 'f',
        updatingMembers: [{ role: common.GroupRole.GROUP_ROLE_MANAGER }],
      }),
      { 1: str('g'), 2: str('f'), 3: msg({ 3: int(1) }) },
    );
    expect(skiserver.AddAttentionStatus.ADD_ATTENTION_STATUS_EXCEPTION).toBe(6);
    expect(ski.UserState.USER_STATE_UNSPECIFIED).toBe(0);
  });

  it('serves the seed method paths', () => {
    expect(skiserverSvc.E2eeBidiServiceService.communicate).toMatchObject({
      path: '/skiserver.E2eeBidiService/Communicate',
      requestStream: true,
      responseStream: true,
    });
    expect(skiserverSvc.E2eeUnaryServiceService.consumeProtoMsg.path).toBe(
      '/skiserver.E2eeUnaryService/ConsumeProtoMsg',
    );
    expect(skiserverSvc.E2eeS2SServiceService.submitProtoMsg.path).toBe('/skiserver.E2eeS2SService/SubmitProtoMsg');
    expect(skiserverSvc.E2eeBackupServiceService.backupMsg.path).toBe('/skiserver.E2eeBackupService/BackupMsg');
    expect(Object.keys(skiserverSvc.E2eeUnaryServiceService)).toHaveLength(35);
    expect(Object.keys(skiserverSvc.E2eeS2SServiceService)).toHaveLength(20);
    expect(Object.keys(skiserverSvc.E2eeBackupServiceService)).toHaveLength(3);
  });
});
