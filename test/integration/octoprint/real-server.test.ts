import http from 'node:http';
import type net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/main/log';
import { OctoPrintApi } from '../../../src/main/printers/octoprint/octoprint-api';
import { PushSession } from '../../../src/main/printers/octoprint/push-session';
import { sockjsConnector } from '../../../src/main/printers/octoprint/push-socket';
import { startOctoPrintSimulator } from '../../../sim/octoprint/simulator';
import { gcode, KEY, octoRig, type OctoRig } from './helpers';

const online = (r: OctoRig) => r.status().link === 'online' && r.status().state === 'idle';

/** What a real OctoPrint 1.11.8 did that the connector must follow, with the simulator behaving the same way. */
describe('OctoPrint as the real server behaves', () => {
  let rig: OctoRig | null = null;
  let other: http.Server | null = null;
  afterEach(async () => {
    await rig?.close();
    rig = null;
    other?.closeAllConnections();
    await new Promise<void>((resolve) => (other ? other.close(() => resolve()) : resolve()));
    other = null;
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

  it('keeps push running after the key is revoked, as 1.11.8 does (push is tied to the login session)', async () => {
    // The push session alone, without the rest of Printdeck (whose REST calls — the key check, the
    // history import — notice a revoked key by themselves, see the next test).
    const sim = await startOctoPrintSimulator('octo-push', { name: 'Push only', apiKeys: [KEY], timeScale: 20 });
    const messages: string[] = [];
    let online = false;
    let rejected = false;
    const session = new PushSession(
      { api: new OctoPrintApi(sim.address, KEY), baseUrl: sim.address, connector: sockjsConnector, log: createLogger('push', () => undefined), startJitterMs: 0 },
      {
        connecting: () => undefined,
        online: () => (online = true),
        message: (m) => messages.push(Object.keys(m)[0] ?? ''),
        offline: () => (online = false),
        keyRejected: () => (rejected = true),
      },
    );
    try {
      session.start();
      const until = async (what: string, check: () => boolean) => {
        const deadline = Date.now() + 20_000;
        while (!check()) {
          if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
          await new Promise((r) => setTimeout(r, 25));
        }
      };
      await until('the push link', () => online && messages.length > 0);
      const frames = sim.sim.framesSent;
      const heard = messages.length;
      sim.sim.accounts.revokeKey(KEY);
      await until('push frames after the revocation', () => sim.sim.framesSent > frames + 2 && messages.length > heard + 2);
      expect(sim.sim.pushClients).toBe(1);
      // Push alone cannot tell: the session still sees a healthy link.
      expect(online).toBe(true);
      expect(rejected).toBe(false);
      expect((await fetch(`${sim.sim.baseUrl}/api/job`, { headers: { 'X-Api-Key': KEY } })).status).toBe(403);
    } finally {
      session.stop();
      await sim.stop();
    }
  });

  it('notices a revoked key with a periodic REST check while push is up, then stops and asks to pair again', async () => {
    rig = await octoRig({ driver: { keyCheckMs: 300 } });
    const r = rig;
    await r.waitFor('online', () => online(r));
    await r.waitFor('a key check while online', () => (r.sim.sim.requestCount.get('/api/job') ?? 0) > 0);
    r.sim.sim.accounts.revokeKey(KEY);
    await r.waitFor('key problem', () => r.status().problem?.code === 'octoprint.keyInvalid', 10_000);
    expect(r.status().link).toBe('error');
    expect(r.status().problem?.message).toBe('API key no longer valid — pair again');
    await r.waitFor('push socket closed', () => r.sim.sim.pushClients === 0);
    const checks = r.sim.sim.requestCount.get('/api/job') ?? 0;
    await new Promise((res) => setTimeout(res, 1200));
    expect(r.sim.sim.requestCount.get('/api/job') ?? 0).toBe(checks);
  });

  it('another web server, or a wrong sub-path of an OctoPrint, is "not an OctoPrint server"', async () => {
    other = http.createServer((req, res) => {
      res.writeHead(404, { 'Content-Type': 'text/html' });
      res.end(`<html><body>Cannot GET ${req.url ?? ''}</body></html>`);
    });
    await new Promise<void>((resolve) => other!.listen(0, '127.0.0.1', () => resolve()));
    const port = (other.address() as net.AddressInfo).port;
    rig = await octoRig({ secret: null, address: () => `http://127.0.0.1:${port}` });
    const r = rig;
    await r.call('octoprint.pairStart', { connectionId: r.connectionId });
    const failed = await r.waitFor('pairing ends', () => r.events('octoprint.pairing').find((u) => u.phase === 'failed' || u.phase === 'manualKey'));
    expect(failed.phase).toBe('failed');
    expect(failed.message).toBe(`http://127.0.0.1:${port} is not an OctoPrint server: it does not answer as OctoPrint does. Check the address, its port and any sub-path (an OctoPrint behind a proxy at /octoprint needs it in the address).`);
    await r.close();

    rig = await octoRig({ secret: null, address: (a) => `${a}/octoprint` });
    const wrong = rig;
    await wrong.call('octoprint.pairStart', { connectionId: wrong.connectionId });
    const ended = await wrong.waitFor('pairing ends', () => wrong.events('octoprint.pairing').find((u) => u.phase === 'failed' || u.phase === 'manualKey'));
    expect(ended.phase).toBe('failed');
    expect(ended.message).toMatch(/\/octoprint is not an OctoPrint server/);
  });

  it('an OctoPrint without Application Keys is still told apart: it falls back to pasting a key', async () => {
    rig = await octoRig({ secret: null, appKeys: false });
    const started = await rig.call('octoprint.pairStart', { connectionId: rig.connectionId });
    expect(started.phase).toBe('manualKey');
    expect(started.message).toMatch(/no Application Keys plugin/);
  });

  it('pause or cancel on an idle printer says nothing is printing', async () => {
    rig = await octoRig();
    const r = rig;
    await r.waitFor('online', () => online(r));
    await expect(r.call('printers.pause', { deviceId: r.deviceId })).rejects.toThrow('Nothing is printing, so there is nothing to pause.');
    await expect(r.call('printers.cancel', { deviceId: r.deviceId })).rejects.toThrow('Nothing is printing, so there is nothing to cancel.');
  });

  it('https:// to the plain-HTTP port says to use http:// instead of waiting for a timeout', async () => {
    rig = await octoRig({ address: (a) => a.replace(/^http:/, 'https:') });
    const r = rig;
    const problem = await r.waitFor('a problem', () => r.status().problem, 15_000);
    expect(problem.message).toMatch(/speaks plain HTTP on this port, not HTTPS: use http:\/\/ instead of https:\/\//);
    expect(problem.message).not.toMatch(/did not answer/);
  });

  it('after a cancel the idle printer has no job (OctoPrint keeps the file selected with null progress)', async () => {
    rig = await octoRig({ files: { 'long part.gcode': gcode(4000) } });
    const r = rig;
    await r.waitFor('online', () => online(r));
    await r.call('octoprint.fileSelect', { deviceId: r.deviceId, path: 'long part.gcode', print: true });
    await r.waitFor('printing', () => r.status().state === 'printing' && r.status().job?.name === 'long part.gcode');
    await r.call('printers.cancel', { deviceId: r.deviceId });
    await r.waitFor('idle after the cancel', () => online(r));
    // The server still reports the file, with every progress field null, as 1.11.8 does.
    const job = (await (await fetch(`${r.sim.sim.baseUrl}/api/job`, { headers: { 'X-Api-Key': KEY } })).json()) as { job: { file: { name: string } }; progress: { completion: null } };
    expect(job.job.file.name).toBe('long part.gcode');
    expect(job.progress.completion).toBeNull();
    expect(r.status().job).toBeNull();
  });

  it('offers a snapshot only when OctoPrint reports a usable webcam', async () => {
    rig = await octoRig();
    const withCamera = rig;
    await withCamera.waitFor('camera from the webcam settings', () => withCamera.status().capabilities.camera);
    const shot = await withCamera.call('printers.snapshot', { deviceId: withCamera.deviceId });
    expect(shot.mime).toBe('image/jpeg');
    await withCamera.close();

    // 1.11's defaults: empty URLs, the classic webcam with canSnapshot false.
    rig = await octoRig({ webcam: false });
    const r = rig;
    await r.waitFor('online', () => online(r));
    const settings = (await (await fetch(`${r.sim.sim.baseUrl}/api/settings`, { headers: { 'X-Api-Key': KEY } })).json()) as { webcam: { webcams: { canSnapshot: boolean }[] } };
    expect(settings.webcam.webcams[0]?.canSnapshot).toBe(false);
    await r.waitFor('settings read', () => (r.sim.sim.requestCount.get('/api/settings') ?? 0) >= 2);
    expect(r.status().capabilities.camera).toBe(false);
    await expect(r.call('printers.snapshot', { deviceId: r.deviceId })).rejects.toThrow(/no webcam set up/);
  });

  it('serves /downloads/files/local/<path> as the real server does', async () => {
    const text = gcode(20);
    rig = await octoRig({ files: { 'parts/bracket v2.gcode': text } });
    const base = rig.sim.sim.baseUrl;
    const entry = (await (await fetch(`${base}/api/files/local/parts/bracket%20v2.gcode`, { headers: { 'X-Api-Key': KEY } })).json()) as { refs: { download: string } };
    expect(entry.refs.download).toBe(`${base}/downloads/files/local/parts/bracket%20v2.gcode`);
    const ok = await fetch(entry.refs.download, { headers: { 'X-Api-Key': KEY } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('application/octet-stream');
    expect(ok.headers.get('content-disposition')).toContain('bracket%20v2.gcode');
    expect(Buffer.from(await ok.arrayBuffer()).toString('utf8')).toBe(text);
    expect((await fetch(entry.refs.download)).status).toBe(403);
    expect((await fetch(entry.refs.download, { headers: { 'X-Api-Key': 'NOT-A-KEY-000' } })).status).toBe(403);
    expect((await fetch(`${base}/downloads/files/local/nope.gcode`, { headers: { 'X-Api-Key': KEY } })).status).toBe(404);
  });
});
