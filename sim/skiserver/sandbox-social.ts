import { FriendOp } from '../../src/main/gen/skissm/proto_msg';
import { ResponseCode } from '../../src/main/gen/skissm/common';
import {
  AddAttentionStatus,
  AddFriendResponse,
  BlockFriendResponse,
  FindUserResponse,
  GetFriendsResponse,
  GetUserResponse,
  MemoFriendResponse,
  RemoveFriendResponse,
  UnBlockFriendResponse,
  type AddFriendRequest,
  type BlockFriendRequest,
  type FindUserRequest,
  type GetFriendsRequest,
  type GetUserRequest,
  type MemoFriendRequest,
  type RemoveFriendRequest,
  type UnBlockFriendRequest,
} from '../../src/main/gen/skiserver/skiserver';
import type { Caller, SandboxContext, UnaryHandler } from './sandbox-context';
import type { UserRecord } from './sandbox-state';

/** Friend requests, friendship, blocks and memo names; FindUser and GetUser. Simple addresses are `userId@domain`. */
export function socialHandlers(ctx: SandboxContext): Record<string, UnaryHandler> {
  const { state } = ctx;
  const ok = { code: ResponseCode.RESPONSE_CODE_OK, msg: '' };

  const userBySimple = (simple: string): UserRecord | undefined => {
    const at = simple.lastIndexOf('@');
    if (at <= 0 || simple.slice(at + 1) !== state.domain) return undefined;
    return state.users.get(simple.slice(0, at));
  };

  /** Tells every device of `owner` how its friendship with `other` changed. */
  const notify = (owner: UserRecord, other: UserRecord, op: FriendOp, caller: Caller): void => {
    ctx.delivery.enqueueToUser(
      owner.userId,
      () => ({
        from: caller.address,
        payload: {
          $case: 'friendManagerMsg',
          value: { modifiedDate: String(Date.now()), msgId: '', userAddress: caller.address, userName: caller.user.userName, op, friend: state.friendship(owner.userId, other.userId) },
        },
      }),
      owner === caller.user ? caller.device.deviceId : undefined,
    );
  };

  const addFriend = (req: AddFriendRequest, caller: Caller | null) => {
    const other = userBySimple(req.toUser);
    if (!caller || !other || other === caller.user) return AddFriendResponse.fromPartial({ code: ResponseCode.RESPONSE_CODE_NOT_FOUND, msg: 'no such user' });
    const me = caller.user;
    const mine = state.relation(me.userId, other.userId);
    const theirs = state.relation(other.userId, me.userId);
    const result = (status: AddAttentionStatus) => {
      state.scheduleSave();
      return AddFriendResponse.fromPartial({ ...ok, status, friend: state.friendship(me.userId, other.userId) });
    };
    if (theirs.blocked) return result(AddAttentionStatus.ADD_ATTENTION_STATUS_REJECTED);
    if (mine.status === 'friend') return result(AddAttentionStatus.ADD_ATTENTION_STATUS_ALREADY_FRIENDED);
    const wasBlocked = mine.blocked;
    mine.blocked = false;
    if (theirs.status === 'pending' || other.privacy.allowAutoFriend) {
      mine.status = 'friend';
      theirs.status = 'friend';
      mine.modified = theirs.modified = Date.now();
      notify(other, me, FriendOp.FRIEND_OP_ADDED, caller);
      notify(me, other, FriendOp.FRIEND_OP_ADDED, caller);
      return result(AddAttentionStatus.ADD_ATTENTION_STATUS_FRIEND_ADDED);
    }
    if (!other.privacy.allowAttention) return result(AddAttentionStatus.ADD_ATTENTION_STATUS_REJECTED);
    if (mine.status === 'pending') return result(wasBlocked ? AddAttentionStatus.ADD_ATTENTION_STATUS_REMOVE_BLOCKED : AddAttentionStatus.ADD_ATTENTION_STATUS_ALREADY_ATTENDED);
    mine.status = 'pending';
    mine.modified = Date.now();
    notify(other, me, FriendOp.FRIEND_OP_ADDING_RECEIVE, caller);
    notify(me, other, FriendOp.FRIEND_OP_ADDING_SEND, caller);
    return result(AddAttentionStatus.ADD_ATTENTION_STATUS_ATTENTION_ADDED);
  };

  const removeFriend = (req: RemoveFriendRequest, caller: Caller | null) => {
    const other = userBySimple(req.toUser);
    if (!caller || !other) return RemoveFriendResponse.fromPartial({ code: ResponseCode.RESPONSE_CODE_NOT_FOUND, msg: 'no such user' });
    const mine = state.relation(caller.user.userId, other.userId);
    const theirs = state.relation(other.userId, caller.user.userId);
    mine.status = 'none';
    if (theirs.status !== 'none') theirs.status = 'none';
    mine.modified = theirs.modified = Date.now();
    notify(other, caller.user, FriendOp.FRIEND_OP_REMOVED, caller);
    notify(caller.user, other, FriendOp.FRIEND_OP_REMOVED, caller);
    state.scheduleSave();
    return RemoveFriendResponse.fromPartial({ ...ok, friend: state.friendship(caller.user.userId, other.userId) });
  };

  const setBlock = (blocked: boolean) => (req: BlockFriendRequest | UnBlockFriendRequest, caller: Caller | null) => {
    const other = userBySimple(req.toUser);
    const Response = blocked ? BlockFriendResponse : UnBlockFriendResponse;
    if (!caller || !other) return Response.fromPartial({ code: ResponseCode.RESPONSE_CODE_NOT_FOUND, msg: 'no such user' });
    const mine = state.relation(caller.user.userId, other.userId);
    mine.blocked = blocked;
    mine.modified = Date.now();
    notify(caller.user, other, blocked ? FriendOp.FRIEND_OP_BLOCKED : FriendOp.FRIEND_OP_UNBLOCKED, caller);
    state.scheduleSave();
    return Response.fromPartial({ ...ok, friend: state.friendship(caller.user.userId, other.userId) });
  };

  const memoFriend = (req: MemoFriendRequest, caller: Caller | null) => {
    const other = userBySimple(req.toUser);
    if (!caller || !other) return MemoFriendResponse.fromPartial({ code: ResponseCode.RESPONSE_CODE_NOT_FOUND, msg: 'no such user' });
    if ([...req.memoname].length > 12) return MemoFriendResponse.fromPartial({ code: ResponseCode.RESPONSE_CODE_BAD_REQUEST, msg: 'memo name is at most 12 characters' });
    const mine = state.relation(caller.user.userId, other.userId);
    mine.memo = req.memoname;
    mine.modified = Date.now();
    notify(caller.user, other, FriendOp.FRIEND_OP_UPDATE_MEMONAME, caller);
    return MemoFriendResponse.fromPartial({ ...ok, friend: state.friendship(caller.user.userId, other.userId) });
  };

  const getFriends = (req: GetFriendsRequest, caller: Caller | null) => {
    if (!caller) return GetFriendsResponse.fromPartial({ code: ResponseCode.RESPONSE_CODE_UNAUTHORIZED });
    const since = Number(req.lastModifiedDate) || 0;
    const others = new Set<string>();
    for (const key of state.relations.keys()) {
      const [a, b] = key.split('|');
      if (a === caller.user.userId && b) others.add(b);
      if (b === caller.user.userId && a) others.add(a);
    }
    const friends = [...others]
      .map((o) => state.friendship(caller.user.userId, o))
      .filter((f) => (f.friendStatus !== 0 || f.blockState !== 0 || f.memoname) && Number(f.modifiedDate) >= since);
    return GetFriendsResponse.fromPartial({ ...ok, friends });
  };

  const getUser = (req: GetUserRequest, caller: Caller | null) => {
    const other = userBySimple(req.toUser);
    if (!caller || !other) return GetUserResponse.fromPartial({ code: ResponseCode.RESPONSE_CODE_NOT_FOUND, msg: 'no such user' });
    return GetUserResponse.fromPartial({ ...ok, friend: state.friendship(caller.user.userId, other.userId) });
  };

  const findUser = (req: FindUserRequest, caller: Caller | null) => {
    let params: URLSearchParams;
    try {
      params = new URLSearchParams(decodeURIComponent(req.query));
    } catch {
      return FindUserResponse.fromPartial({ code: ResponseCode.RESPONSE_CODE_BAD_REQUEST, msg: 'bad query' });
    }
    const byId = params.get('userId');
    const byAuth = params.get('authenticator');
    const found = byId
      ? state.users.get(byId)
      : byAuth
        ? [...state.users.values()].find((u) => u.authenticator === byAuth || u.authenticator === `mailto:${byAuth}`)
        : undefined;
    if (!caller || !found || (params.get('domain') && params.get('domain') !== state.domain)) {
      return FindUserResponse.fromPartial({ code: ResponseCode.RESPONSE_CODE_NOT_FOUND, msg: 'no such user' });
    }
    return FindUserResponse.fromPartial({ ...ok, friend: state.friendship(caller.user.userId, found.userId) });
  };

  return {
    addFriend,
    removeFriend,
    blockFriend: setBlock(true),
    unBlockFriend: setBlock(false),
    memoFriend,
    getFriends,
    getUser,
    findUser,
  } as Record<string, UnaryHandler>;
}
