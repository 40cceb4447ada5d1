import { afterEach, describe, expect, it } from 'vitest';
import { octoRig, type OctoRig } from './helpers';

/** What a real OctoPrint 1.11.8 did that the connector must follow, with the simulator behaving the same way. */
describe('OctoPrint as the real server behaves', () => {
  let rig: OctoRig | null = null;
  afterEach(async () => {
    await rig?.close();
    rig = null;
  });

  it("charts OctoPrint's own temperature backlog, on OctoPrint's clock", async () => {
    const hostStarted = Date.now();
    // The server had been up for 12 minutes: its `history` message carries ~360 points from before we connected.
    rig = await octoRig({ uptimeMinutes: 12 });
    const r = rig;
    await r.waitFor('online', () => r.status().link === 'online');
    await r.waitFor('the first status with temperatures', () => r.status().temperatures.length > 0);
    const samples = (await r.call('printers.temperatureHistory', { deviceId: r.deviceId })).samples;
    const tool = samples.filter((s) => s.sensor === 'tool0');
    expect(tool.length).toBeGreaterThanOrEqual(300);
    // Stamped with the server's time, reaching back before this host started.
    expect(tool[0]!.t).toBeLessThan(hostStarted - 10 * 60_000);
    expect(tool.every((s, i) => i === 0 || s.t >= tool[i - 1]!.t)).toBe(true);
    expect(samples.some((s) => s.sensor === 'bed')).toBe(true);
  });
});
