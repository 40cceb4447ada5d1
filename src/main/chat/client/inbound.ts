import { FriendOp, GroupOp, ProtoMsg, type E2eeMsg } from '../../gen/skissm/proto_msg';
import { Plaintext } from '../../gen/skissm/plaintext';
import type { FriendshipDTO } from '../../gen/skissm/common';
import { deviceKey, deviceOf, groupIdOf, parseSimpleAddress, sameDevice, sameUser, simpleAddress, type DeviceRef } from '../protocol/address';
import { decodeAppPayload, encodeAppPayload, type AppPayload } from '../protocol/app-payload';
import type { MessageRow } from '../store/chat-store';
import { rpcBody, type EngineCore } from './engine-core';
import { onMembersAdded, onWelcome } from './group-members';
import { decryptGroup, onGroupBundle, saveGroupInfo } from './groups';
import { decryptOne2one, deliver, onAccept, onInvite } from './sessions';

/**
 * Applies one verified, not yet processed ProtoMsg to the store. Runs inside the caller's transaction and
 * performs no I/O: anything to send goes into the outbox. Returns group session ids whose deferred
 * messages can now be replayed.
 */
export interface InboundResult {
  messages: MessageRow[];
  replaySessions: string[];
  contactsChanged: boolean;
  groupsChanged: boolean;
  devicesChanged: boolean;
  friendRequestFrom: string | null;
  /** Delivery receipts owed, per sending device: sent once per batch rather than once per message. */
  receipts: Map<string, { device: DeviceRef; ids: string[] }>;
}

export function emptyResult(): InboundResult {
  return { messages: [], replaySessions: [], contactsChanged: false, groupsChanged: false, devicesChanged: false, friendRequestFrom: null, receipts: new Map() };
}

/** Adds what one message changed to what its batch changed. */
export function mergeResult(into: InboundResult, from: InboundResult): void {
  into.messages.push(...from.messages);
  into.replaySessions.push(...from.replaySessions);
  into.contactsChanged ||= from.contactsChanged;
  into.groupsChanged ||= from.groupsChanged;
  into.devicesChanged ||= from.devicesChanged;
  into.friendRequestFrom ??= from.friendRequestFrom;
  for (const [key, owed] of from.receipts) {
    const known = into.receipts.get(key);
    if (known) known.ids.push(...owed.ids);
    else into.receipts.set(key, { device: owed.device, ids: [...owed.ids] });
  }
}

function oweReceipt(out: InboundResult, from: DeviceRef, messageId: string): void {
  const key = deviceKey(from);
  const owed = out.receipts.get(key);
  if (owed) owed.ids.push(messageId);
  else out.receipts.set(key, { device: from, ids: [messageId] });
}

/**
 * A group message counts as delivered once every other member has confirmed it from one of their devices
 * (receipts from non-members are ignored). Returns true when this receipt completes the set.
 */
function groupReceiptCompletes(core: EngineCore, groupId: string, messageId: string, from: DeviceRef): boolean {
  const group = core.store.group(groupId);
  if (!group || !group.members.some((m) => sameUser(m, from))) return false;
  const others = group.members.filter((m) => !sameUser(m, core.me)).length;
  return core.store.addGroupReceipt(messageId, simpleAddress(from)) >= others;
}

/** Largest id list one receipt may carry (the app payload schema's bound). */
const RECEIPT_IDS = 200;

/** Queues the receipts a batch owes (inside its transaction): one message per sending device and 200 ids. */
export function sendReceipts(core: EngineCore, result: InboundResult): void {
  for (const { device, ids } of result.receipts.values()) {
    for (let at = 0; at < ids.length; at += RECEIPT_IDS) {
      const receipt = encodeAppPayload({ header: { v: 1, kind: 'receipt', ids: ids.slice(at, at + RECEIPT_IDS) }, body: new Uint8Array(0) });
      deliver(core, [device], Plaintext.encode({ version: VERSION, payload: { $case: 'commonMsg', value: Buffer.from(receipt) } }).finish(), null);
    }
  }
  result.receipts.clear();
}

const VERSION = '\x01';

