import { GroupRole, ResponseCode, type GroupInfo, type GroupMemberInfo } from '../../gen/skissm/common';
import type { E2eeMsg } from '../../gen/skissm/proto_msg';
import { Plaintext, type GroupPreKeyBundle } from '../../gen/skissm/plaintext';
import { createGroupChain, fromBase64, generateSessionId, GROUP_SEED_LENGTH, groupDecrypt, groupEncrypt, groupSeedAfterAdd, groupSessionIdOf, toBase64, type GroupChainState } from '../crypto';
import { deviceAddress, deviceKey, deviceOf, groupAddress, groupIdOf, sameDevice, sameUser, type DeviceRef } from '../protocol/address';
import type { GroupRow } from '../store/chat-store';
import { isOk, newId, rpcBody, type EngineCore } from './engine-core';
import { deliver, ensureSessions } from './sessions';

/**
 * Group sessions: a 32-byte seed per session, distributed in GroupPreKeyBundles over 1:1
 * sessions; one chain per member device derived from seed ‖ that device's sign key; every message signed.
 * A removal re-seeds (new session id, `old_session_id` naming the one it replaces), so removed members never
 * receive a seed again; an addition moves every member to the next seed by SKISSM's welcome → add steps
 * (group-members.ts). Other changes (a member's new device) mark the group stale and the next sender re-seeds.
 */

const VERSION = '\x01';

export function chainToJson(c: GroupChainState): unknown {
  return { packId: c.packId, pk: toBase64(c.senderSignPublicKey), seq: c.sequence, ck: toBase64(c.chainKey) };
}

export function chainFromJson(v: unknown): GroupChainState {
  const o = v as { packId: number; pk: string; seq: number; ck: string };
  return { packId: o.packId, senderSignPublicKey: fromBase64(o.pk), sequence: o.seq, chainKey: fromBase64(o.ck) };
}

export function memberDevicesFrom(infos: readonly GroupMemberInfo[]): GroupRow['memberDevices'] {
  return infos.flatMap((i) => {
    const d = deviceOf(i.memberAddress);
    return d ? [{ userId: d.userId, domain: d.domain, deviceId: d.deviceId, signPk: toBase64(i.signPublicKey) }] : [];
  });
}

/** Records a group as the server describes it (call inside a transaction). */
export function saveGroupInfo(core: EngineCore, info: GroupInfo, infos: readonly GroupMemberInfo[] | null, stale: boolean): GroupRow | null {
  const groupId = groupIdOf(info.groupAddress);
  if (!groupId) return null;
  const current = core.store.group(groupId);
  const members = info.groupMemberList.map((m) => ({ userId: m.userId, domain: m.domain, role: m.role }));
  const active = members.some((m) => sameUser(m, core.me));
  const row: GroupRow = {
    groupId,
    name: info.groupName || current?.name || 'Group',
    members,
    memberDevices: infos ? memberDevicesFrom(infos) : (current?.memberDevices ?? []),
    stale: stale || (current?.stale ?? true),
    active,
    updatedAt: Date.now(),
  };
  core.store.saveGroup(row);
  if (!active) core.store.deleteGroupSessions(groupId);
  return row;
}

/**
 * Draws a new seed, keeps our own chain, and sends the seed to every other member device over 1:1 sessions.
 * Member devices are the ones we know (bundles, device notices); a member we know no device of is looked up.
 */
