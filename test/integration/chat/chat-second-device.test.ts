import { afterEach, describe, expect, it } from 'vitest';
import type { SkiserverSandbox } from '../../../sim/skiserver/skiserver-sandbox';
import { allMessages, device, register, startSandbox, until, type TestDevice } from './chat-harness';

/** A second device added to an account before a contact ever wrote to it still gets that contact's messages. */
describe('two devices of one account', () => {
  let server: SkiserverSandbox;
  const devices: TestDevice[] = [];
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') for (const d of devices) console.log(d.name, d.logs.filter((l) => /WARN|ERROR/.test(l)).join('\n'));
    for (const d of devices.splice(0)) d.conn.close();
    await server?.stop();
  });

  it('a stranger who is first written to from one device answers both, and both keep up afterwards', async () => {
    server = await startSandbox();
    const [maya1, maya2, sam] = ['maya1', 'maya2', 'sam'].map((n) => device(server, n)) as [TestDevice, TestDevice, TestDevice];
    devices.push(maya1, maya2, sam);
    await register(server, sam, 'sam');
    await register(server, maya1, 'maya');
    await register(server, maya2, 'maya');
    expect(maya2.conn.engine!.me.deviceId).not.toBe(maya1.conn.engine!.me.deviceId);
    const d = server.domain;
    // Sam has never heard of Maya: her first device writes; he answers once his invite has come.
    await maya1.conn.engine!.sendText({ type: 'user', id: `sam@${d}` }, 'is the Ender done?');
    await until('sam reads it', () => allMessages(sam, 'user', `maya@${d}`).some((m) => m.text === 'is the Ender done?'));
    await until('sam knows both of her devices', () => sam.conn.engine!.peerDevices({ userId: 'maya', domain: d }).length === 2);
    await sam.conn.engine!.sendText({ type: 'user', id: `maya@${d}` }, 'yes, 10 minutes ago');
    for (const m of [maya1, maya2]) await until(`${m.name} reads the answer`, () => allMessages(m, 'user', `sam@${d}`).some((x) => x.text === 'yes, 10 minutes ago'));
    // Her own message reached her other device as a sync copy.
    expect(allMessages(maya2, 'user', `sam@${d}`).some((x) => x.text === 'is the Ender done?' && x.direction === 'out')).toBe(true);
    // Offline for a while, the second device gets what came meanwhile.
    maya2.conn.stop();
    await sam.conn.engine!.sendText({ type: 'user', id: `maya@${d}` }, 'and the Prusa is printing');
    await until('maya1 reads it', () => allMessages(maya1, 'user', `sam@${d}`).some((x) => x.text === 'and the Prusa is printing'));
    await maya2.conn.start();
    await until('maya2 reads it once back', () => allMessages(maya2, 'user', `sam@${d}`).some((x) => x.text === 'and the Prusa is printing'));
  }, 60_000);
});
