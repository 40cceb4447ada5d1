import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { PrintdeckClient } from '../../../src/shared/rpc/client';
import { FakeElectronBus } from '../../support/fake-electron';
import { createTestHub, type TestHub } from '../../support/test-hub';

const bus = vi.hoisted(() => ({ current: null as unknown as import('../../support/fake-electron').FakeElectronBus }));

vi.mock('electron', () => ({
  get ipcRenderer() {
    return bus.current.ipcRenderer;
  },
  get contextBridge() {
    return bus.current.contextBridge;
  },
  get webUtils() {
    return bus.current.webUtils;
  },
  get ipcMain() {
    return bus.current.ipcMain;
  },
}));

/**
 * The contract test over the Electron transport: the real preload (src/preload) talks to the real
 * main-side IPC glue (src/main/electron/ipc.ts) and a real Hub, through structuredClone.
 */
describe('contract over Electron IPC (in-memory bus)', () => {
  let testHub: TestHub;
  let client: PrintdeckClient;
  let stopServing: () => void;

  beforeAll(async () => {
    bus.current = new FakeElectronBus();
    testHub = await createTestHub();
    const { serveWindow } = await import('../../../src/main/electron/ipc');
    stopServing = serveWindow(bus.current.window as never, testHub.hub.registrar, testHub.hub.events, (await import('../../support/test-hub')).silentLogger(), testHub.hub.picked);
    await import('../../../src/preload/index');
    client = bus.current.exposed.printdeck as PrintdeckClient;
  });

  afterAll(async () => {
    stopServing();
    await testHub.close();
  });

  it('exposes only the contract client and a file-path helper, no raw ipcRenderer', () => {
    expect(Object.keys(bus.current.exposed).sort()).toEqual(['printdeck', 'printdeckFiles']);
    expect(Object.keys(client).sort()).toEqual(['call', 'linkStatus', 'on', 'onLinkStatus']);
  });

  it('round-trips every call kind with typed results', async () => {
    const info = await client.call('app.info', {});
    expect(info).toMatchObject({ ok: true, value: { name: 'Printdeck', transport: 'ipc' } });
    expect(await client.call('connections.list', {})).toEqual({ ok: true, value: [] });
    const added = await client.call('connections.add', { kind: 'octoprint', name: 'Ender', address: 'http://127.0.0.1:1', secret: 'K3Y-do-not-leak' });
    expect(added.ok).toBe(true);
    if (!added.ok) return;
    expect(added.value).toMatchObject({ name: 'Ender', hasSecret: true, origin: 'user' });
    expect(JSON.stringify(added)).not.toContain('K3Y-do-not-leak');
    const listed = await client.call('connections.list', {});
    expect(JSON.stringify(listed)).not.toContain('K3Y-do-not-leak');
    expect(testHub.hub.connections.secretOf(added.value.id)).toBe('K3Y-do-not-leak');
    const updated = await client.call('connections.update', { id: added.value.id, name: 'Ender 3', secret: null });
    expect(updated).toMatchObject({ ok: true, value: { name: 'Ender 3', hasSecret: false } });
    expect(await client.call('connections.remove', { id: added.value.id })).toEqual({ ok: true, value: { done: true } });
    expect(await client.call('connections.remove', { id: added.value.id })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('delivers events through the batched channel and stops after unsubscribe', async () => {
    testHub.hub.events.flush(); // events of earlier tests are not this test's
    const seen: number[] = [];
    const off = client.on('connections.changed', (p) => seen.push(p.connections.length));
    await client.call('connections.add', { kind: 'xyz', name: 'Nano', address: 'tcp://127.0.0.1:9' });
    await vi.waitFor(() => expect(seen).toEqual([1]));
    off();
    await client.call('connections.add', { kind: 'xyz', name: 'Nano 2', address: 'tcp://127.0.0.1:9' });
    testHub.hub.events.flush();
    expect(seen).toEqual([1]);
  });

  it('refuses malformed payloads and unknown methods with typed errors', async () => {
    const call = client.call as (m: string, p: unknown) => Promise<unknown>;
    expect(await call('connections.add', { kind: 'xyz' })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await call('system.exec', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    expect(await call('connections.add', { kind: 'xyz', name: 'n', address: 'tcp://a:1', options: { nested: { deep: 1 } } })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
  });

  it('refuses calls from a frame that is not our main frame, or not on app://', async () => {
    bus.current.currentSender = { url: 'app://printdeck/index.html' }; // a subframe: same URL, other frame
    expect(await client.call('connections.list', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    bus.current.currentSender = null; // frame navigated away or destroyed
    expect(await client.call('connections.list', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    bus.current.mainFrame.url = 'https://evil.example/';
    bus.current.currentSender = bus.current.mainFrame;
    expect(await client.call('connections.list', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    bus.current.mainFrame.url = 'app://printdeck/index.html';
    expect((await client.call('connections.list', {})).ok).toBe(true);
  });
});