export async function reseedGroup(core: EngineCore, groupId: string, oldSessionId = ''): Promise<string> {
  const group = core.store.group(groupId);
  if (!group?.active) throw new Error('not a member of this group');
  const got = await core.port.call('getGroup', { groupAddress: groupAddress(core.me.domain, groupId), senderAddress: deviceAddress(core.me) });
  if (!isOk(got.code)) throw new Error(`GetGroup: ${got.msg || got.code}`);
  const members = got.groupMemberList.map((m) => ({ userId: m.userId, domain: m.domain, role: m.role }));
  for (const member of members) {
    if (sameUser(member, core.me)) continue;
    if (core.store.devicesOf(member).length === 0 && core.store.sessionPeers(member).length === 0) await ensureSessions(core, member);
  }
  const seed = core.random(GROUP_SEED_LENGTH);
  const sessionId = generateSessionId(core.random);
  core.store.transaction(() => {
    const current = core.store.group(groupId) ?? group;
    const name = got.groupName || current.name;
    core.store.saveGroup({ ...current, name, members, stale: false, active: members.some((m) => sameUser(m, core.me)), updatedAt: Date.now() });
    const own = createGroupChain(core.suite, seed, core.keys.identitySign.publicKey);
    core.store.saveGroupSession(sessionId, groupId, seed, chainToJson(own));
    const bundle: GroupPreKeyBundle = {
      version: VERSION,
      e2eePackId: core.suite.packId,
      sender: deviceAddress(core.me, core.userName),
      sessionId,
      oldSessionId,
      groupInfo: { groupName: name, groupAddress: groupAddress(core.me.domain, groupId, name), groupMemberList: got.groupMemberList },
      sequence: 0,
      groupSeed: Buffer.from(seed),
    };
    const plaintext = Plaintext.encode({ version: VERSION, payload: { $case: 'groupPreKeyBundle', value: bundle } }).finish();
    const targets = new Map<string, DeviceRef>();
    for (const member of members) {
      for (const d of core.store.devicesOf(member)) targets.set(deviceKey(d.ref), d.ref);
      for (const d of core.store.sessionPeers(member)) targets.set(deviceKey(d), d);
    }
    deliver(core, [...targets.values()], plaintext, null);
  });
  core.kick();
  return sessionId;
}

/** Encrypts, signs and queues one group message, re-seeding first when the membership changed. */
export async function sendGroupPayload(core: EngineCore, groupId: string, payload: Uint8Array, messageId: string): Promise<void> {
  const group = core.store.group(groupId);
  if (!group?.active) throw new Error('not a member of this group');
  let sessionId = group.stale ? null : core.store.latestGroupSessionId(groupId);
  sessionId ??= await reseedGroup(core, groupId);
  const id = sessionId;
  core.store.transaction(() => {
    const session = core.store.groupSession(id);
    if (!session?.ownChain) throw new Error('group session lost');
    const { chain, message } = groupEncrypt(core.suite, chainFromJson(session.ownChain), core.keys.identitySign.secretKey, payload, core.random);
    core.store.saveGroupSession(id, groupId, session.seed, chainToJson(chain));
    const msg: E2eeMsg = {
      version: VERSION,
      from: deviceAddress(core.me, core.userName),
      to: groupAddress(core.me.domain, groupId),
      msgId: newId(core.random),
      sessionId: id,
      notifLevel: 0,
      payload: { $case: 'groupMsg', value: { sequence: message.sequence, ciphertext: Buffer.from(message.ciphertext), signature: Buffer.from(message.signature) } },
    };
    core.store.enqueue('rpc', rpcBody('sendGroupMsg', { msg, allowList: [], denyList: [] }), messageId);
  });
  core.kick();
}

/** A seed arrived over a 1:1 session: keep it, derive our own chain from it too. Returns the session id. */
export function onGroupBundle(core: EngineCore, bundle: GroupPreKeyBundle, from: DeviceRef): string | null {
  const info = bundle.groupInfo;
  const groupId = groupIdOf(info?.groupAddress);
  const sender = deviceOf(bundle.sender);
  if (!info || !groupId || !sender || !sameDevice(sender, from) || bundle.groupSeed.length !== GROUP_SEED_LENGTH) return null;
  if (!info.groupMemberList.some((m) => sameUser(m, from))) return null;
  const current = core.store.group(groupId);
  // The member list in the bundle is the sender's view; adopt it only for a group we did not know yet.
  if (!current) saveGroupInfo(core, info, null, true);
  if (core.store.groupSession(bundle.sessionId)) return bundle.sessionId;
  const own = createGroupChain(core.suite, bundle.groupSeed, core.keys.identitySign.publicKey);
  core.store.saveGroupSession(bundle.sessionId, groupId, bundle.groupSeed, chainToJson(own));
  const group = core.store.group(groupId);
  if (group && sameMembers(group, info)) core.store.saveGroup({ ...group, stale: false, updatedAt: Date.now() });
  return bundle.sessionId;
}

function sameMembers(group: GroupRow, info: GroupInfo): boolean {
  const a = group.members.map((m) => `${m.userId}@${m.domain}`).sort().join(',');
  const b = info.groupMemberList.map((m) => `${m.userId}@${m.domain}`).sort().join(',');
  return a === b;
}

/**
 * A group message names a session we do not hold: if it is what follows one of ours after an add (a notice we
 * have not seen yet, or a member who added from a session other than our newest), derive it, for receiving.
 * Returns whether it now exists.
 */