export function applyProtoMsg(core: EngineCore, msg: ProtoMsg, out: InboundResult): void {
  const from = deviceOf(msg.from);
  const payload = msg.payload;
  if (!payload) return;
  switch (payload.$case) {
    case 'inviteMsg': {
      if (!from) return;
      // A first invite from someone whose devices we never fetched: ask for all of them, so what we send
      // reaches every device of theirs (e.g. a second device added before we ever talked), not just this one.
      const firstContact = !sameUser(from, core.me) && !core.store.devicesOf(from).some((d) => d.signPk);
      if (onInvite(core, payload.value, from) && firstContact) {
        core.store.enqueue('ensureSessions', { type: 'ensureSessions', userId: from.userId, domain: from.domain, deviceId: '' });
      }
      return;
    }
    case 'acceptMsg':
      if (from) onAccept(core, payload.value, from);
      return;
    case 'e2eeMsg':
      if (from) onE2ee(core, payload.value, from, out);
      return;
    case 'supplyOpksMsg':
      supplyOpks(core, Math.min(payload.value.opksNum, 100));
      return;
    case 'addUserDeviceMsg': {
      const device = deviceOf(payload.value.userAddress);
      if (!device || sameDevice(device, core.me)) return;
      core.store.upsertDevice(device);
      core.store.enqueue('ensureSessions', { type: 'ensureSessions', userId: device.userId, domain: device.domain, deviceId: device.deviceId });
      markGroupsStale(core, device);
      out.devicesChanged = true;
      return;
    }
    case 'removeUserDeviceMsg': {
      const device = deviceOf(payload.value.userAddress);
      if (!device) return;
      core.store.removeDevice(device);
      markGroupsStale(core, device);
      out.devicesChanged = true;
      return;
    }
    case 'createGroupMsg':
      if (payload.value.groupInfo) saveGroupInfo(core, payload.value.groupInfo, payload.value.memberInfoList, true);
      out.groupsChanged = true;
      return;
    case 'addGroupMembersMsg': {
      const next = onMembersAdded(core, payload.value);
      if (next) out.replaySessions.push(next);
      out.groupsChanged = true;
      return;
    }
    case 'removeGroupMembersMsg':
      if (payload.value.groupInfo) saveGroupInfo(core, payload.value.groupInfo, payload.value.memberInfoList, true);
      out.groupsChanged = true;
      return;
    case 'groupManagerMsg': {
      const groupId = groupIdOf(payload.value.groupAddress);
      const group = groupId ? core.store.group(groupId) : null;
      if (!group) return;
      const arg = payload.value.arg;
      if (payload.value.op === GroupOp.GROUP_OP_UPDATE_GROUP_NAME && arg?.$case === 'updateGroupNameArg') group.name = arg.value.groupName.slice(0, 64) || group.name;
      if (payload.value.op === GroupOp.GROUP_OP_UPDATE_GROUP_ADMINS && arg?.$case === 'updateGroupAdminsArg') {
        const managers = new Set(arg.value.groupAdminList.map((m) => m.userId));
        group.members = group.members.map((m) => ({ ...m, role: managers.has(m.userId) ? 1 : 0 }));
      }
      core.store.saveGroup({ ...group, updatedAt: Date.now() });
      out.groupsChanged = true;
      return;
    }
    case 'friendManagerMsg': {
      const friend = payload.value.friend;
      if (friend) saveFriendship(core, friend);
      if (payload.value.op === FriendOp.FRIEND_OP_ADDING_RECEIVE && friend) out.friendRequestFrom = friend.toUser;
      out.contactsChanged = true;
      return;
    }
    default:
      // Everything else (system notices, sync requests, upgrade notices) is consumed without effect.
      return;
  }
}

/** Stores a FriendshipDTO seen from our side (from_user = us). */
export function saveFriendship(core: EngineCore, dto: FriendshipDTO): void {
  const other = parseSimpleAddress(dto.fromUser === simpleAddress(core.me) ? dto.toUser : dto.fromUser);
  if (!other || sameUser(other, core.me)) return;
  const current = core.store.contact(other);
  core.store.upsertContact({
    userId: other.userId,
    domain: other.domain,
    nickname: dto.nickname.slice(0, 64),
    memo: dto.memoname.slice(0, 64),
    status: dto.friendStatus,
    blocked: dto.blockState !== 0,
    verified: current?.verified ?? false,
    modified: Number(dto.modifiedDate) || Date.now(),
  });
}

function markGroupsStale(core: EngineCore, device: DeviceRef): void {
  for (const g of core.store.groups()) {
    if (g.active && g.members.some((m) => sameUser(m, device))) core.store.saveGroup({ ...g, stale: true, updatedAt: Date.now() });
  }
}

function supplyOpks(core: EngineCore, count: number): void {
  const account = core.store.loadAccount();
  if (!account || count <= 0) return;
  const list = [];
  for (let i = 0; i < count; i++) {
    const id = account.nextOpkId + i;
    const pair = core.suite.kem.generateKeyPair(core.random);
    core.store.addOpk(id, pair.publicKey, pair.secretKey);
    list.push({ opkId: id, publicKey: Buffer.from(pair.publicKey) });
  }
  core.store.saveAccount({ ...account, nextOpkId: account.nextOpkId + count });
  core.store.enqueue('rpc', rpcBody('supplyOpks', { e2eePackId: core.suite.packId, userAddress: undefined, oneTimePreKeyPublicList: list }));
}

