import { afterEach, describe, expect, it } from 'vitest';
import type { SkiserverSandbox } from '../../../sim/skiserver/skiserver-sandbox';
import { allMessages, device, register, startSandbox, until, type TestDevice } from './chat-harness';

describe('chat 1:1 through the sandbox Skiserver over real gRPC', () => {
  let server: SkiserverSandbox;
  const devices: TestDevice[] = [];
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') for (const d of devices) console.log(d.name, d.logs.join('\n'));
    for (const d of devices.splice(0)) d.conn.close();
    await server?.stop();
  });

  it('two users, alice on two devices: messages, sync copies, receipts and offline delivery', async () => {
    server = await startSandbox();
    const alice1 = device(server, 'alice1');
    const bob = device(server, 'bob');
    devices.push(alice1, bob);
    await register(server, alice1, 'alice');
    await register(server, bob, 'bob');
    const domain = server.domain;
    const sent = await alice1.conn.engine!.sendText({ type: 'user', id: `bob@${domain}` }, 'hello bob');
    expect(sent.state).toBe('sending');
    await until('bob receives', () => allMessages(bob, 'user', `alice@${domain}`).some((m) => m.text === 'hello bob'));
    await until('alice sees delivered', () => alice1.conn.store.message(sent.id)?.state === 'delivered');

    // Bob answers on the session Alice opened.
    await bob.conn.engine!.sendText({ type: 'user', id: `alice@${domain}` }, 'hi alice');
    await until('alice receives', () => allMessages(alice1, 'user', `bob@${domain}`).some((m) => m.text === 'hi alice'));

    // Alice adds a second device: bob's next message reaches both, and alice1's sends are mirrored to it.
    const alice2 = device(server, 'alice2');
    devices.push(alice2);
    await register(server, alice2, 'alice');
    await until('alice1 knows alice2', () => alice1.conn.engine!.peerDevices({ userId: 'alice', domain }).length === 1);
    await until('bob knows alice2', () => bob.conn.engine!.peerDevices({ userId: 'alice', domain }).length === 2);
    await bob.conn.engine!.sendText({ type: 'user', id: `alice@${domain}` }, 'to all your devices');
    await until('alice2 receives', () => allMessages(alice2, 'user', `bob@${domain}`).some((m) => m.text === 'to all your devices'));
    await until('alice1 receives', () => allMessages(alice1, 'user', `bob@${domain}`).some((m) => m.text === 'to all your devices'));
    await alice1.conn.engine!.sendText({ type: 'user', id: `bob@${domain}` }, 'mirrored');
    await until('alice2 gets the sync copy', () => allMessages(alice2, 'user', `bob@${domain}`).some((m) => m.text === 'mirrored' && m.direction === 'out'));

    // Offline delivery: bob goes away, alice writes, bob comes back.
    bob.conn.stop();
    await alice2.conn.engine!.sendText({ type: 'user', id: `bob@${domain}` }, 'while you were out');
    await until('queued on the server', () => server.queuedFor('bob') > 0);
    await bob.conn.start();
    await until('bob gets it after reconnecting', () => allMessages(bob, 'user', `alice@${domain}`).some((m) => m.text === 'while you were out'));
    await until('queue drained', () => server.queuedFor('bob') === 0);
  }, 60_000);
});
