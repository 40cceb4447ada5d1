import { afterEach, describe, expect, it } from 'vitest';
import { XyzSimulator, type XyzSimOptions } from '../../../sim/xyz/simulator';
import type { XyzDriver } from '../../../src/main/printers/xyz/driver';
import { AppError } from '../../../src/shared/rpc/result';
import { makeDriver, progressRecorder, tempDir, waitFor, writeGcode } from './xyz-helpers';

const SIM: Omit<XyzSimOptions, 'model'> = { transport: 'tcp', timeScale: 200, fileCheckSec: 20, doneHoldSec: 200 };

describe('da Vinci driver over TCP 9100 (XYZv3) against the simulator', () => {
  let sim: XyzSimulator | null = null;
  let driver: XyzDriver | null = null;
  afterEach(async () => {
    await driver?.stop();
    await sim?.stop();
    driver = null;
    sim = null;
  });

  async function connect(model: string, extra: Partial<XyzSimOptions> = {}): Promise<XyzDriver> {
    sim = await XyzSimulator.start({ ...SIM, model, ...extra });
    driver = makeDriver(sim.address).driver;
    driver.start();
    await waitFor(driver, 'online', (s) => s.link === 'online');
    return driver;
  }

  it('connects, identifies the model and polls; capabilities follow the model table', async () => {
    const d = await connect('dv1MW0A000');
    const s = d.status();
    expect(s).toMatchObject({ deviceId: 'xyz:conn-1', family: 'xyz', model: 'da Vinci mini w', state: 'idle', stateText: 'Idle' });
    expect(s.serial).toMatch(/^3FM1WP/);
    expect(s.capabilities).toMatchObject({ print: true, pause: true, cancel: true, home: true, jog: true, calibrate: true, camera: false });
    expect(s.temperatures[0]).toMatchObject({ sensor: 'tool0', actual: 25 });
    const before = s.updatedAt;
    await waitFor(d, 'a second poll', (x) => x.updatedAt > before);
  });

  it('prints a G-code file end to end: convert → upload → start → heating → printing → done', async () => {
    const d = await connect('dv1JW0A000');
    // An LCD model: no maintenance buttons.
    expect(d.status().capabilities).toMatchObject({ print: true, home: false, loadFilament: false });
    const file = writeGcode(tempDir(), 'cube.gcode');
    const progress = progressRecorder();
    await d.print({ path: file, name: 'cube.gcode' }, progress.onProgress, new AbortController().signal);
    expect(progress.phases).toEqual(['converting', 'uploading', 'starting']);
    expect(progress.last()?.sentBytes).toBe(progress.last()?.totalBytes);
    // The printer got a v5 .3w for its own model and decrypted it.
    expect(sim?.printer.received.map((r) => [r.name, r.container])).toEqual([['cube.3w', 'v5']]);
    const printing = await waitFor(d, 'printing', (s) => s.state === 'printing' && (s.job?.progress ?? 0) > 0);
    expect(printing.job?.name).toBe('cube.gcode');
    expect(printing.temperatures[0]).toMatchObject({ sensor: 'tool0', target: 205 });
    await waitFor(d, 'done', (s) => s.state === 'done', 15_000);
  });

  it('pauses, resumes and cancels a print; a second print is refused while one runs', async () => {
    const d = await connect('dv1MW0A000');
    const file = writeGcode(tempDir(), 'long.gcode', 500, 100_000);
    await d.print({ path: file, name: 'long.gcode' }, () => undefined, new AbortController().signal);
    await d.pause();
    expect(d.status().state).toBe('paused');
    await expect(d.print({ path: file, name: 'again.gcode' }, () => undefined, new AbortController().signal)).rejects.toMatchObject({ code: 'CONFLICT' });
    await d.resume();
    expect(['heating', 'printing']).toContain(d.status().state);
    await d.cancel();
    await waitFor(d, 'idle after cancel', (s) => s.state === 'idle');
    expect(sim?.printer.phaseKind).toBe('idle');
  });

  it('backs off while the printer is busy and then succeeds', async () => {
    const d = await connect('dv1MW0A000');
    const file = writeGcode(tempDir(), 'busy.gcode', 200, 100_000);
    await d.print({ path: file, name: 'busy.gcode' }, () => undefined, new AbortController().signal);
    sim?.printer.setBusy(500);
    const started = Date.now();
    await d.pause();
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(d.status().state).toBe('paused');
  });

  it('falls back to the other .3w container when the printer reports 0x020D', async () => {
    const d = await connect('dv1MW0A000', { acceptContainers: ['v2'] });
    const progress = progressRecorder();
    await d.print({ path: writeGcode(tempDir(), 'old-fw.gcode'), name: 'old-fw.gcode' }, progress.onProgress, new AbortController().signal);
    expect(sim?.printer.received.map((r) => r.container)).toEqual(['v5', 'v2']);
    expect(progress.phases).toEqual(['converting', 'uploading', 'starting', 'converting', 'uploading', 'starting']);
    await waitFor(d, 'printing', (s) => s.state === 'heating' || s.state === 'printing');
  });

  it('says so in words when the cartridge is missing, and refuses to print', async () => {
    const d = await connect('dv1MW0A000', { cartridge: false });
    await waitFor(d, 'problem', (s) => s.problem !== null);
    expect(d.status().problem?.message).toMatch(/Extruder 1: No filament cartridge/);
    const attempt = d.print({ path: writeGcode(tempDir(), 'x.gcode', 10), name: 'x.gcode' }, () => undefined, new AbortController().signal);
    await expect(attempt).rejects.toBeInstanceOf(AppError);
    await expect(attempt).rejects.toMatchObject({ code: 'DEVICE_ERROR', message: expect.stringMatching(/cartridge/i) });
    expect(sim?.printer.received).toHaveLength(0);
  });

  it('cancels an upload through its AbortSignal; the printer stays usable', async () => {
    const d = await connect('dv1MW0A000');
    sim!.wire.delayMs = 5; // slow the block acks so the upload is still running when we abort
    const controller = new AbortController();
    const big = writeGcode(tempDir(), 'big.gcode', 60_000);
    const attempt = d.print({ path: big, name: 'big.gcode' }, (p) => {
      if (p.phase === 'uploading' && p.sentBytes > 50_000) controller.abort();
    }, controller.signal);
    await expect(attempt).rejects.toMatchObject({ code: 'CANCELLED' });
    sim!.wire.delayMs = 0;
    expect(sim?.printer.received).toHaveLength(0);
    await waitFor(d, 'idle', (s) => s.link === 'online' && s.state === 'idle');
    await d.print({ path: writeGcode(tempDir(), 'small.gcode', 50), name: 'small.gcode' }, () => undefined, new AbortController().signal);
    expect(sim?.printer.received).toHaveLength(1);
  });

  it('survives garbage and a dropped connection: goes offline with a reason and comes back', async () => {
    const d = await connect('dv1MW0A000');
    await sim!.inject({ type: 'garbage', bytes: 300 });
    await new Promise((r) => setTimeout(r, 600));
    expect(d.status().link).toBe('online');
    await sim!.unplug();
    const offline = await waitFor(d, 'offline', (s) => s.link === 'offline');
    expect(offline.problem?.message).toMatch(/closed the connection|refused|did not answer|stopped answering/);
    expect(offline.state).toBe('offline');
    await sim!.replug();
    await waitFor(d, 'back online', (s) => s.link === 'online' && s.state === 'idle', 10_000);
  });
});

