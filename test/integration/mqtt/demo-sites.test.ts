import { afterAll, describe, expect, it } from 'vitest';
import { moonrakerDemoPlan } from '../../../sim/moonraker/demo-plan';
import { xyzDemoPlan } from '../../../sim/xyz/demo-plan';
import { hasMosquitto, TestBroker, warnNoMosquitto } from '../../support/mosquitto';
import { createTestHub, type TestHub } from '../../support/test-hub';
import { eventually, TUNING } from './mqtt-support';

warnNoMosquitto('mqtt demo sites');

// Skipped only where Debian's mosquitto is missing (scripts/setup and .ci/run install it); npm test names what it skipped.
describe.skipIf(!hasMosquitto())('two hosts with demo fleets in one Devices screen', () => {
  const closing: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of closing.reverse()) await c();
  });

  it('each host shows its own demo printers and the other site’s, marked with the site', async () => {
    const broker = await TestBroker.start();
    closing.push(() => broker.close());
    const host = async (site: string, plan: typeof xyzDemoPlan): Promise<TestHub> => {
      const t = await createTestHub({ demoPlan: plan, mqtt: { configure: { enabled: true, url: broker.url, site }, tuning: TUNING, siteReconnectMs: 200 } });
      closing.push(() => t.close());
      await t.hub.startDemo();
      return t;
    };
    const a = await host('bench-room', xyzDemoPlan);
    const b = await host('print-farm', moonrakerDemoPlan);
    a.hub.connections.add({ kind: 'site', name: 'Print farm', address: `${broker.url}/print-farm`, options: {} });
    b.hub.connections.add({ kind: 'site', name: 'Bench room', address: `${broker.url}/bench-room`, options: {} });

    const own = (t: TestHub) => t.hub.fleet.list().filter((d) => d.site === undefined);
    await eventually(() => expect(own(a).length).toBeGreaterThan(0), 30_000);
    await eventually(() => expect(own(b).length).toBeGreaterThan(0), 30_000);
    const names = (list: { name: string }[]) => list.map((d) => d.name).sort();
    await eventually(() => {
      expect(names(a.hub.fleet.list().filter((d) => d.site === 'print-farm'))).toEqual(names(own(b)));
      expect(names(b.hub.fleet.list().filter((d) => d.site === 'bench-room'))).toEqual(names(own(a)));
    }, 30_000);
    // What B's Devices screen lists is what `devices.list` answers.
    const listed = await b.hub.registrar.dispatch('devices.list', {}, { transport: 'memory', clientId: 't' });
    expect(listed).toMatchObject({ ok: true, value: expect.arrayContaining([expect.objectContaining({ site: 'bench-room' })]) });
  });
});
