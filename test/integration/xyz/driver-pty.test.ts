import { afterEach, describe, expect, it } from 'vitest';
import { hasSocat } from '../../../sim/xyz/pty-link';
import { XyzSimulator } from '../../../sim/xyz/simulator';
import type { XyzDriver } from '../../../src/main/printers/xyz/driver';
import { SerialTransport } from '../../../src/main/printers/xyz/transport';
import { makeDriver, progressRecorder, tempDir, waitFor, writeGcode } from './xyz-helpers';

const socat = hasSocat();
if (!socat) console.warn('[xyz] socat is not installed: the pty (USB) tests are skipped.');

describe.skipIf(!socat)('da Vinci driver over a real pty through serialport (USB CDC, no terminators)', () => {
  let sim: XyzSimulator | null = null;
  let driver: XyzDriver | null = null;
  afterEach(async () => {
    await driver?.stop();
    await sim?.stop();
    driver = null;
    sim = null;
  });

  async function start(address?: (s: XyzSimulator) => string, deps = {}): Promise<XyzDriver> {
    sim = await XyzSimulator.start({ transport: 'pty', model: 'dv1NX0A000', workDir: tempDir(), timeScale: 200, fileCheckSec: 20, doneHoldSec: 200 });
    driver = makeDriver(address ? address(sim) : sim.address, {}, deps).driver;
    driver.start();
    await waitFor(driver, 'online', (s) => s.link === 'online');
    return driver;
  }

  it('connects to the nano, identifies it, prints a G-code file and follows it to done', async () => {
    const d = await start();
    expect(d.status()).toMatchObject({ model: 'da Vinci nano', state: 'idle', firmware: '3.2.0' });
    // The nano has no heated bed: no bed temperature is shown (it reports b:0).
    expect(d.status().temperatures.map((t) => t.sensor)).toEqual(['tool0']);
    const progress = progressRecorder();
    await d.print({ path: writeGcode(tempDir(), 'nano part.gcode'), name: 'nano part.gcode' }, progress.onProgress, new AbortController().signal);
    expect(progress.phases).toEqual(['converting', 'uploading', 'starting']);
    expect(sim?.printer.received.map((r) => [r.name, r.container])).toEqual([['nano_part.3w', 'v5']]);
    await waitFor(d, 'done', (s) => s.state === 'done', 15_000);
  });

  it('unplugged mid-upload: a clear error, the device goes offline, and it recovers when the port returns', async () => {
    const d = await start();
    sim!.wire.delayMs = 2; // keep the upload going long enough to pull the cable in the middle
    let pulled = false;
    const attempt = d.print({ path: writeGcode(tempDir(), 'big.gcode', 40_000), name: 'big.gcode' }, (p) => {
      if (!pulled && p.phase === 'uploading' && p.sentBytes > 40_000) {
        pulled = true;
        void sim!.unplug();
      }
    }, new AbortController().signal);
    await expect(attempt).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringMatching(/unplugged|gone/) });
    const offline = await waitFor(d, 'offline', (s) => s.link === 'offline');
    expect(offline.problem?.message).toMatch(/unplugged|gone|not plugged/);
    expect(sim?.printer.received).toHaveLength(0);
    sim!.wire.delayMs = 0;
    await sim!.replug();
    await waitFor(d, 'back online', (s) => s.link === 'online' && s.state === 'idle', 10_000);
    await d.print({ path: writeGcode(tempDir(), 'after.gcode', 100), name: 'after.gcode' }, () => undefined, new AbortController().signal);
    expect(sim?.printer.received).toHaveLength(1);
  });

  it('keeps working through garbage and dropped bytes on the line', async () => {
    const d = await start();
    sim!.wire.garbageBytes = 200;
    await new Promise((r) => setTimeout(r, 500));
    sim!.wire.dropBytes = 37;
    await new Promise((r) => setTimeout(r, 800));
    expect(d.status().link).toBe('online');
    const before = d.status().updatedAt;
    await waitFor(d, 'fresh polls', (s) => s.updatedAt > before && s.state === 'idle');
  });

  it('finds the printer by USB serial number (usb://) among the listed ports, never opening others', async () => {
    const opened: string[] = [];
    const d = await start(
      () => 'usb://3FN1XPUS5TH7CM0041',
      {
        listPorts: async () => [
          { path: '/dev/ttyS0' },
          { path: '/dev/ttyUSB7', manufacturer: 'FTDI', vendorId: '0403', serialNumber: '3FN1XPUS5TH7CM0041' },
          { path: sim!.address.replace('serial://', ''), manufacturer: 'XYZprinting', vendorId: '11F1', productId: '2519', serialNumber: '3FN1XPUS5TH7CM0041' },
        ],
        openSerial: (p: string) => {
          opened.push(p);
          return new SerialTransport(p);
        },
      },
    );
    expect(opened).toEqual([sim!.address.replace('serial://', '')]);
    expect(d.status()).toMatchObject({ link: 'online', serial: '3FN1XPUS5TH7CM0041' });
  });
});
