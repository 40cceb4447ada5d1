import { afterEach, describe, expect, it } from 'vitest';
import type { SkiserverSandbox } from '../../../sim/skiserver/skiserver-sandbox';
import { allMessages, device, register, startSandbox, until, type TestDevice } from './chat-harness';

describe('an invitation without an answer is sent again after 60 s', () => {
  let server: SkiserverSandbox;
  const devices: TestDevice[] = [];
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') for (const d of devices) console.log(d.name, d.logs.join('\n'));
    for (const d of devices.splice(0)) d.conn.close();
    await server?.stop();
  });

  it('a lost invite is repeated unchanged once the clock passes 60 s, and the waiting message then arrives', async () => {
    server = await startSandbox();
    let offsetMs = 0;
    const alice = device(server, 'alice', { now: () => Date.now() + offsetMs });
    const bob = device(server, 'bob');
    devices.push(alice, bob);
    await register(server, alice, 'alice');
    await register(server, bob, 'bob');
    const domain = server.domain;

    bob.conn.stop();
    await alice.conn.engine!.sendText({ type: 'user', id: `bob@${domain}` }, 'are you there?');
    await until('the invite is queued for bob', () => server.queuedFor('bob') > 0);
    // The invite is lost on the way (e.g. a server that dropped it).
    for (const d of server.state.users.get('bob')!.devices.values()) d.queue = d.queue.filter((m) => m.payload?.$case !== 'inviteMsg');
    await bob.conn.start();

    expect(alice.conn.engine!.retryUnansweredInvites()).toBe(0);
    offsetMs = 61_000;
    expect(alice.conn.engine!.retryUnansweredInvites()).toBe(1);
    // invite_t moved on: the next repeat waits another minute.
    expect(alice.conn.engine!.retryUnansweredInvites()).toBe(0);
    await until('bob receives the message that waited for the Accept', () => allMessages(bob, 'user', `alice@${domain}`).some((m) => m.text === 'are you there?'), 30_000);
  }, 60_000);
});
