import { GroupRole, type GroupInfo, type GroupMember, type GroupMemberInfo } from '../../gen/skissm/common';
import { Plaintext, type GroupUpdateKeyBundle } from '../../gen/skissm/plaintext';
import type { AddGroupMembersMsg } from '../../gen/skissm/proto_msg';
import { createGroupChain, GROUP_SEED_LENGTH, groupAddKey, groupSeedAfterAdd, groupSessionIdOf, groupWelcomeKey } from '../crypto';
import { deviceAddress, deviceKey, deviceOf, groupAddress, groupIdOf, sameDevice, sameUser, type DeviceRef, type UserRef } from '../protocol/address';
import type { GroupRow } from '../store/chat-store';
import { ChatRequestError, isOk, refusal, type EngineCore } from './engine-core';
import { chainToJson, memberDevicesFrom, reseedGroup, saveGroupInfo } from './groups';
import { deliver, ensureSessions } from './sessions';

/**
 * Adding and removing members of an existing group, as SKISSM does it rather than by re-seeding everyone:
 *
 * - Add: the manager calls AddGroupMembers; the server tells every member (AddGroupMembersMsg). Every member who
 *   holds the current session's seed moves to the next session, seed' = add(welcome(seed)), whose id is derived
 *   from seed' so all agree on it without a message. The newcomers get only welcome(seed), in a
 *   GroupUpdateKeyBundle (adding = true) over 1:1 sessions, and derive seed' from it: they read everything sent
 *   after they joined and nothing before (welcome and add are one-way). SKISSM applies the two steps to each
 *   chain key at its current position; Printdeck applies them to the seed every chain starts from, because the
 *   position of a chain at the moment of the add differs between devices while messages are in flight.
 * - Remove (and leave): a fresh seed and session id, the GroupPreKeyBundle naming the old one, sent to the
 *   remaining members only; removed members drop their group sessions when told, and the server no longer
 *   fans group messages out to them.
 *
 * A group whose seed is not settled (stale: a removal whose new seed has not arrived yet, a member's new
 * device) is re-seeded instead of added to, so a seed a removed member knew is never carried forward.
 */

const VERSION = '\x01';

/** How long an add waits for earlier outbox requests (a re-seed's bundles) to reach the server first. */
const SETTLE_MS = 5000;

function memberList(members: readonly GroupMember[]): GroupRow['members'] {
  return members.map((m) => ({ userId: m.userId, domain: m.domain, role: m.role }));
}

function mergeDevices(known: GroupRow['memberDevices'], infos: readonly GroupMemberInfo[]): GroupRow['memberDevices'] {
  const out = new Map(known.map((d) => [deviceKey(d), d]));
  for (const d of memberDevicesFrom(infos)) out.set(deviceKey(d), d);
  return [...out.values()];
}

/**
 * Members derive the next session from the one they hold when the server's notice arrives, so the seeds of an
 * earlier re-seed must reach the server before the AddGroupMembers call does. Requests the outbox is still
 * retrying later do not hold the add up.
 */
async function settleOutbox(core: EngineCore): Promise<void> {
  const until = Date.now() + SETTLE_MS;
  while (core.store.nextOutbox(Date.now(), 0) !== null && Date.now() < until) await new Promise((r) => setTimeout(r, 25));
}

/** Moves our view of a group to the session after an add of `baseSessionId`; returns the new id (in a transaction). */
function deriveSuccessor(core: EngineCore, groupId: string, baseSessionId: string): { sessionId: string; welcome: Uint8Array } | null {
  const base = core.store.groupSession(baseSessionId);
  if (!base || base.groupId !== groupId) return null;
  const seed = groupSeedAfterAdd(core.suite, base.seed);
  const sessionId = groupSessionIdOf(core.suite, seed);
  // It may exist already, for receiving only (a message on it came before the notice): now we send on it too.
  if (!core.store.groupSession(sessionId)?.ownChain) core.store.saveGroupSession(sessionId, groupId, seed, chainToJson(createGroupChain(core.suite, seed, core.keys.identitySign.publicKey)));
  return { sessionId, welcome: groupWelcomeKey(core.suite, base.seed) };
}

/**
 * After a failed add or remove: what the server holds now. The call may have been carried out with only its
 * answer lost (or another manager made the same change); then the caller goes on as if it had been told.
 */
async function membersNow(core: EngineCore, groupId: string): Promise<GroupMember[] | null> {
  try {
    const got = await core.port.call('getGroup', { groupAddress: groupAddress(core.me.domain, groupId), senderAddress: deviceAddress(core.me) });
    return isOk(got.code) ? got.groupMemberList : null;
  } catch {
    return null;
  }
}

function refused(what: string, response: { code: number; msg: string } | null, err: unknown): Error {
  if (response) return refusal(response, `the server refused to ${what}`);
  return err instanceof Error ? err : new Error(String(err));
}

