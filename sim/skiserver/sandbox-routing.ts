import { ResponseCode, type E2eeAddress } from '../../src/main/gen/skissm/common';
import {
  AcceptResponse,
  ConsumeProtoMsgResponse,
  InviteResponse,
  SendOne2oneMsgResponse,
  type AcceptRequest,
  type ConsumeProtoMsgRequest,
  type InviteRequest,
  type SendOne2oneMsgRequest,
} from '../../src/main/gen/skissm/requests';
import type { Caller, SandboxContext, UnaryHandler } from './sandbox-context';
import type { DeviceRecord, SandboxState, UserRecord } from './sandbox-state';

/** Whether `sender` may open sessions with and message `recipient` (blocks and the allow_greeting setting). */
export function mayContact(state: SandboxState, sender: UserRecord, recipient: UserRecord): boolean {
  if (sender === recipient) return true;
  if (state.relation(recipient.userId, sender.userId).blocked) return false;
  const friends = state.relation(recipient.userId, sender.userId).status === 'friend';
  return friends || recipient.privacy.allowGreeting;
}

function sameAddress(a: E2eeAddress | undefined, caller: Caller): boolean {
  return a?.peer?.$case === 'user' && a.peer.value.userId === caller.user.userId && a.peer.value.deviceId === caller.device.deviceId && a.domain === caller.address.domain;
}

function target(state: SandboxState, to: E2eeAddress | undefined): { user: UserRecord; device: DeviceRecord } | null {
  if (to?.peer?.$case !== 'user' || to.domain !== state.domain) return null;
  const user = state.users.get(to.peer.value.userId);
  const device = user?.devices.get(to.peer.value.deviceId);
  return user && device ? { user, device } : null;
}

/**
 * Invite/Accept/SendOne2oneMsg carry only public keys and ciphertext; the server checks the sender is who the
 * token says, fills alice_identity_key on invites (as SKISSM's server does), and queues them for the device.
 */
export function routingHandlers(ctx: SandboxContext): Record<string, UnaryHandler> {
  const { state } = ctx;
  const ok = { code: ResponseCode.RESPONSE_CODE_OK, msg: '' };

  const invite = (req: InviteRequest, caller: Caller | null) => {
    const msg = req.msg;
    if (!caller || !msg || !sameAddress(msg.from, caller)) return InviteResponse.fromPartial({ code: ResponseCode.RESPONSE_CODE_BAD_REQUEST, msg: 'invite must come from the caller' });
    const to = target(state, msg.to);
    if (!to) return InviteResponse.fromPartial({ code: ResponseCode.RESPONSE_CODE_NOT_FOUND, msg: 'no such device' });
    if (!mayContact(state, caller.user, to.user)) return InviteResponse.fromPartial({ code: ResponseCode.RESPONSE_CODE_FORBIDDEN, msg: 'recipient does not accept messages from you' });
    caller.user.contacts.add(to.user.userId);
    to.user.contacts.add(caller.user.userId);
    const inviteT = String(Date.now());
    const forwarded = { ...msg, aliceIdentityKey: caller.device.identity.asymPublicKey, inviteT };
    ctx.delivery.enqueue(to.user.userId, to.device, { from: msg.from, to: msg.to, payload: { $case: 'inviteMsg', value: forwarded } });
    return InviteResponse.fromPartial({ ...ok, sessionId: msg.sessionId, inviteT });
  };

  const accept = (req: AcceptRequest, caller: Caller | null) => {
    const msg = req.msg;
    if (!caller || !msg || !sameAddress(msg.from, caller)) return AcceptResponse.fromPartial({ code: ResponseCode.RESPONSE_CODE_BAD_REQUEST, msg: 'accept must come from the caller' });
    const to = target(state, msg.to);
    if (!to) return AcceptResponse.fromPartial({ code: ResponseCode.RESPONSE_CODE_NOT_FOUND, msg: 'no such device' });
    ctx.delivery.enqueue(to.user.userId, to.device, { from: msg.from, to: msg.to, payload: { $case: 'acceptMsg', value: msg } });
    return AcceptResponse.fromPartial(ok);
  };

  const sendOne2OneMsg = (req: SendOne2oneMsgRequest, caller: Caller | null) => {
    const msg = req.msg;
    if (!caller || !msg || !sameAddress(msg.from, caller) || msg.payload?.$case !== 'one2oneMsg') {
      return SendOne2oneMsgResponse.fromPartial({ code: ResponseCode.RESPONSE_CODE_BAD_REQUEST, msg: 'bad one-to-one message' });
    }
    const to = target(state, msg.to);
    if (!to) return SendOne2oneMsgResponse.fromPartial({ code: ResponseCode.RESPONSE_CODE_NOT_FOUND, msg: 'no such device' });
    if (!mayContact(state, caller.user, to.user)) return SendOne2oneMsgResponse.fromPartial({ code: ResponseCode.RESPONSE_CODE_FORBIDDEN, msg: 'recipient does not accept messages from you' });
    ctx.delivery.enqueue(to.user.userId, to.device, { from: msg.from, to: msg.to, payload: { $case: 'e2eeMsg', value: msg } });
    return SendOne2oneMsgResponse.fromPartial(ok);
  };

  const consumeProtoMsg = (req: ConsumeProtoMsgRequest, caller: Caller | null) => {
    const found = caller ? ctx.delivery.consume(caller.device, req.protoMsgId) : false;
    return ConsumeProtoMsgResponse.fromPartial(found ? ok : { code: ResponseCode.RESPONSE_CODE_NOT_FOUND, msg: 'no such message' });
  };

  return { invite, accept, sendOne2OneMsg, consumeProtoMsg } as Record<string, UnaryHandler>;
}
