import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { MarlinSimulator } from '../../../sim/marlin/simulator';
import { hasSocat } from '../../../sim/xyz/pty-link';
import type { MarlinDriver } from '../../../src/main/printers/marlin/marlin-driver';
import { commandsOf, jobCommands, makeDriver, startSim, tempDir, waitFor, writeGcode } from './marlin-helpers';

const socat = hasSocat();
if (!socat) console.warn('[marlin] socat is not installed: the pty (USB serial) tests are skipped.');

const noProgress = (): void => undefined;

// Skipped only where socat is missing (scripts/setup and .ci/run install it): the pty pair comes from socat.
describe.skipIf(!socat)('Marlin driver over a real pty (simulated firmware, baud rate and line noise)', () => {
  let sim: MarlinSimulator | null = null;
  let driver: MarlinDriver | null = null;
  afterEach(async () => {
    await driver?.stop();
    await sim?.stop();
    driver = null;
    sim = null;
  });

  async function connect(options: Parameters<typeof startSim>[0] = {}, address?: (s: MarlinSimulator) => string): Promise<MarlinDriver> {
    sim = await startSim(options);
    driver = makeDriver(address ? address(sim) : sim.address).driver;
    driver.start();
    await waitFor(driver, 'online', (s) => s.link === 'online' && s.state === 'idle');
    return driver;
  }

  it('prints a file over a link that corrupts 1 % of lines: the firmware runs exactly the file, once each', async () => {
    const d = await connect({ baud: 250000, noise: 0.01, seed: 7 });
    expect(d.status()).toMatchObject({ family: 'marlin', model: 'Printdeck Sim' });
    expect(d.status().firmware).toMatch(/^Marlin 2\.1/);
    const file = writeGcode(tempDir(), 'part.gcode', 1_500);
    const before = sim!.firmware.executed.length;
    await d.print({ path: file, name: 'part.gcode' }, noProgress, new AbortController().signal);
    await waitFor(d, 'done', (s) => s.state === 'done', 60_000);
    expect(sim!.corruptedLines).toBeGreaterThan(5);
    expect(sim!.firmware.lineErrors).toBeGreaterThan(0);
    expect(jobCommands(sim!.firmware.executed, before)).toEqual(commandsOf(readFileSync(file, 'utf8')));
    expect(d.status().job?.progress).toBe(1);
  });

  it('keeps the firmware queue full with ADVANCED_OK without overrunning its receive buffer', async () => {
    const d = await connect({ baud: 250000, advancedOk: true });
    const file = writeGcode(tempDir(), 'fast.gcode', 1_500);
    const before = sim!.firmware.executed.length;
    await d.print({ path: file, name: 'fast.gcode' }, noProgress, new AbortController().signal);
    await waitFor(d, 'done', (s) => s.state === 'done', 60_000);
    expect(sim!.firmware.rxDroppedBytes).toBe(0);
    expect(sim!.firmware.lineErrors).toBe(0);
    expect(jobCommands(sim!.firmware.executed, before)).toEqual(commandsOf(readFileSync(file, 'utf8')));
  });

  it('pauses (parks the head), resumes (returns) and cancels (heaters off), sending the file lines once', async () => {
    const d = await connect({ baud: 115200, advancedOk: true, moveMs: 15 });
    const file = writeGcode(tempDir(), 'long.gcode', 4_000);
    const before = sim!.firmware.executed.length;
    await d.print({ path: file, name: 'long.gcode' }, noProgress, new AbortController().signal);
    await waitFor(d, 'printing past the heat-up', (s) => (s.job?.progress ?? 0) > 0.05);
    await d.pause();
    expect(d.status().state).toBe('paused');
    const ranAtPause = sim!.firmware.executed.length;
    expect(sim!.firmware.executed.slice(-4)).toEqual(['G91', 'G1 Z5 F600', 'G90', 'M83']);
    await new Promise((r) => setTimeout(r, 300));
    expect(sim!.firmware.executed.length).toBe(ranAtPause);
    await d.resume();
    await waitFor(d, 'more progress', (s) => s.state === 'printing' && sim!.firmware.executed.length > ranAtPause + 50);
    await d.cancel();
    expect(d.status()).toMatchObject({ state: 'idle', job: null });
    const ran = jobCommands(sim!.firmware.executed, before);
    const file_ = commandsOf(readFileSync(file, 'utf8'));
    // Up to the pause, the file's lines; then the park and unpark moves; then the file goes on where it stopped.
    const parkAt = ran.indexOf('G1 Z5 F600') - 1;
    expect(ran.slice(0, parkAt)).toEqual(file_.slice(0, parkAt));
    expect(ran.slice(parkAt, parkAt + 8)).toEqual(['G91', 'G1 Z5 F600', 'G90', 'M83', 'G91', 'G1 Z-5 F600', 'G90', 'M83']);
    const cooldown = ran.lastIndexOf('M104 S0');
    expect(ran.slice(parkAt + 8, cooldown)).toEqual(file_.slice(parkAt, parkAt + cooldown - parkAt - 8));
    expect(ran.slice(cooldown)).toEqual(['M104 S0', 'M140 S0', 'M107', 'G91', 'G1 Z10 F600', 'G90', 'M83']);
    expect(sim!.firmware.temperatures.hotend.target).toBe(0);
  });

  it('stops on thermal runaway and says why in words', async () => {
    const d = await connect({ baud: 115200, moveMs: 10 });
    const file = writeGcode(tempDir(), 'burn.gcode', 3_000);
    await d.print({ path: file, name: 'burn.gcode' }, noProgress, new AbortController().signal);
    await waitFor(d, 'printing', (s) => (s.job?.progress ?? 0) > 0.02);
    sim!.firmware.thermalRunaway('E0');
    const s = await waitFor(d, 'error', (st) => st.state === 'error');
    expect(s.problem?.code).toBe('marlin.halted');
    expect(s.problem?.message).toMatch(/Thermal runaway on hotend E0/);
    // Streaming stopped where it was; the job stays shown with its progress at that point.
    expect(s.stateText).toMatch(/halted/);
    await expect(d.pause()).rejects.toThrow(/Thermal runaway/);
  });

  it('finds the baud rate when the address names none (250000 after 115200 gets noise)', async () => {
    const d = await connect({ baud: 250000, baudInAddress: false });
    expect(d.status().link).toBe('online');
    expect(d.capability('AUTOREPORT_TEMP')).toBe(true);
  });

  it('waits for the banner of a board that resets when the port opens, and reconnects after a reset', async () => {
    const d = await connect({ baud: 115200, bootMs: 600 });
    sim!.reset();
    await waitFor(d, 'reconnecting', (s) => s.link !== 'online');
    await waitFor(d, 'online again', (s) => s.link === 'online' && s.state === 'idle');
  });
});
