import { afterEach, describe, expect, it } from 'vitest';
import { hasSocat } from '../../../sim/xyz/pty-link';
import { XyzSimulator } from '../../../sim/xyz/simulator';
import type { XyzDriver } from '../../../src/main/printers/xyz/driver';
import { decodeThreeW } from '../../../src/main/printers/xyz/threew';
import { FAST_TIMINGS, makeDriver, progressRecorder, tempDir, waitFor, writeGcode } from './xyz-helpers';

const socat = hasSocat();
if (!socat) console.warn('[xyz] socat is not installed: the v2 pty (USB) tests are skipped.');

/** XYZv3 gets no answer from these printers; a short v3 wait keeps the fallback quick here. */
const V2_TEST_TIMINGS = { ...FAST_TIMINGS, v3: { ...FAST_TIMINGS.v3, queryAllMs: 400 } };

describe.skipIf(!socat)('da Vinci v2 (XYZ_@3D) printers over a real pty through serialport', () => {
  let sim: XyzSimulator | null = null;
  let driver: XyzDriver | null = null;
  afterEach(async () => {
    await driver?.stop();
    await sim?.stop();
    driver = null;
    sim = null;
  });

  async function start(model: string, options: Record<string, string> = {}): Promise<XyzDriver> {
    sim = await XyzSimulator.start({ transport: 'pty', model, workDir: tempDir(), timeScale: 200, fileCheckSec: 10, doneHoldSec: 200 });
    driver = makeDriver(sim.address, options, { timings: V2_TEST_TIMINGS }).driver;
    driver.start();
    await waitFor(driver, 'online', (s) => s.link === 'online', 8_000);
    return driver;
  }

  it('finds a da Vinci 1.0 by falling back from XYZv3, prints a G-code file as a ZIP .3w and follows it to done', async () => {
    const d = await start('dvF100B000');
    expect(d.status()).toMatchObject({ model: 'da Vinci 1.0', state: 'idle', firmware: '1.2.3' });
    // Printing over v2; no job control or maintenance the spec could back (see V2Backend).
    expect(d.status().capabilities).toMatchObject({ print: true, pause: false, cancel: false, home: false });
    await expect(d.pause()).rejects.toMatchObject({ code: 'UNSUPPORTED' });

    const gcodePath = writeGcode(tempDir(), 'benchy v2.gcode', 6_000, 300);
    const progress = progressRecorder();
    await d.print({ path: gcodePath, name: 'benchy v2.gcode' }, progress.onProgress, new AbortController().signal);
    expect(progress.phases).toEqual(['converting', 'uploading', 'starting']);
    const received = sim?.printer.received ?? [];
    expect(received.map((r) => [r.name, r.container])).toEqual([['MyTest', 'zip']]);
    const file = received[0]?.bytes ?? new Uint8Array(0);
    expect(progress.last()).toMatchObject({ sentBytes: file.length, totalBytes: file.length });
    expect(file.length).toBeGreaterThan(2 * 10_236); // several frames
    const decoded = decodeThreeW(file);
    expect(decoded.info.machine).toBe('daVinciF10');
    expect(decoded.info.headerKeys['print_time']).toBe('300');
    await waitFor(d, 'printing', (s) => s.state === 'printing' || s.state === 'heating', 5_000);
    const done = await waitFor(d, 'done', (s) => s.state === 'done', 12_000);
    expect(done.job?.name).toBe('benchy v2.gcode');
  });

  it('resends a frame whose byte sum arrived corrupted, and gives up after bounded resends', async () => {
    const d = await start('dvF200B000', { model: 'dvF200B000' }); // a configured v2 model is asked in v2 first
    expect(d.status().model).toBe('da Vinci 2.0 Duo');
    sim!.wire.corruptFrames = 2;
    await d.print({ path: writeGcode(tempDir(), 'duo.gcode', 6_000, 300), name: 'duo.gcode' }, () => undefined, new AbortController().signal);
    expect(sim?.v2Endpoint?.badFrames).toBe(2);
    expect(sim?.printer.received.map((r) => r.container)).toEqual(['zip']);
    await waitFor(d, 'printing', (s) => s.state === 'printing' || s.state === 'heating', 5_000);
    await waitFor(d, 'done', (s) => s.state === 'done', 12_000);

    // A line that corrupts every frame: 1 try + 3 resends, then a clear error and no file printed.
    await waitFor(d, 'idle again', (s) => s.state === 'idle', 5_000);
    sim!.wire.corruptFrames = 100;
    const failing = d.print({ path: writeGcode(tempDir(), 'noisy.gcode', 200), name: 'noisy.gcode' }, () => undefined, new AbortController().signal);
    await expect(failing).rejects.toMatchObject({ code: 'DEVICE_ERROR', message: expect.stringMatching(/checksum of frame 1 of 1 \(4 tries\)/) });
    expect(sim?.v2Endpoint?.badFrames).toBe(2 + 4);
    expect(sim?.printer.received).toHaveLength(1);
    sim!.wire.corruptFrames = 0;
    await waitFor(d, 'still online and idle', (s) => s.link === 'online' && s.state === 'idle');
  }, 20_000);

  it('cancels mid-upload between frames; the printer drops the partial file and the next print works', async () => {
    const d = await start('dvF100A000');
    const controller = new AbortController();
    let sentAtCancel = 0;
    const attempt = d.print({ path: writeGcode(tempDir(), 'long.gcode', 6_000), name: 'long.gcode' }, (p) => {
      if (p.phase === 'uploading' && p.sentBytes > 0 && !controller.signal.aborted) {
        sentAtCancel = p.sentBytes;
        controller.abort();
      }
    }, controller.signal);
    await expect(attempt).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(sentAtCancel).toBe(10_236);
    expect(sim?.printer.received).toHaveLength(0);
    // The next poll's command at a frame boundary tells the printer the upload was given up.
    const before = d.status().updatedAt;
    await waitFor(d, 'fresh idle poll', (s) => s.updatedAt > before && s.state === 'idle');
    expect(sim?.v2Endpoint?.uploading).toBe(false);
    expect(d.status().link).toBe('online');

    await d.print({ path: writeGcode(tempDir(), 'short.gcode', 200), name: 'short.gcode' }, () => undefined, new AbortController().signal);
    expect(sim?.printer.received.map((r) => r.container)).toEqual(['zip']);
  });

  it('a 1.1 Plus on USB answers XYZv3 for status, so the driver identifies it there and prints over v2', async () => {
    const d = await start('dvF110B000');
    expect(d.status()).toMatchObject({ model: 'da Vinci 1.1 Plus', firmware: '1.1.7', state: 'idle' });
    expect(d.status().capabilities).toMatchObject({ print: true, pause: false, camera: false });
    await d.print({ path: writeGcode(tempDir(), 'plus.gcode', 200), name: 'plus.gcode' }, () => undefined, new AbortController().signal);
    // `MyTest` is the v2 job name (an XYZv3 upload would have named it plus.3w).
    expect(sim?.printer.received.map((r) => [r.name, r.container])).toEqual([['MyTest', 'zip']]);
  });
});