export function findSuccessorSession(core: EngineCore, groupId: string, sessionId: string): boolean {
  for (const id of core.store.groupSessionIds(groupId)) {
    const base = core.store.groupSession(id);
    if (!base) continue;
    const seed = groupSeedAfterAdd(core.suite, base.seed);
    if (groupSessionIdOf(core.suite, seed) !== sessionId) continue;
    // For receiving only: we move our own sending to it when the add notice comes (onMembersAdded), so a
    // notice that follows does not step past it.
    core.store.saveGroupSession(sessionId, groupId, seed, null);
    return true;
  }
  return false;
}

export type GroupDecryptResult =
  | { kind: 'plaintext'; groupId: string; plaintext: Uint8Array }
  | { kind: 'defer'; sessionId: string; needKeysOf: DeviceRef | null }
  | { kind: 'drop'; reason: string };

/** Decrypts a group E2eeMsg (call inside a transaction). Unknown sessions or sender keys → defer. */
export function decryptGroup(core: EngineCore, msg: E2eeMsg, from: DeviceRef): GroupDecryptResult {
  if (msg.payload?.$case !== 'groupMsg') return { kind: 'drop', reason: 'not a group message' };
  const groupId = groupIdOf(msg.to);
  if (!groupId) return { kind: 'drop', reason: 'no group address' };
  // A session we lack may be the one after an add that we can derive ourselves (its notice not seen yet).
  if (!core.store.groupSession(msg.sessionId) && core.store.group(groupId)?.active) findSuccessorSession(core, groupId, msg.sessionId);
  const session = core.store.groupSession(msg.sessionId);
  if (!session) return { kind: 'defer', sessionId: msg.sessionId, needKeysOf: null };
  if (session.groupId !== groupId) return { kind: 'drop', reason: 'session belongs to another group' };
  const group = core.store.group(groupId);
  if (!group?.active) return { kind: 'drop', reason: 'not a member' };
  if (!group.members.some((m) => sameUser(m, from))) return { kind: 'drop', reason: 'sender is not a member' };
  const senderKey = deviceKey(from);
  let chain: GroupChainState;
  const storedChain = core.store.groupChain(msg.sessionId, senderKey);
  if (storedChain) chain = chainFromJson(storedChain);
  else {
    const signPk = group.memberDevices.find((d) => sameDevice(d, from))?.signPk ?? core.store.devicesOf(from).find((d) => d.ref.deviceId === from.deviceId)?.signPk;
    if (!signPk) return { kind: 'defer', sessionId: msg.sessionId, needKeysOf: from };
    chain = createGroupChain(core.suite, session.seed, typeof signPk === 'string' ? fromBase64(signPk) : signPk);
  }
  const p = msg.payload.value;
  const { chain: next, plaintext } = groupDecrypt(core.suite, chain, { sequence: p.sequence, ciphertext: p.ciphertext, signature: p.signature });
  core.store.saveGroupChain(msg.sessionId, senderKey, chainToJson(next));
  return { kind: 'plaintext', groupId, plaintext };
}

export async function createGroup(core: EngineCore, name: string, members: readonly { userId: string; domain: string }[]): Promise<string> {
  const response = await core.port.call('createGroup', {
    msg: {
      e2eePackId: core.suite.packId,
      senderAddress: deviceAddress(core.me, core.userName),
      groupInfo: {
        groupName: name,
        groupAddress: undefined,
        groupMemberList: [{ userId: core.me.userId, domain: core.me.domain, role: GroupRole.GROUP_ROLE_MANAGER }, ...members.map((m) => ({ ...m, role: GroupRole.GROUP_ROLE_MEMBER }))],
      },
      memberInfoList: [],
    },
  });
  const groupId = groupIdOf(response.groupAddress);
  if (response.code !== ResponseCode.RESPONSE_CODE_OK || !groupId) throw new Error(`CreateGroup: ${response.msg || response.code}`);
  const got = await core.port.call('getGroup', { groupAddress: response.groupAddress, senderAddress: deviceAddress(core.me) });
  core.store.transaction(() => {
    saveGroupInfo(core, { groupName: got.groupName || name, groupAddress: response.groupAddress, groupMemberList: got.groupMemberList }, response.memberInfoList, true);
  });
  await reseedGroup(core, groupId);
  core.changed('groups');
  return groupId;
}
