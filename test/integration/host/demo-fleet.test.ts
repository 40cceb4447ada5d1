import { afterEach, describe, expect, it } from 'vitest';
import { TcpFaultProxy } from '../../../sim/faults/tcp-fault-proxy';
import type { SimulatorFactory } from '../../../sim/demo/simulator';
import { createTestHub, type TestHub } from '../../support/test-hub';
import net from 'node:net';

/** A minimal simulator registered as a connection: a TCP listener behind the fault proxy. */
const fakePrinter: SimulatorFactory = async (ctx) => {
  const server = net.createServer((s) => s.end('hi'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const proxy = new TcpFaultProxy({ target: { host: '127.0.0.1', port: (server.address() as net.AddressInfo).port } });
  await proxy.start();
  return {
    id: ctx.id,
    kind: 'xyz',
    name: 'Test printer',
    address: `tcp://127.0.0.1:${proxy.port}`,
    connection: { kind: 'xyz', name: 'Test printer', address: `tcp://127.0.0.1:${proxy.port}`, options: {} },
    faults: () => proxy.active(),
    inject: async (f) => proxy.inject(f),
    stop: async () => {
      await proxy.stop();
      await new Promise((r) => server.close(r));
    },
  };
};

describe('demo fleet in the hub', () => {
  let t: TestHub | null = null;
  afterEach(async () => {
    await t?.close();
    t = null;
  });

  it('registers simulators as demo connections, injects faults, and removes them on stop', async () => {
    t = await createTestHub({ demoPlan: () => [{ id: 'p1', factory: fakePrinter }, { id: 'p2', factory: fakePrinter }] });
    const started = await t.hub.registrar.dispatch('demo.start', {}, { transport: 'memory', clientId: 't' });
    expect(started).toMatchObject({ ok: true, value: { running: true } });
    const demo = t.hub.connections.list().filter((c) => c.origin === 'demo');
    expect(demo).toHaveLength(2);
    const injected = await t.hub.registrar.dispatch('demo.inject', { simulatorId: 'p1', fault: { type: 'delay', ms: 100 } }, { transport: 'memory', clientId: 't' });
    expect(injected).toMatchObject({ ok: true, value: { simulators: expect.arrayContaining([expect.objectContaining({ id: 'p1', faults: ['delay 100 ms'] })]) } });
    expect(await t.hub.registrar.dispatch('demo.inject', { simulatorId: 'nope', fault: { type: 'drop' } }, { transport: 'memory', clientId: 't' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    await t.hub.registrar.dispatch('demo.stop', {}, { transport: 'memory', clientId: 't' });
    expect(t.hub.connections.list()).toHaveLength(0);
  });

  it('drops demo connections left from a previous run (their ports are gone)', async () => {
    t = await createTestHub({ demoPlan: () => [{ id: 'p1', factory: fakePrinter }] });
    await t.hub.startDemo();
    t.hub.connections.add({ kind: 'octoprint', name: 'Mine', address: 'http://o', options: {} });
    const dataDir = t.dataDir;
    // Simulate a crash: the database still lists the demo connection.
    await t.hub.close();
    const again = await createTestHub({ dataDir });
    expect(again.hub.connections.list().map((c) => c.name)).toEqual(['Mine']);
    await again.close();
    t = null;
  });
});

describe('demo fleet at scale', () => {
  let t: TestHub | null = null;
  afterEach(async () => {
    await t?.close();
    t = null;
  });

  it('starts the asked number of printers over real sockets, some of them printing', async () => {
    t = await createTestHub();
    const started = await t.hub.registrar.dispatch('demo.start', { printers: 12 }, { transport: 'memory', clientId: 't' });
    expect(started).toMatchObject({ ok: true, value: { running: true } });
    expect(t.hub.connections.list().filter((c) => c.origin === 'demo')).toHaveLength(12);
    const hub = t.hub;
    await expect.poll(() => hub.fleet.list().filter((d) => d.link === 'online').length, { timeout: 30_000 }).toBe(12);
    await expect.poll(() => hub.fleet.list().filter((d) => d.state === 'printing').length, { timeout: 30_000 }).toBeGreaterThan(0);
    expect(new Set(hub.fleet.list().map((d) => d.family)).size).toBeGreaterThan(1);
  }, 60_000);

  it('refuses a size beyond what the contract allows', async () => {
    t = await createTestHub();
    expect(await t.hub.registrar.dispatch('demo.start', { printers: 5000 }, { transport: 'memory', clientId: 't' })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
  });
});