export async function addGroupMembers(core: EngineCore, groupId: string, members: readonly UserRef[]): Promise<void> {
  const group = core.store.group(groupId);
  if (!group?.active) throw new ChatRequestError('conflict', 'you are not a member of this group');
  const asked = members.filter((m) => !sameUser(m, core.me));
  if (asked.length === 0) throw new ChatRequestError('invalid', 'name at least one person to add');
  await settleOutbox(core);
  const before = core.store.group(groupId) ?? group;
  const asking = core.port.call('addGroupMembers', {
    msg: {
      e2eePackId: core.suite.packId,
      senderAddress: deviceAddress(core.me, core.userName),
      sequence: 0,
      groupInfo: { groupName: before.name, groupAddress: groupAddress(core.me.domain, groupId, before.name), groupMemberList: before.members },
      addingMemberList: asked.map((m) => ({ userId: m.userId, domain: m.domain, role: GroupRole.GROUP_ROLE_MEMBER })),
      addingMemberInfoList: [],
    },
  });
  let response = await asking.catch((err: unknown) => ({ failed: err }) as const);
  if ('failed' in response || !isOk(response.code)) {
    const now = await membersNow(core, groupId);
    if (!now || !asked.every((a) => now.some((m) => sameUser(m, a)))) throw refused('add', 'failed' in response ? null : response, 'failed' in response ? response.failed : null);
    response = { code: 200, msg: '', addedGroupMemberList: [], groupMemberList: now, addingMemberInfoList: [] };
  }
  // Newcomers: asked for, members now, and new to the group (by the server's word, or ours when an earlier
  // attempt's answer was lost and the server already has them).
  const newcomers = response.groupMemberList.filter(
    (m) => asked.some((a) => sameUser(a, m)) && (response.addedGroupMemberList.some((a) => sameUser(a, m)) || !before.members.some((b) => sameUser(b, m))),
  );
  for (const m of newcomers) if (core.store.devicesOf(m).length === 0 && core.store.sessionPeers(m).length === 0) await ensureSessions(core, m);
  const baseSessionId = core.store.latestGroupSessionId(groupId);
  const info: GroupInfo = { groupName: before.name, groupAddress: groupAddress(core.me.domain, groupId, before.name), groupMemberList: response.groupMemberList };
  const reseed = core.store.transaction(() => {
    const current = core.store.group(groupId) ?? before;
    const row: GroupRow = { ...current, members: memberList(response.groupMemberList), memberDevices: mergeDevices(current.memberDevices, response.addingMemberInfoList), updatedAt: Date.now() };
    core.store.saveGroup(row);
    // Nobody new (a repeat whose first answer we did get): nothing moves.
    if (newcomers.length === 0) return false;
    const next = !current.stale && baseSessionId ? deriveSuccessor(core, groupId, baseSessionId) : null;
    if (!next) return true;
    const bundle: GroupUpdateKeyBundle = {
      version: VERSION,
      e2eePackId: core.suite.packId,
      sender: deviceAddress(core.me, core.userName),
      adding: true,
      sessionId: next.sessionId,
      groupInfo: info,
      sequence: 0,
      chainKey: Buffer.from(next.welcome),
      signPublicKey: Buffer.from(core.keys.identitySign.publicKey),
      addingMemberInfoList: response.addingMemberInfoList,
    };
    const plaintext = Plaintext.encode({ version: VERSION, payload: { $case: 'groupUpdateKeyBundle', value: bundle } }).finish();
    const targets = new Map<string, DeviceRef>();
    for (const m of newcomers) {
      for (const d of core.store.devicesOf(m)) targets.set(deviceKey(d.ref), d.ref);
      for (const d of core.store.sessionPeers(m)) targets.set(deviceKey(d), d);
    }
    deliver(core, [...targets.values()], plaintext, null);
    return false;
  });
  // Not settled (or no session yet): a fresh seed for everyone who is a member now.
  if (reseed) await reseedGroup(core, groupId);
  core.kick();
  core.changed('groups');
}

