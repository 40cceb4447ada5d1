import { afterEach, describe, expect, it } from 'vitest';
import type { AppNotification } from '../../../src/shared/contract';
import { createTestHub, type TestHub } from '../../support/test-hub';

describe('notification centre', () => {
  let t: TestHub | null = null;
  afterEach(async () => {
    await t?.close();
    t = null;
  });

  const ctx = { transport: 'memory' as const, clientId: 't' };
  /** Lists over the contract, as a client would (validated), typed for the assertions. */
  const list = async (query: unknown): Promise<AppNotification[]> => {
    const r = await t!.hub.registrar.dispatch('notifications.list', query, ctx);
    if (!r.ok) throw new Error(r.error.message);
    return r.value as AppNotification[];
  };

  it('keeps notifications across restarts, filters by printer and severity, and marks them read', async () => {
    t = await createTestHub();
    const n = t.hub.notifications;
    n.notify({ level: 'success', title: 'P1S #5 finished', body: 'cube is done.', route: 'devices/p5' });
    n.notify({ level: 'error', title: 'P1S #10 failed', body: 'Thermal runaway', route: 'devices/p10' });
    n.notify({ level: 'warning', title: 'P1S #5 went offline', body: '', route: 'devices/p5' });
    n.notify({ level: 'info', title: 'Chat request', body: 'x', route: 'chat' });
    expect(await t.hub.registrar.dispatch('notifications.unread', {}, ctx)).toEqual({ ok: true, value: { unread: 4 } });
    const p5 = await list({ deviceId: 'p5' });
    expect(p5.map((x) => x.title)).toEqual(['P1S #5 went offline', 'P1S #5 finished']);
    const bad = await list({ levels: ['error', 'warning'] });
    expect(bad.map((x) => x.level)).toEqual(['warning', 'error']);
    const first = p5[0]!.id;
    expect(await t.hub.registrar.dispatch('notifications.markRead', { ids: [first] }, ctx)).toEqual({ ok: true, value: { unread: 3 } });
    const unreadOnly = await list({ unreadOnly: true });
    expect(unreadOnly.map((x) => x.id)).not.toContain(first);

    const dataDir = t.dataDir;
    await t.hub.close();
    t = await createTestHub({ dataDir });
    const again = await list({});
    expect(again.map((x) => [x.title, x.read])).toEqual([
      ['Chat request', false],
      ['P1S #5 went offline', true],
      ['P1S #10 failed', false],
      ['P1S #5 finished', false],
    ]);
    expect(await t.hub.registrar.dispatch('notifications.markRead', { all: true }, ctx)).toEqual({ ok: true, value: { unread: 0 } });
    expect(await t.hub.registrar.dispatch('notifications.markRead', {}, ctx)).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
  });
});
