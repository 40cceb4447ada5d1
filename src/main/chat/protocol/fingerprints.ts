import { BinaryWriter } from '@bufbuild/protobuf/wire';
import { concatBytes } from '../crypto';
import { sha256 } from '../crypto/hash';
import { ClientHeartbeatMsg, E2eeAddress, ServerHeartbeatMsg } from '../../gen/skissm/common';
import { IdentityKeyPublic, OneTimePreKeyPublic, SignedPreKeyPublic, type PreKeyBundle } from '../../gen/skissm/crypto';
import {
  AcceptMsg,
  AcquireSyncMsg,
  AddGroupMemberDeviceMsg,
  AddGroupMembersMsg,
  AddUserDeviceMsg,
  CreateGroupMsg,
  E2eeMsg,
  FriendManagerMsg,
  GroupManagerMsg,
  InviteMsg,
  LeaveGroupMsg,
  ProtoMsgTag,
  RemoveGroupMembersMsg,
  RemoveUserDeviceMsg,
  SupplyOpksMsg,
  SystemManagerMsg,
  UpdateUserMsg,
  UpgradeE2eePackMsg,
  type ProtoMsg,
} from '../../gen/skissm/proto_msg';

/**
 * msg_fingerprint as SKISSM's mock server builds it: SHA-256 over the concatenated protobuf
 * encodings of tag ‖ from ‖ to ‖ payload sub-message (absent parts skipped), and for a PreKeyBundle of
 * address ‖ IK ‖ SPK ‖ OPK. Whether the real Skiserver does the same is a GUESS; the client recomputes it
 * against the sandbox and can be told not to (connection option `recomputeFingerprint=false`).
 */

type Encoder<T> = { encode(message: T, writer?: BinaryWriter): BinaryWriter };

function encoded<T>(codec: Encoder<T>, value: T | undefined): Uint8Array {
  return value === undefined ? new Uint8Array(0) : codec.encode(value).finish();
}

function payloadBytes(payload: ProtoMsg['payload']): Uint8Array {
  if (!payload) return new Uint8Array(0);
  switch (payload.$case) {
    case 'acquireSyncMsg':
      return encoded(AcquireSyncMsg, payload.value);
    case 'supplyOpksMsg':
      return encoded(SupplyOpksMsg, payload.value);
    case 'inviteMsg':
      return encoded(InviteMsg, payload.value);
    case 'acceptMsg':
      return encoded(AcceptMsg, payload.value);
    case 'addUserDeviceMsg':
      return encoded(AddUserDeviceMsg, payload.value);
    case 'removeUserDeviceMsg':
      return encoded(RemoveUserDeviceMsg, payload.value);
    case 'createGroupMsg':
      return encoded(CreateGroupMsg, payload.value);
    case 'addGroupMembersMsg':
      return encoded(AddGroupMembersMsg, payload.value);
    case 'removeGroupMembersMsg':
      return encoded(RemoveGroupMembersMsg, payload.value);
    case 'addGroupMemberDeviceMsg':
      return encoded(AddGroupMemberDeviceMsg, payload.value);
    case 'leaveGroupMsg':
      return encoded(LeaveGroupMsg, payload.value);
    case 'e2eeMsg':
      return encoded(E2eeMsg, payload.value);
    case 'updateUserMsg':
      return encoded(UpdateUserMsg, payload.value);
    case 'friendManagerMsg':
      return encoded(FriendManagerMsg, payload.value);
    case 'groupManagerMsg':
      return encoded(GroupManagerMsg, payload.value);
    case 'systemManagerMsg':
      return encoded(SystemManagerMsg, payload.value);
    case 'clientHeartbeatMsg':
      return encoded(ClientHeartbeatMsg, payload.value);
    case 'serverHeartbeatMsg':
      return encoded(ServerHeartbeatMsg, payload.value);
    case 'upgradeE2eePackMsg':
      return encoded(UpgradeE2eePackMsg, payload.value);
  }
}

export function protoMsgFingerprint(msg: ProtoMsg): Uint8Array {
  return sha256(
    concatBytes(
      encoded(ProtoMsgTag, msg.tag),
      encoded(E2eeAddress, msg.from),
      encoded(E2eeAddress, msg.to),
      payloadBytes(msg.payload),
    ),
  );
}

export function preKeyBundleFingerprint(bundle: PreKeyBundle): Uint8Array {
  return sha256(
    concatBytes(
      encoded(E2eeAddress, bundle.userAddress),
      encoded(IdentityKeyPublic, bundle.identityKeyPublic),
      encoded(SignedPreKeyPublic, bundle.signedPreKeyPublic),
      encoded(OneTimePreKeyPublic, bundle.oneTimePreKeyPublic),
    ),
  );
}
