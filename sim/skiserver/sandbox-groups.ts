import { randomBytes } from 'node:crypto';
import { GroupRole, ResponseCode, type E2eeAddress, type GroupInfo, type GroupMember, type GroupMemberInfo } from '../../src/main/gen/skissm/common';
import { GroupOp, type GroupManagerMsg, type ProtoMsg } from '../../src/main/gen/skissm/proto_msg';
import {
  AddGroupMemberDeviceResponse,
  AddGroupMembersResponse,
  CreateGroupResponse,
  GetGroupResponse,
  LeaveGroupResponse,
  RemoveGroupMembersResponse,
  SendGroupMsgResponse,
  type AddGroupMemberDeviceRequest,
  type AddGroupMembersRequest,
  type CreateGroupRequest,
  type GetGroupRequest,
  type LeaveGroupRequest,
  type RemoveGroupMembersRequest,
  type SendGroupMsgRequest,
} from '../../src/main/gen/skissm/requests';
import {
  JoinGroupResponse,
  UpdateGroupManagersResponse,
  UpdateGroupNameResponse,
  type JoinGroupRequest,
  type UpdateGroupManagersRequest,
  type UpdateGroupNameRequest,
} from '../../src/main/gen/skiserver/skiserver';
import { status } from '@grpc/grpc-js';
import { deviceAddressOf, SandboxRpcError, type Caller, type SandboxContext, type UnaryHandler } from './sandbox-context';
import type { GroupRecord } from './sandbox-state';

const MAX_MEMBERS = 200;

/**
 * Groups: membership and roles on the server, messages fanned out to every member device as opaque signed
 * ciphertext (a removed member gets nothing sent after its removal). Create/remove notices carry every member
 * device with its sign public key; add notices the newcomers' devices.
 */
