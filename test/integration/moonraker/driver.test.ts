import { statSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../support/test-hub';
import { gcodeFile, KEY, moonRig, type MoonRig } from './helpers';

/** The Moonraker driver against the simulated Moonraker + Klipper over real HTTP and WebSocket. */
describe('Moonraker driver', () => {
  let rig: MoonRig | null = null;
  const dir = tempDir('moon-files-');
  afterEach(async () => {
    await rig?.close();
    rig = null;
  });

  const ready = (r: MoonRig) => r.waitFor('ready and idle with temperatures', () => {
    const s = r.driver.status();
    return s.link === 'online' && s.state === 'idle' && s.temperatures.length === 2 && s;
  });

  it('connects (address without scheme), reads Klipper and Moonraker versions, temperatures and maintenance by G-code', async () => {
    const r = (rig = await moonRig());
    const s = await ready(r);
    expect(s.family).toBe('moonraker');
    // Klipper's version comes with printer.info once Klippy is ready, which may be a status or two after the first.
    const versioned = await r.waitFor('Klipper version', () => r.driver.status().firmware?.includes('Klipper') && r.driver.status());
    expect(versioned.firmware).toContain('Klipper v0.13.0');
    expect(s.temperatures.map((t) => t.sensor)).toEqual(['tool0', 'bed']);
    await r.driver.setTemperature('extruder', 60);
    await r.waitFor('extruder target in the status', () => r.driver.status().temperatures.find((t) => t.sensor === 'tool0')?.target === 60);
    await expect(r.driver.maintenance({ type: 'jog', axis: 'x', mm: 10 })).rejects.toThrow(/Home the printer first/);
    await expect(r.driver.gcode('G1 X5')).rejects.toThrow(/Klipper said: Must home axis first/);
    await r.driver.maintenance({ type: 'home' });
    // The homed axes reach the driver with the next status push; until then it asks for homing.
    let jog: Promise<unknown> | null = null;
    let jogged = false;
    await r.waitFor('jog accepted once homing is reported', () => {
      jog ??= r.driver.maintenance({ type: 'jog', axis: 'x', mm: 10 }).then(
        () => (jogged = true),
        () => (jog = null),
      );
      return jogged;
    });
    expect(r.sim.sim.klipper.position[0]).toBe(10);
    expect(r.sim.sim.klipper.relative).toBe(false);
    await expect(r.driver.maintenance({ type: 'calibrate' })).rejects.toThrow(/no generic command/);
    const frame = await r.driver.captureSnapshot();
    expect(frame.mime).toBe('image/jpeg');
  });

  it('prints an uploaded file with upload progress, follows it, pauses, resumes and cancels; the job lands in the history', async () => {
    const r = (rig = await moonRig({ bytesPerSecond: 200 }));
    await ready(r);
    const file = gcodeFile(dir, 'part.gcode', 200_000);
    const progress: number[] = [];
    await r.driver.print({ path: file, name: 'part.gcode' }, (p) => progress.push(p.sentBytes), new AbortController().signal);
    expect(progress.at(-1)).toBe(statSync(file).size);
    expect((await r.driver.listFiles()).map((f) => f.path)).toContain('part.gcode');
    const printing = await r.waitFor('printing with progress', () => {
      const s = r.driver.status();
      return s.state === 'printing' && (s.job?.progress ?? 0) > 0 && s;
    });
    expect(printing.job?.name).toBe('part.gcode');
    await expect(r.driver.print({ path: file, name: 'other.gcode' }, () => undefined, new AbortController().signal)).rejects.toThrow(/printing already/);
    await r.driver.pause();
    await r.waitFor('paused', () => r.driver.status().state === 'paused');
    await r.driver.resume();
    await r.waitFor('printing again', () => r.driver.status().state === 'printing');
    await r.driver.cancel();
    await r.waitFor('idle after cancel', () => r.driver.status().state === 'idle');
    const history = await r.driver.history({ limit: 10 });
    expect(history.count).toBe(1);
    expect(history.jobs[0]).toMatchObject({ filename: 'part.gcode', status: 'cancelled' });
  });

  it('prints a small file to done', async () => {
    const r = (rig = await moonRig({ bytesPerSecond: 5_000 }));
    await ready(r);
    const file = gcodeFile(dir, 'small.gcode', 5_000);
    await r.driver.print({ path: file, name: 'small.gcode' }, () => undefined, new AbortController().signal);
    const done = await r.waitFor('done', () => r.driver.status().state === 'done' && r.driver.status());
    expect(done.job).toMatchObject({ name: 'small.gcode', progress: 1 });
  });

  it('klippy shutdown shows the reason in words; after a firmware restart it is ready again and status flows (re-subscribed)', async () => {
    const r = (rig = await moonRig());
    await ready(r);
    r.sim.sim.shutdownKlippy('Heater extruder not heating at expected rate');
    const down = await r.waitFor('shutdown', () => r.driver.status().problem?.code === 'moonraker.klippyShutdown' && r.driver.status().problem?.message.includes('not heating') && r.driver.status());
    expect(down.state).toBe('error');
    expect(down.problem?.message).toMatch(/FIRMWARE_RESTART/);
    await expect(r.driver.maintenance({ type: 'home' })).rejects.toThrow(/Klipper is not ready/);
    await r.driver.firmwareRestart();
    await ready(r);
    // Fresh values arrive only through a new subscription: Moonraker dropped the old one.
    await r.driver.setTemperature('heater_bed', 50);
    await r.waitFor('bed target after restart', () => r.driver.status().temperatures.find((t) => t.sensor === 'bed')?.target === 50);
  });

  it('a Klippy startup error is found by polling and cleared by a restart', async () => {
    const r = (rig = await moonRig());
    await ready(r);
    r.sim.sim.failKlippyStartup();
    const failed = await r.waitFor('klippy error', () => r.driver.status().state === 'error' && r.driver.status());
    expect(failed.problem?.message).toMatch(/Unable to connect/);
    await r.driver.firmwareRestart();
    await ready(r);
  });

  it('reconnects by itself after Moonraker restarts and keeps following the print', async () => {
    const r = (rig = await moonRig({ bytesPerSecond: 100 }));
    await ready(r);
    await r.driver.print({ path: gcodeFile(dir, 'long.gcode', 100_000), name: 'long.gcode' }, () => undefined, new AbortController().signal);
    await r.waitFor('printing', () => r.driver.status().state === 'printing');
    await r.sim.inject({ type: 'restart', downMs: 300 });
    await r.waitFor('offline', () => r.driver.status().link !== 'online');
    await r.waitFor('printing again after the restart', () => r.driver.status().link === 'online' && r.driver.status().state === 'printing', 15_000);
    const before = r.driver.status().job?.progress ?? 0;
    await r.waitFor('progress moving', () => (r.driver.status().job?.progress ?? 0) > before);
  });

  it('a wrong API key is an error in words, not a retry storm', async () => {
    const r = (rig = await moonRig({ secret: 'ffffffffffffffffffffffffffffffff' }));
    const s = await r.waitFor('key refused', () => r.driver.status().problem?.code === 'moonraker.keyInvalid' && r.driver.status());
    expect(s.link).toBe('error');
    expect(s.problem?.message).toMatch(/Invalid API Key/);
    await expect(r.driver.pause()).rejects.toThrow(/API key/);
    expect(KEY).not.toBe('ffffffffffffffffffffffffffffffff');
  });

  it('no key where one is needed says so', async () => {
    const r = (rig = await moonRig({ secret: null }));
    const s = await r.waitFor('key needed', () => r.driver.status().problem?.code === 'moonraker.keyInvalid' && r.driver.status());
    expect(s.problem?.message).toMatch(/requires an API key/);
  });
});