function onE2ee(core: EngineCore, msg: E2eeMsg, from: DeviceRef, out: InboundResult): void {
  if (msg.payload?.$case === 'groupMsg') {
    const result = decryptGroup(core, msg, from);
    if (result.kind === 'defer') {
      core.store.defer(result.sessionId, ProtoMsg.encode({ tag: undefined, from: msg.from, to: msg.to, payload: { $case: 'e2eeMsg', value: msg }, signatureList: [] }).finish());
      // The sender's sign key is unknown: its bundle brings it, and the deferred messages are replayed then.
      if (result.needKeysOf) core.store.enqueue('ensureSessions', { type: 'ensureSessions', userId: result.needKeysOf.userId, domain: result.needKeysOf.domain, deviceId: result.needKeysOf.deviceId });
      return;
    }
    if (result.kind === 'drop') {
      core.log.warn(`group message dropped: ${result.reason}`);
      return;
    }
    const app = decodeAppPayload(result.plaintext);
    if (app.header.kind === 'receipt' || app.header.conv.type !== 'group' || app.header.conv.id !== result.groupId) return;
    // Group receipts go to the sending device over the 1:1 session, like 1:1 receipts (batched by the caller).
    if (storeMessage(core, app, { convType: 'group', convId: result.groupId, from, out }) && !sameUser(from, core.me)) oweReceipt(out, from, app.header.id);
    return;
  }
  const plaintext = Plaintext.decode(decryptOne2one(core, msg, from));
  const payload = plaintext.payload;
  if (!payload) return;
  switch (payload.$case) {
    case 'commonMsg': {
      const app = decodeAppPayload(payload.value);
      if (app.header.kind === 'receipt') {
        for (const id of app.header.ids) {
          const row = core.store.message(id);
          if (!row || row.direction !== 'out' || row.state === 'delivered') continue;
          if (row.convType === 'user' ? row.convId === simpleAddress(from) : groupReceiptCompletes(core, row.convId, id, from)) {
            core.store.setMessageState(id, 'delivered');
            out.messages.push({ ...row, state: 'delivered' });
          }
        }
        return;
      }
      if (storeMessage(core, app, { convType: 'user', convId: simpleAddress(from), from, out })) {
        // Delivery receipt back to the sending device only (sent by the caller with the rest of its batch).
        oweReceipt(out, from, app.header.id);
      }
      return;
    }
    case 'commonSyncMsg': {
      if (!sameUser(from, core.me)) return;
      const app = decodeAppPayload(payload.value);
      if (app.header.kind === 'receipt' || app.header.conv.type !== 'user') return;
      storeMessage(core, app, { convType: 'user', convId: app.header.conv.id, from, out, own: true });
      return;
    }
    case 'groupUpdateKeyBundle': {
      const sessionId = onWelcome(core, payload.value, from);
      if (sessionId) {
        out.replaySessions.push(sessionId);
        out.groupsChanged = true;
      }
      return;
    }
    case 'groupPreKeyBundle': {
      const sessionId = onGroupBundle(core, payload.value, from);
      if (sessionId) {
        out.replaySessions.push(sessionId);
        out.groupsChanged = true;
      }
      return;
    }
    default:
      return;
  }
}

function storeMessage(core: EngineCore, app: AppPayload, where: { convType: 'user' | 'group'; convId: string; from: DeviceRef; out: InboundResult; own?: boolean }): boolean {
  const header = app.header;
  if (header.kind === 'receipt') return false;
  const own = where.own === true || sameUser(where.from, core.me);
  const row: MessageRow = {
    id: header.id,
    convType: where.convType,
    convId: where.convId,
    sender: simpleAddress(where.from),
    direction: own ? 'out' : 'in',
    kind: header.kind,
    text: header.kind === 'text' ? header.text : header.caption,
    mime: header.kind === 'image' ? header.mime : null,
    imageBytes: header.kind === 'image' ? app.body.length : 0,
    state: own ? 'sent' : 'received',
    pendingSends: 0,
    sentAt: header.sentAt,
    createdAt: Date.now(),
    seen: own,
  };
  if (!core.store.insertMessage(row, header.kind === 'image' ? app.body : null)) return false;
  where.out.messages.push(row);
  return true;
}
