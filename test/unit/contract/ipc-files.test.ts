import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { PickedFile } from '../../../src/shared/contract';
import type { PrintdeckClient } from '../../../src/shared/rpc/client';
import { FakeElectronBus } from '../../support/fake-electron';
import { ScriptedDriver, scriptedProvider } from '../../support/scripted-driver';
import { createTestHub, silentLogger, tempDir, type TestHub } from '../../support/test-hub';

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

type Files = { refOf(file: unknown): Promise<PickedFile | null> };

/**
 * The renderer must not make main read any file: over the Electron transport (the real preload and
 * the real IPC glue), host paths are refused and only files the user dropped or picked are read.
 */
describe('local files over Electron IPC', () => {
  let testHub: TestHub;
  let client: PrintdeckClient;
  let files: Files;
  let stopServing: () => void;
  const drivers = new Map<string, ScriptedDriver>();
  const dir = tempDir();
  const secret = path.join(dir, 'id_ed25519');
  const gcode = path.join(dir, 'part.gcode');

  beforeAll(async () => {
    writeFileSync(secret, '-----BEGIN OPENSSH PRIVATE KEY-----\n');
    writeFileSync(gcode, 'G28\n');
    bus.current = new FakeElectronBus();
    testHub = await createTestHub({ providers: { xyz: scriptedProvider(drivers) } });
    testHub.hub.connections.add({ kind: 'xyz', name: 'Nano', address: 'tcp://127.0.0.1:9', options: {} });
    const { serveWindow } = await import('../../../src/main/electron/ipc');
    stopServing = serveWindow(bus.current.window as never, testHub.hub.registrar, testHub.hub.events, silentLogger(), testHub.hub.picked);
    await import('../../../src/preload/index');
    client = bus.current.exposed.printdeck as PrintdeckClient;
    files = bus.current.exposed.printdeckFiles as Files;
  });

  afterAll(async () => {
    stopServing();
    await testHub.close();
  });

  const deviceId = () => drivers.get('Nano')!.deviceId;

  it('refuses a host path the page names, whatever name it gives it', async () => {
    for (const call of [
      () => client.call('printers.print', { deviceId: deviceId(), file: { kind: 'path', path: secret }, name: 'loot.gcode' }),
      () => client.call('octoprint.upload', { deviceId: deviceId(), file: { kind: 'path', path: secret }, name: 'loot.gcode' }),
      () => client.call('uploads.addImages', { connectionId: 'c', sessionId: 's', files: [{ kind: 'path', path: dir }] }),
      () => client.call('uploads.watchFolder', { connectionId: 'c', folder: dir }),
    ]) {
      const r = await call();
      expect(r.ok).toBe(false);
      if (!r.ok) expect(['FORBIDDEN', 'NOT_FOUND']).toContain(r.error.code);
    }
    expect(await client.call('printers.print', { deviceId: deviceId(), file: { kind: 'path', path: secret }, name: 'loot.gcode' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(drivers.get('Nano')!.printed).toEqual([]);
  });

  it('refuses a token it never gave and a File the page built itself', async () => {
    const forged = { kind: 'picked' as const, token: '00000000-0000-4000-8000-000000000000' };
    expect(await client.call('printers.print', { deviceId: deviceId(), file: forged })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await files.refOf({ name: 'part.gcode' })).toBeNull();
  });

  it('prints a dropped file through its token, and judges it by its real name', async () => {
    const dropped = { name: 'part.gcode' };
    bus.current.droppedFiles.set(dropped, gcode);
    const ref = await files.refOf(dropped);
    expect(ref).toMatchObject({ kind: 'picked' });
    expect(JSON.stringify(ref)).not.toContain(dir);
    expect(await client.call('printers.print', { deviceId: deviceId(), file: ref!, name: 'part.gcode' })).toMatchObject({ ok: true });
    await vi.waitFor(() => expect(drivers.get('Nano')!.printed).toHaveLength(1));

    // A dropped key under a printable label, or behind a printable-looking symlink, is still a key.
    const key = { name: 'loot.gcode' };
    bus.current.droppedFiles.set(key, secret);
    const keyRef = await files.refOf(key);
    await vi.waitFor(async () => expect((await client.call('printers.transfers', {})).ok).toBe(true));
    const link = path.join(dir, 'innocent.gcode');
    symlinkSync(secret, link);
    const linked = { name: 'innocent.gcode' };
    bus.current.droppedFiles.set(linked, link);
    for (const r of [keyRef, await files.refOf(linked)]) {
      await vi.waitFor(async () => {
        const transfers = await client.call('printers.transfers', {});
        expect(transfers.ok && transfers.value.every((t) => ['done', 'failed', 'cancelled'].includes(t.phase))).toBe(true);
      });
      expect(await client.call('printers.print', { deviceId: deviceId(), file: r!, name: 'loot.gcode' })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    }
    const folder = path.join(dir, 'folder.gcode');
    mkdirSync(folder);
    const droppedFolder = { name: 'folder.gcode' };
    bus.current.droppedFiles.set(droppedFolder, folder);
    expect(await client.call('printers.print', { deviceId: deviceId(), file: (await files.refOf(droppedFolder))! })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(drivers.get('Nano')!.printed).toHaveLength(1);
  });

  it('refuses to register paths from a frame that is not our window', async () => {
    const dropped = { name: 'part.gcode' };
    bus.current.droppedFiles.set(dropped, gcode);
    bus.current.currentSender = { url: 'https://evil.example/' };
    expect(await files.refOf(dropped)).toBeNull();
    bus.current.currentSender = bus.current.mainFrame;
  });
});
