import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createWebSocketTransport } from '../../../src/renderer/transport/websocket-transport';
import { createClient, type PrintdeckClient } from '../../../src/shared/rpc/client';
import { ScriptedDriver, scriptedProvider } from '../../support/scripted-driver';
import { startTestHost, type TestHost } from '../../support/test-host';

/**
 * A browser must not be able to point the host at any terminal (`serial:///dev/pts/N`): over the
 * WebSocket, a da Vinci connection reaches a local port only when discovery offers that port.
 */
describe('serial ports over the headless host WebSocket', () => {
  let t: TestHost;
  let client: PrintdeckClient;
  let transport: ReturnType<typeof createWebSocketTransport>;
  const drivers = new Map<string, ScriptedDriver>();

  beforeAll(async () => {
    t = await startTestHost({
      providers: { xyz: scriptedProvider(drivers) },
      listPorts: async () => [
        { path: '/dev/ttyACM7', vendorId: '11f1', serialNumber: '3DP01PGB0001' },
        { path: '/dev/ttyACM8', vendorId: '11f1' },
        { path: '/dev/ttyUSB0', vendorId: '0403', serialNumber: 'FTDI0001' },
      ],
    });
    transport = createWebSocketTransport({ url: t.wsUrl() });
    client = createClient(transport);
    await vi.waitFor(() => expect(client.linkStatus()).toBe('open'));
    await vi.waitFor(async () => expect((await client.call('discovery.list', {})).ok && (await client.call('discovery.list', {}))).toMatchObject({ value: { length: 2 } }));
  });
  afterAll(async () => {
    transport.close();
    await t.close();
  });

  it('refuses a port discovery did not offer, whatever the address form', async () => {
    for (const address of ['serial:///dev/pts/3', 'SERIAL:///dev/pts/3', 'serial:///dev/ttyUSB0', 'usb://FTDI0001']) {
      expect(await client.call('connections.add', { kind: 'xyz', name: 'Intruder', address }), address).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN' },
      });
    }
    expect(t.hub.connections.stored()).toEqual([]);
  });

  it('accepts the ports discovery offers, by path or by serial number', async () => {
    expect(await client.call('connections.add', { kind: 'xyz', name: 'Nano', address: 'usb://3DP01PGB0001' })).toMatchObject({ ok: true });
    const added = await client.call('connections.add', { kind: 'xyz', name: 'Mini', address: 'serial:///dev/ttyACM8' });
    expect(added).toMatchObject({ ok: true });
    if (!added.ok) return;
    expect(await client.call('connections.update', { id: added.value.id, address: 'serial:///dev/pts/3' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(t.hub.connections.get(added.value.id).address).toBe('serial:///dev/ttyACM8');
    expect(await client.call('connections.update', { id: added.value.id, name: 'Mini 2' })).toMatchObject({ ok: true });
    expect(await client.call('connections.add', { kind: 'xyz', name: 'Wi-Fi', address: 'tcp://127.0.0.1:9' })).toMatchObject({ ok: true });
  });

  it('lets the desktop window and in-process callers name any port', async () => {
    const r = await t.hub.registrar.dispatch('connections.add', { kind: 'xyz', name: 'Bench', address: 'serial:///dev/pts/3' }, { transport: 'ipc', clientId: 'w' });
    expect(r).toMatchObject({ ok: true });
  });
});