describe('da Vinci 1.1 Plus over Wi-Fi (JSON protocol, one connection per command)', () => {
  let sim: XyzSimulator | null = null;
  let driver: XyzDriver | null = null;
  afterEach(async () => {
    await driver?.stop();
    await sim?.stop();
  });

  it('finds the JSON protocol by itself, prints a zip .3w, takes camera snapshots, pauses and stops with the job token', async () => {
    sim = await XyzSimulator.start({ ...SIM, model: 'dvF110B000' });
    driver = makeDriver(sim.address).driver;
    driver.start();
    const s = await waitFor(driver, 'online', (x) => x.link === 'online');
    expect(s).toMatchObject({ model: 'da Vinci 1.1 Plus', state: 'idle', problem: null });
    expect(s.capabilities).toMatchObject({ print: true, camera: true, home: false });
    await driver.print({ path: writeGcode(tempDir(), 'plus.gcode', 300, 100_000), name: 'plus.gcode' }, () => undefined, new AbortController().signal);
    expect(sim.printer.received.map((r) => r.container)).toEqual(['zip']);
    const frame = await driver.captureSnapshot();
    expect(frame.mime).toBe('image/jpeg');
    expect([frame.data[0], frame.data[1]]).toEqual([0xff, 0xd8]);
    await driver.pause();
    expect(driver.status().state).toBe('paused');
    await driver.cancel();
    await waitFor(driver, 'idle', (x) => x.state === 'idle');
  });
});
