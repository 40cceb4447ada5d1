import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceStatus } from '../../../src/shared/contract';
import { NO_CAPABILITIES } from '../../../src/shared/domain/device';
import type { CameraFrame, PrinterDriver } from '../../../src/main/devices/driver';
import { singleDevice } from '../../../src/main/devices/fleet';
import { createTestHub, tempDir } from '../../support/test-hub';
import { callHub, makeJpeg, startImssSandbox, waitFor } from '../../support/uploads-fixtures';

/** A printer with a camera whose state the test drives. */
class FakeCameraPrinter implements PrinterDriver {
  readonly deviceId = 'cam-printer-1';
  private listeners = new Set<(s: DeviceStatus) => void>();
  private state: DeviceStatus['state'] = 'idle';
  shots = 0;
  constructor(private readonly frame: Buffer) {}
  start(): void {}
  async stop(): Promise<void> {}
  status(): DeviceStatus {
    return {
      deviceId: this.deviceId,
      connectionId: 'c',
      family: 'xyz',
      name: 'da Vinci 1.1 Plus',
      model: 'da Vinci 1.1 Plus',
      serial: null,
      firmware: null,
      link: 'online',
      state: this.state,
      stateText: this.state,
      job: null,
      temperatures: [],
      filament: null,
      problem: null,
      capabilities: { ...NO_CAPABILITIES, camera: true },
      updatedAt: Date.now(),
    };
  }
  setState(state: DeviceStatus['state']): void {
    this.state = state;
    for (const l of this.listeners) l(this.status());
  }
  onStatus(listener: (s: DeviceStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  async print(): Promise<void> {}
  async pause(): Promise<void> {}
  async resume(): Promise<void> {}
  async cancel(): Promise<void> {}
  async maintenance(): Promise<void> {}
  async captureSnapshot(): Promise<CameraFrame> {
    this.shots += 1;
    // Each frame differs (the session de-duplicates identical content).
    const data = Buffer.concat([this.frame, Buffer.from(`frame-${this.shots}`)]);
    return { mime: 'image/jpeg', data, at: Date.now() };
  }
}

describe('image sources: folder watch and printer cameras', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function setup() {
    const sandbox = await startImssSandbox(null);
    cleanups.push(() => sandbox.server.stop());
    const frame = readFileSync(makeJpeg(path.join(tempDir(), 'frame.jpg'), 640, 480));
    const printer = new FakeCameraPrinter(frame);
    const t = await createTestHub({ providers: { xyz: singleDevice(() => printer) } });
    cleanups.push(() => t.close());
    await callHub(t.hub, 'connections.add', { kind: 'xyz', name: 'Cam', address: 'tcp://127.0.0.1:9100' });
    const conn = await callHub(t.hub, 'connections.add', { kind: 'imss', name: 'IMSS', address: sandbox.address });
    const session = await callHub(t.hub, 'uploads.createSession', { connectionId: conn.id, name: 'Sources' });
    return { hub: t.hub, printer, connectionId: conn.id, sessionId: session.id };
  }

  it('adds new images from a watched folder once their writes are complete, not the ones already there', async () => {
    const { hub, connectionId, sessionId } = await setup();
    const folder = tempDir('watched-');
    writeFileSync(path.join(folder, 'old.jpg'), 'already here');
    const status = await callHub(hub, 'uploads.watchFolder', { connectionId, folder });
    expect(status.watches).toMatchObject([{ folder, watching: true }]);
    await expect(callHub(hub, 'uploads.watchFolder', { connectionId, folder }, 'websocket')).rejects.toMatchObject({ code: 'FORBIDDEN' });

    // A camera writing a file slowly: it must not be picked up half-written.
    const partial = path.join(folder, 'IMG_0001.jpg');
    writeFileSync(partial, Buffer.alloc(10_000, 1));
    for (let i = 0; i < 4; i++) {
      await new Promise((r) => setTimeout(r, 300));
      writeFileSync(partial, Buffer.alloc(10_000 * (i + 2), 1));
    }
    // Written elsewhere, moved in whole.
    const tmp = path.join(tempDir(), 'IMG_0002.jpg');
    writeFileSync(tmp, Buffer.alloc(5000, 2));
    renameSync(tmp, path.join(folder, 'IMG_0002.jpg'));
    writeFileSync(path.join(folder, 'notes.txt'), 'not an image');

    const list = await waitFor(async () => {
      const l = await callHub(hub, 'uploads.listImages', { connectionId, sessionId, offset: 0, limit: 10 });
      return l.total === 2 ? l : null;
    }, 8000, 'two watched images');
    const partialImage = list.images.find((i) => i.name === 'IMG_0001.jpg');
    expect(partialImage).toMatchObject({ size: 50_000, source: 'watch' });
    expect(list.images.map((i) => i.name).sort()).toEqual(['IMG_0001.jpg', 'IMG_0002.jpg']);
    expect((await callHub(hub, 'uploads.status', {})).watches[0]?.imagesAdded).toBe(2);
    const off = await callHub(hub, 'uploads.watchFolder', { connectionId, folder: null });
    expect(off.watches).toEqual([]);
  });

  it('captures a printer snapshot into the session, and a timelapse only while it prints', async () => {
    const { hub, printer, connectionId, sessionId } = await setup();
    const shot = await callHub(hub, 'uploads.capture', { connectionId, sessionId, deviceId: printer.deviceId });
    expect(shot).toMatchObject({ source: 'camera', sessionId });
    expect(shot.name).toMatch(/^da-Vinci-1-1-Plus-.*\.jpg$/);
    await waitFor(async () => (await callHub(hub, 'uploads.thumbnail', { imageId: shot.id }))?.mime === 'image/jpeg', 5000, 'snapshot thumbnail');

    const set = await callHub(hub, 'uploads.timelapse', { connectionId, deviceId: printer.deviceId, intervalSec: 5 });
    expect(set.timelapses).toMatchObject([{ deviceId: printer.deviceId, intervalSec: 5, capturing: false }]);
    await new Promise((r) => setTimeout(r, 200));
    expect(printer.shots).toBe(1);
    printer.setState('printing');
    await waitFor(() => printer.shots === 2, 3000, 'first timelapse frame');
    const during = await callHub(hub, 'uploads.status', {});
    expect(during.timelapses[0]).toMatchObject({ capturing: true });
    printer.setState('done');
    expect((await callHub(hub, 'uploads.status', {})).timelapses[0]).toMatchObject({ capturing: false });
    const images = await waitFor(async () => {
      const l = await callHub(hub, 'uploads.listImages', { connectionId, sessionId, offset: 0, limit: 10 });
      return l.total === 2 ? l : null;
    }, 3000, 'two camera images');
    expect(images.images.every((i) => i.source === 'camera')).toBe(true);
    await callHub(hub, 'uploads.timelapse', { connectionId, deviceId: printer.deviceId, intervalSec: null });
    expect((await callHub(hub, 'uploads.status', {})).timelapses).toEqual([]);
  });
});
