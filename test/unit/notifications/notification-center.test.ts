import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AppNotification } from '../../../src/shared/contract';
import { defaultDemoFleet } from '../../../sim/demo/plan';
import type { SimulatorPlanEntry } from '../../../sim/demo/simulator';
import type { DemoPastNotice } from '../../../src/main/demo-fleet-port';
import { createTestHub, tempDir, type TestHub } from '../../support/test-hub';

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

  it('stores past notices with their own times and read state, quietly, and lists one day', async () => {
    t = await createTestHub();
    const announced: string[] = [];
    t.hub.events.addSink({ deliver: (batch) => announced.push(...batch.map((e) => e.name)) });
    const day = new Date(2026, 11, 3).getTime();
    const next = new Date(2026, 11, 4).getTime();
    t.hub.notifications.remember([
      { level: 'error', title: 'old', body: '', at: day - 1, read: true, route: 'devices/p1' },
      { level: 'success', title: 'morning', body: '', at: day + 8 * 3_600_000, read: false, route: 'devices/p2' },
      { level: 'error', title: 'evening', body: '', at: next - 1, read: false, route: 'devices/p1' },
    ]);
    t.hub.notifications.notify({ level: 'info', title: 'now', body: '' });
    expect((await list({ since: day, before: next })).map((n) => [n.title, n.read, n.deviceId])).toEqual([
      ['evening', false, 'p1'],
      ['morning', false, 'p2'],
    ]);
    expect((await list({ before: day })).map((n) => [n.title, n.read])).toEqual([['old', true]]);
    expect(t.hub.notifications.unread()).toBe(3);
    // Only the new one is news (a toast, a desktop notice); the past ones change the count. Events
    // leave in order, so once the new one's is out, the past ones' would have been.
    await vi.waitFor(() => expect(announced).toContain('app.notification'));
    expect(announced).toContain('notifications.changed');
    expect(announced.filter((e) => e === 'app.notification')).toHaveLength(1);
  });

  it('a demo lab starts with its past days, once per data folder, about its own printers', async () => {
    const dataDir = tempDir();
    const plan = (): SimulatorPlanEntry[] => [
      {
        id: 'lab-1',
        factory: async () => ({
          id: 'lab-1',
          kind: 'octoprint',
          name: 'MK4 #1',
          address: 'http://127.0.0.1:9',
          connection: { kind: 'octoprint', name: 'MK4 #1', address: 'http://127.0.0.1:9', options: {}, secret: 'KEY-0123456789' },
          faults: () => [],
          inject: async () => undefined,
          stop: async () => undefined,
        }),
      },
    ];
    const yesterday = Date.now() - 24 * 3_600_000;
    const history = (): DemoPastNotice[] => [
      { simulatorId: 'lab-1', level: 'error', title: 'MK4 #1: print failed', body: 'Thermal runaway', at: yesterday, read: false },
      { simulatorId: 'not-in-this-run', level: 'success', title: 'gone finished', body: '', at: yesterday, read: false },
    ];
    t = await createTestHub({ dataDir, demo: defaultDemoFleet(dataDir, plan, { history }) });
    await t.hub.startDemo({ printers: 1 });
    const [device] = t.hub.fleet.list();
    expect((await list({ before: Date.now() - 3_600_000 })).map((n) => [n.title, n.route, n.deviceId])).toEqual([['MK4 #1: print failed', `devices/${device!.deviceId}`, device!.deviceId]]);
    await t.hub.stopDemo();
    await t.hub.startDemo({ printers: 1 });
    expect(await list({ before: Date.now() - 3_600_000 })).toHaveLength(1);
  });
});