export function groupHandlers(ctx: SandboxContext): Record<string, UnaryHandler> {
  const { state } = ctx;
  const ok = { code: ResponseCode.RESPONSE_CODE_OK, msg: '' };

  const groupAddress = (g: GroupRecord): E2eeAddress => ({ domain: state.domain, peer: { $case: 'group', value: { groupName: g.name, groupId: g.groupId } } });
  const info = (g: GroupRecord): GroupInfo => ({ groupName: g.name, groupAddress: groupAddress(g), groupMemberList: g.members });
  const memberInfos = (members: readonly GroupMember[]): GroupMemberInfo[] =>
    members.flatMap((m) => {
      const user = state.users.get(m.userId);
      return user ? [...user.devices.values()].map((d) => ({ memberAddress: deviceAddressOf(ctx, user.userId, d.deviceId), signPublicKey: d.identity.signPublicKey })) : [];
    });
  const find = (address: E2eeAddress | undefined): GroupRecord | undefined =>
    address?.peer?.$case === 'group' ? state.groups.get(address.peer.value.groupId) : undefined;
  const findSimple = (simple: string): GroupRecord | undefined => state.groups.get(simple.split('@')[0] ?? '');
  const isMember = (g: GroupRecord, caller: Caller) => g.members.some((m) => m.userId === caller.user.userId);
  const isManager = (g: GroupRecord, caller: Caller) => g.members.some((m) => m.userId === caller.user.userId && m.role === GroupRole.GROUP_ROLE_MANAGER);
  const validMembers = (list: readonly GroupMember[]) => list.filter((m) => state.users.has(m.userId) && m.domain === state.domain);

  /** Sends a ProtoMsg to every device of the given users except the caller's own device. */
  const broadcast = (userIds: Iterable<string>, caller: Caller, payload: ProtoMsg['payload']) => {
    for (const userId of new Set(userIds)) {
      ctx.delivery.enqueueToUser(userId, () => ({ from: caller.address, payload }), userId === caller.user.userId ? caller.device.deviceId : undefined);
    }
    state.scheduleSave();
  };
  /** The delivery fault `lostGroupAnswers`: the change stands, the caller hears UNAVAILABLE. */
  const answer = <T>(response: T): T => {
    const faults = ctx.delivery.faults;
    if ((faults.lostGroupAnswers ?? 0) > 0) {
      faults.lostGroupAnswers = (faults.lostGroupAnswers ?? 0) - 1;
      throw new SandboxRpcError(status.UNAVAILABLE, 'sandbox: the answer was lost');
    }
    return response;
  };
  const managerMsg = (g: GroupRecord, caller: Caller, op: GroupOp, arg: GroupManagerMsg['arg']): ProtoMsg['payload'] => ({
    $case: 'groupManagerMsg',
    value: { modifiedDate: String(Date.now()), msgId: randomBytes(8).toString('hex'), groupAddress: groupAddress(g), groupName: g.name, op, arg },
  });

  const createGroup = (req: CreateGroupRequest, caller: Caller | null) => {
    const requested = req.msg?.groupInfo;
    if (!caller || !requested || !requested.groupName.trim()) return CreateGroupResponse.fromPartial({ code: ResponseCode.RESPONSE_CODE_BAD_REQUEST, msg: 'a group needs a name' });
    const members = new Map<string, GroupMember>();
    members.set(caller.user.userId, { userId: caller.user.userId, domain: state.domain, role: GroupRole.GROUP_ROLE_MANAGER });
    for (const m of validMembers(requested.groupMemberList)) if (!members.has(m.userId)) members.set(m.userId, { userId: m.userId, domain: state.domain, role: m.role === GroupRole.GROUP_ROLE_MANAGER ? m.role : GroupRole.GROUP_ROLE_MEMBER });
    if (members.size > MAX_MEMBERS) return CreateGroupResponse.fromPartial({ code: ResponseCode.RESPONSE_CODE_BAD_REQUEST, msg: 'too many members' });
    const group: GroupRecord = { groupId: randomBytes(12).toString('base64url'), name: requested.groupName.slice(0, 64), members: [...members.values()] };
    state.groups.set(group.groupId, group);
    const infos = memberInfos(group.members);
    broadcast(group.members.map((m) => m.userId), caller, {
      $case: 'createGroupMsg',
      value: { e2eePackId: req.msg?.e2eePackId ?? 0, senderAddress: caller.address, groupInfo: info(group), memberInfoList: infos },
    });
    state.log(`group ${group.groupId} created by ${caller.user.userId} with ${group.members.length} members`);
    return CreateGroupResponse.fromPartial({ ...ok, groupAddress: groupAddress(group), memberInfoList: infos });
  };

  /**
   * Like the real server: only managers add; unknown users are refused by name; people already in the group
   * are skipped, so repeating an add whose answer was lost is harmless (OK, nothing added, no notice). The
   * notice goes to every member, newcomers included, with the newcomers' device sign keys.
   */
  const addGroupMembers = (req: AddGroupMembersRequest, caller: Caller | null) => {
    const g = find(req.msg?.groupInfo?.groupAddress);
    if (!caller || !g || !isMember(g, caller)) return AddGroupMembersResponse.fromPartial({ code: ResponseCode.RESPONSE_CODE_NOT_FOUND, msg: 'no such group' });
    if (!isManager(g, caller)) return AddGroupMembersResponse.fromPartial({ code: ResponseCode.RESPONSE_CODE_FORBIDDEN, msg: 'only managers add members' });
    const asked = req.msg?.addingMemberList ?? [];
    const unknown = asked.filter((m) => !state.users.has(m.userId) || m.domain !== state.domain);
    if (unknown.length > 0) return AddGroupMembersResponse.fromPartial({ code: ResponseCode.RESPONSE_CODE_NOT_FOUND, msg: `no such user: ${unknown.map((m) => `${m.userId}@${m.domain}`).join(', ')}` });
    const added = asked
      .filter((m, i) => !g.members.some((x) => x.userId === m.userId) && asked.findIndex((x) => x.userId === m.userId) === i)
      .map((m) => ({ userId: m.userId, domain: state.domain, role: GroupRole.GROUP_ROLE_MEMBER }));
    if (g.members.length + added.length > MAX_MEMBERS) return AddGroupMembersResponse.fromPartial({ code: ResponseCode.RESPONSE_CODE_BAD_REQUEST, msg: 'too many members' });
    g.members.push(...added);
    const addingInfos = memberInfos(added);
    if (added.length > 0) {
      broadcast(g.members.map((m) => m.userId), caller, {
        $case: 'addGroupMembersMsg',
        value: { e2eePackId: req.msg?.e2eePackId ?? 0, senderAddress: caller.address, sequence: req.msg?.sequence ?? 0, groupInfo: info(g), addingMemberList: added, addingMemberInfoList: addingInfos },
      });
      state.log(`group ${g.groupId}: ${caller.user.userId} added ${added.length}`);
    }
    return answer(AddGroupMembersResponse.fromPartial({ ...ok, addedGroupMemberList: added, groupMemberList: g.members, addingMemberInfoList: addingInfos }));
  };

  const addGroupMemberDevice = (req: AddGroupMemberDeviceRequest, caller: Caller | null) => {
    const g = find(req.msg?.groupInfo?.groupAddress);
    if (!caller || !g || !isMember(g, caller)) return AddGroupMemberDeviceResponse.fromPartial({ code: ResponseCode.RESPONSE_CODE_FORBIDDEN, msg: 'not a member' });
    return AddGroupMemberDeviceResponse.fromPartial({ ...ok, groupMemberList: g.members, addingMemberDeviceInfo: req.msg?.addingMemberDevice });
  };

  const removeMembers = (g: GroupRecord, caller: Caller, removing: readonly GroupMember[], packId: number) => {
    const before = g.members.map((m) => m.userId);
    const removed = g.members.filter((m) => removing.some((r) => r.userId === m.userId));
    g.members = g.members.filter((m) => !removed.includes(m));
    if (g.members.length > 0 && !g.members.some((m) => m.role === GroupRole.GROUP_ROLE_MANAGER) && g.members[0]) g.members[0].role = GroupRole.GROUP_ROLE_MANAGER;
    // Everyone who was a member hears of it, the removed included (they drop their group sessions).
    broadcast(before, caller, {
      $case: 'removeGroupMembersMsg',
      value: { e2eePackId: packId, senderAddress: caller.address, groupInfo: info(g), removingMemberList: removed, memberInfoList: memberInfos(g.members) },
    });
    if (g.members.length === 0) state.groups.delete(g.groupId);
    state.log(`group ${g.groupId}: ${caller.user.userId} removed ${removed.length}`);
    return removed;
  };

  /** Only managers remove; naming nobody who is a member is NOT_FOUND (a repeat after a lost answer says so). */
  const removeGroupMembers = (req: RemoveGroupMembersRequest, caller: Caller | null) => {
    const g = find(req.msg?.groupInfo?.groupAddress);
    if (!caller || !g || !isMember(g, caller)) return RemoveGroupMembersResponse.fromPartial({ code: ResponseCode.RESPONSE_CODE_NOT_FOUND, msg: 'no such group' });
    if (!isManager(g, caller)) return RemoveGroupMembersResponse.fromPartial({ code: ResponseCode.RESPONSE_CODE_FORBIDDEN, msg: 'only managers remove members' });
    const removing = (req.msg?.removingMemberList ?? []).filter((r) => g.members.some((m) => m.userId === r.userId));
    if (removing.length === 0) return RemoveGroupMembersResponse.fromPartial({ code: ResponseCode.RESPONSE_CODE_NOT_FOUND, msg: 'none of them is a member' });
    const removed = removeMembers(g, caller, removing, req.msg?.e2eePackId ?? 0);
    return answer(RemoveGroupMembersResponse.fromPartial({ ...ok, removedGroupMemberList: removed, groupMemberList: g.members, memberInfoList: memberInfos(g.members) }));
  };

  const leaveGroup = (req: LeaveGroupRequest, caller: Caller | null) => {
    const g = find(req.msg?.groupAddress);
    if (!caller || !g || !isMember(g, caller)) return LeaveGroupResponse.fromPartial({ code: ResponseCode.RESPONSE_CODE_NOT_FOUND, msg: 'not a member' });
    removeMembers(g, caller, [{ userId: caller.user.userId, domain: state.domain, role: GroupRole.GROUP_ROLE_MEMBER }], 0);
    return LeaveGroupResponse.fromPartial({ ...ok, leaveGroupMemberAddress: caller.address, groupAddress: groupAddress(g) });
  };

  const joinGroup = (req: JoinGroupRequest, caller: Caller | null) => {
    // Sandbox policy: groups are invitation-only; joining by address is refused.
    void req;
    return JoinGroupResponse.fromPartial({ code: caller ? ResponseCode.RESPONSE_CODE_FORBIDDEN : ResponseCode.RESPONSE_CODE_UNAUTHORIZED, msg: 'groups are invitation-only here' });
  };

  const updateGroupName = (req: UpdateGroupNameRequest, caller: Caller | null) => {
    const g = findSimple(req.toGroup);
    if (!caller || !g || !isMember(g, caller) || !req.groupName.trim()) return UpdateGroupNameResponse.fromPartial({ code: ResponseCode.RESPONSE_CODE_FORBIDDEN, msg: 'not a member' });
    g.name = req.groupName.slice(0, 64);
    broadcast(g.members.map((m) => m.userId), caller, managerMsg(g, caller, GroupOp.GROUP_OP_UPDATE_GROUP_NAME, { $case: 'updateGroupNameArg', value: { userAddress: caller.address, groupName: g.name } }));
    return UpdateGroupNameResponse.fromPartial(ok);
  };

  const updateGroupManagers = (req: UpdateGroupManagersRequest, caller: Caller | null) => {
    const g = findSimple(req.toGroup);
    if (!caller || !g || !isManager(g, caller)) return UpdateGroupManagersResponse.fromPartial({ code: ResponseCode.RESPONSE_CODE_FORBIDDEN, msg: 'only managers change roles' });
    for (const update of req.updatingMembers) {
      const member = g.members.find((m) => m.userId === update.userId);
      if (member && (update.role === GroupRole.GROUP_ROLE_MANAGER || update.role === GroupRole.GROUP_ROLE_MEMBER)) member.role = update.role;
    }
    if (!g.members.some((m) => m.role === GroupRole.GROUP_ROLE_MANAGER)) {
      const me = g.members.find((m) => m.userId === caller.user.userId);
      if (me) me.role = GroupRole.GROUP_ROLE_MANAGER;
    }
    const managers = g.members.filter((m) => m.role === GroupRole.GROUP_ROLE_MANAGER);
    broadcast(g.members.map((m) => m.userId), caller, managerMsg(g, caller, GroupOp.GROUP_OP_UPDATE_GROUP_ADMINS, { $case: 'updateGroupAdminsArg', value: { userAddress: caller.address, groupAdminList: managers } }));
    return UpdateGroupManagersResponse.fromPartial({ ...ok, groupManagers: managers });
  };

  const getGroup = (req: GetGroupRequest, caller: Caller | null) => {
    const g = find(req.groupAddress);
    if (!caller || !g || !isMember(g, caller)) return GetGroupResponse.fromPartial({ code: ResponseCode.RESPONSE_CODE_NOT_FOUND, msg: 'no such group' });
    return GetGroupResponse.fromPartial({ ...ok, groupName: g.name, groupAddress: groupAddress(g), groupMemberList: g.members });
  };

  const sendGroupMsg = (req: SendGroupMsgRequest, caller: Caller | null) => {
    const msg = req.msg;
    const g = find(msg?.to);
    if (!caller || !msg || !g || !isMember(g, caller) || msg.payload?.$case !== 'groupMsg') return SendGroupMsgResponse.fromPartial({ code: ResponseCode.RESPONSE_CODE_FORBIDDEN, msg: 'not a member' });
    const from = msg.from;
    if (from?.peer?.$case !== 'user' || from.peer.value.userId !== caller.user.userId || from.peer.value.deviceId !== caller.device.deviceId) {
      return SendGroupMsgResponse.fromPartial({ code: ResponseCode.RESPONSE_CODE_BAD_REQUEST, msg: 'message must come from the caller' });
    }
    const deny = new Set(req.denyList.map((a) => (a.peer?.$case === 'user' ? a.peer.value.userId : '')));
    const allow = new Set(req.allowList.map((a) => (a.peer?.$case === 'user' ? a.peer.value.userId : '')));
    const recipients = g.members.map((m) => m.userId).filter((u) => !deny.has(u) && (allow.size === 0 || allow.has(u)));
    broadcast(recipients, caller, { $case: 'e2eeMsg', value: msg });
    return SendGroupMsgResponse.fromPartial(ok);
  };

  return {
    createGroup,
    addGroupMembers,
    addGroupMemberDevice,
    removeGroupMembers,
    leaveGroup,
    joinGroup,
    updateGroupName,
    updateGroupManagers,
    getGroup,
    sendGroupMsg,
  } as Record<string, UnaryHandler>;
}
