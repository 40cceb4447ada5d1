import { afterEach, describe, expect, it } from 'vitest';
import type { SkiserverSandbox } from '../../../sim/skiserver/skiserver-sandbox';
import { allMessages, device, register, startSandbox, until, type TestDevice } from './chat-harness';

describe('chat groups and delivery faults through the sandbox', () => {
  let server: SkiserverSandbox;
  const devices: TestDevice[] = [];
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') for (const d of devices) console.log(d.name, d.logs.filter((l) => /WARN|ERROR/.test(l)).join('\n'));
    for (const d of devices.splice(0)) d.conn.close();
    await server?.stop();
  });

  it('three users (carol on two devices): group create, messages, rename, remove re-seeds', async () => {
    server = await startSandbox();
    const [alice, bob, carol1, carol2] = ['alice', 'bob', 'carol1', 'carol2'].map((n) => device(server, n)) as [TestDevice, TestDevice, TestDevice, TestDevice];
    devices.push(alice, bob, carol1, carol2);
    await register(server, alice, 'alice');
    await register(server, bob, 'bob');
    await register(server, carol1, 'carol');
    await register(server, carol2, 'carol');
    const d = server.domain;
    const groupId = await alice.conn.engine!.createGroup('Print farm', [{ userId: 'bob', domain: d }, { userId: 'carol', domain: d }]);
    const first = await alice.conn.engine!.sendText({ type: 'group', id: groupId }, 'first layer looks good');
    for (const who of [bob, carol1, carol2]) {
      await until(`${who.name} reads the group message`, () => allMessages(who, 'group', groupId).some((m) => m.text === 'first layer looks good'));
    }
    await until('alice sees the group message delivered to every member', () => alice.conn.store.message(first.id)?.state === 'delivered');

    // Delivered means every member: with carol away, bob's receipt alone does not make it so.
    carol1.conn.stop();
    carol2.conn.stop();
    const second = await alice.conn.engine!.sendText({ type: 'group', id: groupId }, 'nozzle at 215');
    const receipts = (): number => Number((alice.db.prepare('SELECT COUNT(*) AS n FROM chat_group_receipts WHERE message_id = ?').get(second.id) as { n: number }).n);
    await until('bob has confirmed it', () => receipts() === 1);
    expect(alice.conn.store.message(second.id)?.state).not.toBe('delivered');
    await carol1.conn.start();
    await until('delivered once carol has it too', () => alice.conn.store.message(second.id)?.state === 'delivered');
    await carol2.conn.start();
    // Another member answers on its own chain (it re-seeds, since it never sent before).
    await bob.conn.engine!.sendText({ type: 'group', id: groupId }, 'thanks');
    for (const who of [alice, carol1, carol2]) await until(`${who.name} reads bob`, () => allMessages(who, 'group', groupId).some((m) => m.text === 'thanks'));

    await alice.conn.engine!.renameGroup(groupId, 'Farm A');
    await until('carol sees the new name', () => carol2.conn.store.group(groupId)?.name === 'Farm A');

    await alice.conn.engine!.removeMembers(groupId, [{ userId: 'carol', domain: d }]);
    await until('carol is out', () => carol1.conn.store.group(groupId)?.active === false);
    await alice.conn.engine!.sendText({ type: 'group', id: groupId }, 'carol cannot read this');
    await until('bob reads it', () => allMessages(bob, 'group', groupId).some((m) => m.text === 'carol cannot read this'));
    await new Promise((r) => setTimeout(r, 300));
    expect(allMessages(carol1, 'group', groupId).some((m) => m.text === 'carol cannot read this')).toBe(false);
    expect(allMessages(carol2, 'group', groupId).some((m) => m.text === 'carol cannot read this')).toBe(false);
  }, 60_000);

  it('survives duplicated and reordered delivery, stream cuts and a server restart with queued messages', async () => {
    server = await startSandbox();
    const alice = device(server, 'alice');
    const bob = device(server, 'bob');
    devices.push(alice, bob);
    await register(server, alice, 'alice');
    await register(server, bob, 'bob');
    const d = server.domain;
    const toBob = { type: 'user' as const, id: `bob@${d}` };
    await alice.conn.engine!.sendText(toBob, 'warm-up');
    await until('session up', () => allMessages(bob, 'user', `alice@${d}`).length === 1);

    server.delivery.faults.duplicate = true;
    server.delivery.faults.reorder = true;
    for (let i = 0; i < 10; i++) await alice.conn.engine!.sendText(toBob, `msg ${i}`);
    await until('all ten arrive once', () => allMessages(bob, 'user', `alice@${d}`).length === 11);
    server.delivery.faults.duplicate = false;
    server.delivery.faults.reorder = false;
    expect(new Set(allMessages(bob, 'user', `alice@${d}`).map((m) => m.text)).size).toBe(11);

    // Stream cut: both reconnect by themselves.
    expect(server.cutStreams()).toBeGreaterThan(0);
    await alice.conn.engine!.sendText(toBob, 'after the cut');
    await until('delivered after the cut', () => allMessages(bob, 'user', `alice@${d}`).some((m) => m.text === 'after the cut'));

    // Restart with queued messages: bob offline, alice sends, server restarts, bob comes back.
    bob.conn.stop();
    for (let i = 0; i < 3; i++) await alice.conn.engine!.sendText(toBob, `queued ${i}`);
    await until('queued on the server', () => server.queuedFor('bob') >= 3);
    await server.restart(200);
    await bob.conn.start();
    await until('queued messages delivered after the restart', () => ['queued 0', 'queued 1', 'queued 2'].every((t) => allMessages(bob, 'user', `alice@${d}`).some((m) => m.text === t)), 15_000);
    await until('acknowledged', () => server.queuedFor('bob') === 0);
  }, 60_000);
});