export async function removeGroupMembers(core: EngineCore, groupId: string, members: readonly UserRef[]): Promise<void> {
  const group = core.store.group(groupId);
  if (!group?.active) throw new ChatRequestError('conflict', 'you are not a member of this group');
  const removing = members.filter((m) => group.members.some((g) => sameUser(g, m)));
  if (removing.length === 0) throw new ChatRequestError('invalid', 'none of them is a member of this group');
  const asking = core.port.call('removeGroupMembers', {
    msg: {
      e2eePackId: core.suite.packId,
      senderAddress: deviceAddress(core.me, core.userName),
      groupInfo: { groupName: group.name, groupAddress: groupAddress(core.me.domain, groupId, group.name), groupMemberList: group.members },
      removingMemberList: removing.map((m) => ({ userId: m.userId, domain: m.domain, role: GroupRole.GROUP_ROLE_MEMBER })),
      memberInfoList: [],
    },
  });
  const answered = await asking.catch((err: unknown) => ({ failed: err }) as const);
  let remaining: GroupMember[];
  let infos: GroupMemberInfo[] | null;
  if ('failed' in answered || !isOk(answered.code)) {
    const now = await membersNow(core, groupId);
    if (!now || removing.some((r) => now.some((m) => sameUser(m, r)))) throw refused('remove', 'failed' in answered ? null : answered, 'failed' in answered ? answered.failed : null);
    [remaining, infos] = [now, null];
  } else [remaining, infos] = [answered.groupMemberList, answered.memberInfoList];
  const oldSessionId = core.store.latestGroupSessionId(groupId) ?? '';
  core.store.transaction(() => {
    saveGroupInfo(core, { groupName: group.name, groupAddress: groupAddress(core.me.domain, groupId, group.name), groupMemberList: remaining }, infos, true);
  });
  // A fresh seed right away, to the remaining members only, so the removed ones cannot read what follows.
  if (core.store.group(groupId)?.active) await reseedGroup(core, groupId, oldSessionId);
  core.changed('groups');
}

/**
 * The server's AddGroupMembersMsg (inside a transaction). A newcomer records the group and waits for its
 * welcome; a member who holds the current seed moves to the next session at once, so what it sends from now
 * on the newcomers can read. Returns the session id that deferred messages may now open, if any.
 */
export function onMembersAdded(core: EngineCore, msg: AddGroupMembersMsg): string | null {
  const info = msg.groupInfo;
  const groupId = groupIdOf(info?.groupAddress);
  if (!info || !groupId) return null;
  const current = core.store.group(groupId);
  const newcomer = !current?.active || msg.addingMemberList.some((m) => sameUser(m, core.me));
  if (newcomer) {
    // The welcome may have come first (it travels over a 1:1 session): then the group is already settled.
    const welcomed = current?.active === true && !current.stale && core.store.latestGroupSessionId(groupId) !== null;
    const row = saveGroupInfo(core, info, null, !welcomed);
    if (row) core.store.saveGroup({ ...row, stale: !welcomed, memberDevices: mergeDevices(row.memberDevices, msg.addingMemberInfoList) });
    return null;
  }
  const base = core.store.latestGroupSessionId(groupId);
  const row = saveGroupInfo(core, info, null, false);
  if (row) core.store.saveGroup({ ...row, memberDevices: mergeDevices(row.memberDevices, msg.addingMemberInfoList) });
  if (!row?.active || !base) return null;
  return deriveSuccessor(core, groupId, base)?.sessionId ?? null;
}

/**
 * A newcomer's welcome (GroupUpdateKeyBundle with adding = true) from the manager's device, over a 1:1 session:
 * seed' = add(welcome), checked against the session id it names. Returns the session id, or null when refused.
 */
export function onWelcome(core: EngineCore, bundle: GroupUpdateKeyBundle, from: DeviceRef): string | null {
  const info = bundle.groupInfo;
  const groupId = groupIdOf(info?.groupAddress);
  const sender = deviceOf(bundle.sender);
  if (!bundle.adding || !info || !groupId || !sender || !sameDevice(sender, from) || bundle.chainKey.length !== GROUP_SEED_LENGTH) return null;
  if (!info.groupMemberList.some((m) => sameUser(m, from)) || !info.groupMemberList.some((m) => sameUser(m, core.me))) return null;
  const seed = groupAddKey(core.suite, bundle.chainKey);
  if (groupSessionIdOf(core.suite, seed) !== bundle.sessionId) {
    core.log.warn(`group welcome from ${deviceKey(from)} does not match the session it names`);
    return null;
  }
  const current = core.store.group(groupId);
  // The sender's member list is its view; adopt it only for a group we did not know (or had left).
  if (!current?.active) saveGroupInfo(core, info, bundle.addingMemberInfoList, true);
  if (!core.store.groupSession(bundle.sessionId)) core.store.saveGroupSession(bundle.sessionId, groupId, seed, chainToJson(createGroupChain(core.suite, seed, core.keys.identitySign.publicKey)));
  const group = core.store.group(groupId);
  if (group?.active) {
    // The adder's sign key, told by its own device over their 1:1 session; a key learned before is kept.
    const known = group.memberDevices.some((d) => sameDevice(d, from));
    const signPk = !known && bundle.signPublicKey.length === core.suite.sizes.signPublicKey ? [{ memberAddress: bundle.sender, signPublicKey: bundle.signPublicKey }] : [];
    core.store.saveGroup({ ...group, stale: false, memberDevices: mergeDevices(group.memberDevices, signPk), updatedAt: Date.now() });
  }
  return bundle.sessionId;
}
