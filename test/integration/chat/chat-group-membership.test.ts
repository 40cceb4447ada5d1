import { afterEach, describe, expect, it } from 'vitest';
import type { SkiserverSandbox } from '../../../sim/skiserver/skiserver-sandbox';
import { decryptGroup } from '../../../src/main/chat/client/groups';
import { createGroupChain, groupDecrypt, groupSeedAfterAdd, groupSessionIdOf } from '../../../src/main/chat/crypto';
import { ProtoMsg } from '../../../src/main/gen/skissm/proto_msg';
import { allMessages, device, register, startSandbox, until, type TestDevice } from './chat-harness';

/** Adding and removing members of an existing group over real gRPC to the sandbox, as SKISSM specifies it. */
describe('group membership changes through the sandbox', () => {
  let server: SkiserverSandbox;
  const devices: TestDevice[] = [];
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') for (const d of devices) console.log(d.name, d.logs.filter((l) => /WARN|ERROR/.test(l)).join('\n'));
    for (const d of devices.splice(0)) d.conn.close();
    await server?.stop();
  });

  const texts = (d: TestDevice, groupId: string): string[] => allMessages(d, 'group', groupId).map((m) => m.text);

  it('a newcomer reads from when it joined (welcome → add, not a re-seed); a removed member reads nothing after', async () => {
    server = await startSandbox();
    const [alice, bob, carol, dave] = ['alice', 'bob', 'carol', 'dave'].map((n) => device(server, n)) as [TestDevice, TestDevice, TestDevice, TestDevice];
    devices.push(alice, bob, carol, dave);
    for (const [d, id] of [[alice, 'alice'], [bob, 'bob'], [carol, 'carol'], [dave, 'dave']] as const) await register(server, d, id);
    const domain = server.domain;
    const groupId = await alice.conn.engine!.createGroup('Night shift', [{ userId: 'bob', domain }, { userId: 'carol', domain }]);
    await alice.conn.engine!.sendText({ type: 'group', id: groupId }, 'before dave joined');
    for (const who of [bob, carol]) await until(`${who.name} reads the first message`, () => texts(who, groupId).includes('before dave joined'));
    const firstSession = alice.conn.store.latestGroupSessionId(groupId)!;
    const firstSeed = alice.conn.store.groupSession(firstSession)!.seed;

    await alice.conn.engine!.addMembers(groupId, [{ userId: 'dave', domain }]);
    // Alice moved to the session after the add, derived from the old seed: an add, not a fresh seed.
    const nextSession = groupSessionIdOf(alice.conn.engine!.suite, groupSeedAfterAdd(alice.conn.engine!.suite, firstSeed));
    expect(alice.conn.store.latestGroupSessionId(groupId)).toBe(nextSession);
    await until('dave is a member', () => dave.conn.store.group(groupId)?.active === true && dave.conn.store.groupSession(nextSession) !== null);
    await until('bob moved to the same session', () => bob.conn.store.latestGroupSessionId(groupId) === nextSession);
    // Dave holds the new session only: the old seed never reached him.
    expect(dave.conn.store.groupSession(firstSession)).toBeNull();

    await alice.conn.engine!.sendText({ type: 'group', id: groupId }, 'welcome dave');
    await bob.conn.engine!.sendText({ type: 'group', id: groupId }, 'hi dave, from bob');
    for (const text of ['welcome dave', 'hi dave, from bob']) await until(`dave reads "${text}"`, () => texts(dave, groupId).includes(text));
    await dave.conn.engine!.sendText({ type: 'group', id: groupId }, 'thanks, dave here');
    for (const who of [alice, bob, carol]) await until(`${who.name} reads dave`, () => texts(who, groupId).includes('thanks, dave here'));
    expect(texts(dave, groupId)).not.toContain('before dave joined');
    // Nobody had to re-seed: every member is still on the session the add derived.
    for (const who of [bob, carol, dave]) expect(who.conn.store.latestGroupSessionId(groupId)).toBe(nextSession);

    // Remove bob. He keeps (as a dishonest client would) the seed he held.
    const bobSeed = bob.conn.store.groupSession(nextSession)!.seed;
    await alice.conn.engine!.removeMembers(groupId, [{ userId: 'bob', domain }]);
    await until('bob is out and dropped his group sessions', () => bob.conn.store.group(groupId)?.active === false && bob.conn.store.groupSession(nextSession) === null);
    const afterRemoval = alice.conn.store.latestGroupSessionId(groupId)!;
    expect(afterRemoval).not.toBe(nextSession);
    expect(afterRemoval).not.toBe(groupSessionIdOf(alice.conn.engine!.suite, groupSeedAfterAdd(alice.conn.engine!.suite, bobSeed)));

    dave.conn.stop();
    await alice.conn.engine!.sendText({ type: 'group', id: groupId }, 'bob must not read this');
    await until('carol reads it', () => texts(carol, groupId).includes('bob must not read this'));
    await until('it waits for dave on the server', () => server.queuedFor('dave') > 0);
    // The ciphertext as the server fans it out (taken from dave's queue): bob cannot open it.
    const queued = [...server.state.users.get('dave')!.devices.values()].flatMap((d) => d.queue).map((m) => ProtoMsg.decode(ProtoMsg.encode(m).finish()));
    const groupMsg = queued.find((m) => m.payload?.$case === 'e2eeMsg' && m.payload.value.sessionId === afterRemoval);
    expect(groupMsg?.payload?.$case).toBe('e2eeMsg');
    if (groupMsg?.payload?.$case !== 'e2eeMsg') throw new Error('no group message queued');
    const e2ee = groupMsg.payload.value;
    if (e2ee.payload?.$case !== 'groupMsg') throw new Error('not a group message');
    const body = e2ee.payload.value;
    const aliceDevice = alice.conn.engine!.me;
    const result = bob.conn.store.transaction(() => decryptGroup(bob.conn.engine!, e2ee, aliceDevice));
    expect(result.kind).not.toBe('plaintext');
    // Nor with the seed he kept, as it was or moved on by an add.
    const suite = alice.conn.engine!.suite;
    const alicePk = alice.conn.engine!.keys.identitySign.publicKey;
    for (const seed of [bobSeed, groupSeedAfterAdd(suite, bobSeed)]) {
      expect(() => groupDecrypt(suite, createGroupChain(suite, seed, alicePk), { sequence: body.sequence, ciphertext: body.ciphertext, signature: body.signature })).toThrow();
    }
    await dave.conn.start();
    await until('dave reads it once back', () => texts(dave, groupId).includes('bob must not read this'));
    expect(texts(bob, groupId)).not.toContain('bob must not read this');
  }, 90_000);

  it('the server refuses in words; a failed call changes nothing; a lost answer or a repeated add is harmless', async () => {
    server = await startSandbox();
    const [alice, bob, carol] = ['alice', 'bob', 'carol'].map((n) => device(server, n)) as [TestDevice, TestDevice, TestDevice];
    devices.push(alice, bob, carol);
    for (const [d, id] of [[alice, 'alice'], [bob, 'bob'], [carol, 'carol']] as const) await register(server, d, id);
    const domain = server.domain;
    const groupId = await alice.conn.engine!.createGroup('Parts', [{ userId: 'bob', domain }]);
    await until('bob is a member', () => bob.conn.store.group(groupId)?.active === true);

    await expect(bob.conn.engine!.addMembers(groupId, [{ userId: 'carol', domain }])).rejects.toThrow(/only managers add members/);
    await expect(alice.conn.engine!.addMembers(groupId, [{ userId: 'nobody', domain }])).rejects.toThrow(/no such user: nobody@/);
    await expect(bob.conn.engine!.removeMembers(groupId, [{ userId: 'alice', domain }])).rejects.toThrow(/only managers remove members/);
    expect(alice.conn.store.group(groupId)!.members.map((m) => m.userId).sort()).toEqual(['alice', 'bob']);

    // The server is unavailable for the call: nothing changes on either side, and the next attempt works.
    const before = alice.conn.store.latestGroupSessionId(groupId);
    server.faults.unavailableBurst = 1000;
    await expect(alice.conn.engine!.addMembers(groupId, [{ userId: 'carol', domain }])).rejects.toThrow();
    server.faults.unavailableBurst = 0;
    expect(alice.conn.store.latestGroupSessionId(groupId)).toBe(before);
    expect(server.state.groups.get(groupId)!.members.map((m) => m.userId).sort()).toEqual(['alice', 'bob']);
    // This time the add is carried out but its answer is lost: the client finds carol in the group and goes on.
    server.delivery.faults.lostGroupAnswers = 1;
    await alice.conn.engine!.addMembers(groupId, [{ userId: 'carol', domain }]);
    expect(server.delivery.faults.lostGroupAnswers).toBe(0);
    const afterAdd = alice.conn.store.latestGroupSessionId(groupId);
    expect(afterAdd).toBe(groupSessionIdOf(alice.conn.engine!.suite, groupSeedAfterAdd(alice.conn.engine!.suite, alice.conn.store.groupSession(before!)!.seed)));
    // Adding her again (as after a lost answer) is accepted, adds nobody twice and moves no session on.
    await alice.conn.engine!.addMembers(groupId, [{ userId: 'carol', domain }]);
    expect(alice.conn.store.latestGroupSessionId(groupId)).toBe(afterAdd);
    expect(server.state.groups.get(groupId)!.members.map((m) => m.userId).sort()).toEqual(['alice', 'bob', 'carol']);
    await until('carol is a member', () => carol.conn.store.group(groupId)?.active === true && !carol.conn.store.group(groupId)!.stale);
    await alice.conn.engine!.sendText({ type: 'group', id: groupId }, 'carol joins the parts run');
    await until('carol reads it', () => allMessages(carol, 'group', groupId).some((m) => m.text === 'carol joins the parts run'));

    // A removal whose answer is lost still stands, and the client still re-seeds for the rest.
    server.delivery.faults.lostGroupAnswers = 1;
    await alice.conn.engine!.removeMembers(groupId, [{ userId: 'bob', domain }]);
    expect(alice.conn.store.latestGroupSessionId(groupId)).not.toBe(afterAdd);
    await until('bob is out', () => bob.conn.store.group(groupId)?.active === false);
    await alice.conn.engine!.sendText({ type: 'group', id: groupId }, 'bob is off the parts run');
    await until('carol reads it', () => allMessages(carol, 'group', groupId).some((m) => m.text === 'bob is off the parts run'));
    expect(allMessages(bob, 'group', groupId).some((m) => m.text === 'bob is off the parts run')).toBe(false);
    // Removing him again is refused in words.
    await expect(alice.conn.engine!.removeMembers(groupId, [{ userId: 'bob', domain }])).rejects.toThrow(/none of them is a member/);
  }, 90_000);

  it('with duplicated and reordered delivery the newcomer still reads what follows its joining and the removed member nothing after', async () => {
    server = await startSandbox();
    const [alice, bob, carol] = ['alice', 'bob', 'carol'].map((n) => device(server, n)) as [TestDevice, TestDevice, TestDevice];
    devices.push(alice, bob, carol);
    for (const [d, id] of [[alice, 'alice'], [bob, 'bob'], [carol, 'carol']] as const) await register(server, d, id);
    const domain = server.domain;
    const groupId = await alice.conn.engine!.createGroup('Resin room', [{ userId: 'bob', domain }]);
    await alice.conn.engine!.sendText({ type: 'group', id: groupId }, 'vat is full');
    await until('bob reads it', () => texts(bob, groupId).includes('vat is full'));
    server.delivery.faults.duplicate = true;
    server.delivery.faults.reorder = true;
    await alice.conn.engine!.addMembers(groupId, [{ userId: 'carol', domain }]);
    await alice.conn.engine!.sendText({ type: 'group', id: groupId }, 'carol, the vat is yours');
    // What a member sends before its device has the add notice is on the old session, which carol never gets
    // (as in SKISSM); bob answers once his device has moved on.
    const next = alice.conn.store.latestGroupSessionId(groupId);
    await until('bob moved to the session after the add', () => bob.conn.store.latestGroupSessionId(groupId) === next, 20_000);
    await bob.conn.engine!.sendText({ type: 'group', id: groupId }, 'welcome carol');
    for (const text of ['carol, the vat is yours', 'welcome carol']) await until(`carol reads "${text}"`, () => texts(carol, groupId).includes(text), 20_000);
    await alice.conn.engine!.removeMembers(groupId, [{ userId: 'bob', domain }]);
    await until('bob is out', () => bob.conn.store.group(groupId)?.active === false, 20_000);
    await alice.conn.engine!.sendText({ type: 'group', id: groupId }, 'only carol now');
    await carol.conn.engine!.sendText({ type: 'group', id: groupId }, 'carol answers');
    await until('carol reads it', () => texts(carol, groupId).includes('only carol now'), 20_000);
    await until('alice reads carol', () => texts(alice, groupId).includes('carol answers'), 20_000);
    server.delivery.faults.duplicate = false;
    server.delivery.faults.reorder = false;
    expect(texts(carol, groupId)).not.toContain('vat is full');
    expect(texts(bob, groupId)).not.toContain('only carol now');
    expect(texts(bob, groupId)).not.toContain('carol answers');
    // Every message stored once despite the duplicates.
    expect(texts(carol, groupId).filter((t) => t === 'carol, the vat is yours')).toHaveLength(1);
  }, 90_000);
});
