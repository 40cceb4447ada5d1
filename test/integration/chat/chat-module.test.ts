import { afterEach, describe, expect, it } from 'vitest';
import { skiserverDemoPlan } from '../../../sim/skiserver/demo-plan';
import { createTestHub, type TestHub } from '../../support/test-hub';

describe('chat module through the contract, against the demo Skiserver and its teammate bot', () => {
  let t: TestHub | null = null;
  afterEach(async () => {
    await t?.close();
  });

  it('signs up with the demo code, messages the teammate and gets a reply; no secret in responses', async () => {
    t = await createTestHub({ demoPlan: skiserverDemoPlan });
    const hub = t.hub;
    const call = async <T,>(method: string, payload: unknown): Promise<T> => {
      const r = await hub.registrar.dispatch(method, payload, { transport: 'memory' } as never);
      if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
      return r.value as T;
    };
    await hub.startDemo();
    const accounts = await call<{ connectionId: string; status: string }[]>('chat.accounts', {});
    expect(accounts).toHaveLength(1);
    const connectionId = accounts[0]!.connectionId;
    expect(accounts[0]!.status).toBe('signedOut');
    const code = await call<{ demoCode: string | null }>('chat.requestCode', { connectionId, email: 'pat@example.org' });
    expect(code.demoCode).toMatch(/^\d{6}$/);
    const account = await call<{ me: { userId: string; domain: string } }>('chat.register', { connectionId, email: 'pat@example.org', userId: 'pat', userName: 'Pat', code: code.demoCode });
    expect(account.me.userId).toBe('pat');
    const teammate = `teammate@${account.me.domain}`;
    const found = await call<{ address: string } | null>('chat.findUser', { connectionId, query: 'teammate' });
    expect(found?.address).toBe(teammate);
    await call('chat.friend', { connectionId, address: teammate, action: 'add' });
    const sent = await call<{ id: string }>('chat.send', { connectionId, conversation: { type: 'user', id: teammate }, text: 'Is the Mk3 done?' });
    let replies: { text: string; direction: string }[] = [];
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      replies = await call('chat.messages', { connectionId, conversation: { type: 'user', id: teammate } });
      if (replies.some((m) => m.direction === 'in')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(replies.find((m) => m.direction === 'in')?.text).toContain('Is the Mk3 done?');
    // The notice names the teammate as people know them, not by the server address.
    const notice = hub.notifications.list().find((n) => n.title.startsWith('New message from'));
    expect(notice?.title).toMatch(/^New message from (Sam \(demo teammate\)|teammate)$/);
    const overview = await call<{ conversations: { unread: number }[]; contacts: { relation: string }[] }>('chat.overview', { connectionId });
    expect(overview.conversations[0]?.unread).toBeGreaterThan(0);
    expect(overview.contacts[0]?.relation).toBe('friend');
    const safety = await call<{ devices: { fingerprint: string }[] }>('chat.safety', { connectionId, address: teammate });
    expect(safety.devices[0]?.fingerprint).toMatch(/^(\d{5} ){11}\d{5}$/);
    const mine = await call<{ state: string }[]>('chat.messages', { connectionId, conversation: { type: 'user', id: teammate } });
    expect(mine.find((m) => (m as unknown as { id: string }).id === sent.id)?.state).toMatch(/sent|delivered/);
    // Nothing secret crosses the contract: no key-sized base64 blobs in any response.
    expect(JSON.stringify(overview)).not.toMatch(/[A-Za-z0-9+/]{200,}/);

    // Failures answer with the code that says what went wrong, in words, not "unavailable".
    const failure = async (method: string, payload: unknown) => {
      const r = await hub.registrar.dispatch(method, payload, { transport: 'memory' } as never);
      return r.ok ? null : r.error;
    };
    expect(await failure('chat.send', { connectionId, conversation: { type: 'user', id: `pat@${account.me.domain}` }, text: 'me?' })).toMatchObject({ code: 'BAD_REQUEST', message: /cannot message yourself/ });
    const group = await call<{ groupId: string }>('chat.createGroup', { connectionId, name: 'Print room', members: [teammate] });
    expect(await failure('chat.groupMembers', { connectionId, groupId: group.groupId, add: [`nobody@${account.me.domain}`] })).toMatchObject({ code: 'NOT_FOUND', message: /nobody@/ });
  }, 60_000);
});
