import { writeFileSync } from 'node:fs';
import path from 'node:path';
import jpeg from 'jpeg-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../support/test-hub';
import { gcode, octoRig, type OctoRig } from './helpers';

/** The connector against the simulator over real HTTP and SockJS: push, every control, files, printing. */
describe('OctoPrint connector', () => {
  let rig: OctoRig;
  const dir = tempDir('octo-files-');

  beforeAll(async () => {
    rig = await octoRig();
  });
  afterAll(async () => {
    await rig.close();
  });

  it('comes online over the push socket with state and temperatures', async () => {
    const status = await rig.waitFor('online idle with temperatures', () => {
      const s = rig.status();
      return s.link === 'online' && s.state === 'idle' && s.temperatures.length > 0 && s;
    });
    expect(status.stateText).toBe('Operational');
    expect(status.firmware).toBe('OctoPrint 1.11.8');
    expect(status.temperatures.map((t) => t.sensor)).toEqual(['tool0', 'bed']);
    expect(rig.sim.sim.pushClients).toBe(1);
    // Once known, a device's deltas carry what changes, never what it is (name, family, capabilities).
    const before = rig.events('devices.delta').length;
    await new Promise((r) => setTimeout(r, 1000));
    const deltas = rig.events('devices.delta').slice(before) as Record<string, unknown>[];
    for (const d of deltas) expect(Object.keys(d).filter((k) => ['name', 'family', 'connectionId', 'capabilities', 'firmware'].includes(k))).toEqual([]);
  });

  it('sets targets and offsets, jogs, homes and runs G-code with the terminal stream', async () => {
    const { deviceId } = rig;
    await rig.call('octoprint.setTargets', { deviceId, tools: { tool0: 60 }, bed: 40 });
    await rig.waitFor('targets in the status', () => {
      const t = rig.status().temperatures;
      return t.find((x) => x.sensor === 'tool0')?.target === 60 && t.find((x) => x.sensor === 'bed')?.target === 40;
    });
    await rig.call('octoprint.setOffsets', { deviceId, tools: { tool0: 5 }, bed: -2 });
    await rig.waitFor('offsets', () => rig.sim.sim.printer.tool.offset === 5 && rig.sim.sim.printer.bed.offset === -2);
    await rig.call('octoprint.jog', { deviceId, x: 10, y: -5 });
    await rig.call('octoprint.home', { deviceId, axes: ['x', 'y'] });
    await rig.call('octoprint.terminalSend', { deviceId, lines: ['M105'] });
    const lines = await rig.waitFor('terminal lines', () => {
      const all = rig.events('octoprint.logs').flatMap((b) => b.lines);
      return all.some((l) => l.startsWith('Recv: T:')) && all;
    });
    expect(lines).toContain('Send: G1 X10 Y-5 F6000');
    expect(lines).toContain('Send: G28 X0 Y0');
    expect(lines).toContain('Send: M105');
    const backlog = await rig.call('octoprint.terminalBacklog', { deviceId });
    expect(backlog.lines).toContain('Send: M105');
    const details = await rig.call('octoprint.details', { deviceId });
    expect(details).toMatchObject({ serverVersion: '1.11.8', connectionState: 'Operational', port: 'VIRTUAL', baudrate: 115200, operational: true });
    expect(details.ports).toContain('VIRTUAL');
  });

  it('disconnects and connects the printer with port and baud rate; controls say why they fail meanwhile', async () => {
    const { deviceId } = rig;
    await rig.call('octoprint.disconnect', { deviceId });
    await rig.waitFor('offline printer', () => rig.status().state === 'offline' && rig.status().link === 'online');
    await expect(rig.call('octoprint.jog', { deviceId, z: 1 })).rejects.toThrow(/not operational/);
    await expect(rig.call('octoprint.connect', { deviceId, port: '/dev/nope', baudrate: 115200 })).rejects.toThrow(/port is invalid/);
    await rig.call('octoprint.connect', { deviceId, port: '/dev/ttyUSB0', baudrate: 250000 });
    await rig.waitFor('operational again', () => rig.status().state === 'idle');
    const details = await rig.call('octoprint.details', { deviceId });
    expect(details).toMatchObject({ port: '/dev/ttyUSB0', baudrate: 250000 });
  });

  it('uploads to the file list with progress, lists, refuses paths over the network, selects and deletes', async () => {
    const { deviceId } = rig;
    const file = path.join(dir, 'bracket v2.gcode');
    writeFileSync(file, gcode(3000));
    await expect(rig.call('octoprint.upload', { deviceId, file: { kind: 'path', path: file } }, 'websocket')).rejects.toThrow(/send the file itself/);
    const { uploadId } = await rig.call('octoprint.upload', { deviceId, file: { kind: 'path', path: file } });
    const done = await rig.waitFor('upload done', () => rig.events('octoprint.upload').find((p) => p.uploadId === uploadId && p.phase !== 'uploading'));
    expect(done.phase).toBe('done');
    expect(done.sentBytes).toBe(done.totalBytes);
    await rig.waitFor('files changed event', () => rig.events('octoprint.filesChanged').some((e) => e.deviceId === deviceId));
    const list = await rig.call('octoprint.files', { deviceId });
    const entry = list.files.find((f) => f.path === 'bracket v2.gcode');
    expect(entry).toMatchObject({ display: 'bracket v2.gcode', busy: false });
    expect(entry?.size).toBeGreaterThan(10_000);
    await rig.call('octoprint.fileSelect', { deviceId, path: 'bracket v2.gcode', print: false });
    // Selected, not printing: the server holds the file, but an idle printer shows no job.
    await rig.waitFor('selected on the server', () => rig.sim.sim.printer.selected?.path === 'bracket v2.gcode');
    expect(rig.status().job).toBeNull();
    await rig.call('octoprint.fileDelete', { deviceId, path: 'bracket v2.gcode' });
    expect((await rig.call('octoprint.files', { deviceId })).files.some((f) => f.path === 'bracket v2.gcode')).toBe(false);
    await expect(rig.call('octoprint.fileDelete', { deviceId, path: 'bracket v2.gcode' })).rejects.toThrow(/Not found/);
    const bad = path.join(dir, 'model.stl');
    writeFileSync(bad, 'solid x');
    await expect(rig.call('octoprint.upload', { deviceId, file: { kind: 'path', path: bad } })).rejects.toThrow(/G-code/);
  });

  it('prints through the generic surface: upload with progress, then pause, resume, cancel; a second print finishes', async () => {
    const { deviceId } = rig;
    const file = path.join(dir, 'benchy.gcode');
    // ≈ 15 MB: more than loopback socket buffers hold, so a stalled server stops the upload part-way.
    writeFileSync(file, gcode(500_000));
    // A server that stalls before reading the body: the upload stops part-way, however fast this machine is,
    // so the partial progress is reported before anything else can happen.
    const release = rig.sim.sim.holdUploads();
    const { transferId } = await rig.call('printers.print', { deviceId, file: { kind: 'path', path: file } });
    const partial = await rig.waitFor('partial progress', () =>
      rig.events('printers.transfer').find((p) => p.transferId === transferId && p.phase === 'uploading' && p.sentBytes > 0 && p.sentBytes < p.totalBytes),
    );
    expect(partial.totalBytes).toBeGreaterThan(partial.sentBytes);
    release();
    const transfer = await rig.waitFor('transfer done', () => rig.events('printers.transfer').find((p) => p.transferId === transferId && p.phase === 'done'));
    expect(transfer.sentBytes).toBe(transfer.totalBytes);
    const printing = await rig.waitFor('printing with progress', () => {
      const s = rig.status();
      return s.state === 'printing' && (s.job?.progress ?? 0) > 0 && s.temperatures.find((t) => t.sensor === 'tool0')?.target === 200 && s;
    });
    expect(printing.job?.name).toBe('benchy.gcode');

    await rig.call('printers.pause', { deviceId });
    await rig.waitFor('paused', () => rig.status().state === 'paused');
    await rig.call('printers.resume', { deviceId });
    await rig.waitFor('printing again', () => rig.status().state === 'printing');
    await rig.call('printers.cancel', { deviceId });
    await rig.waitFor('idle after cancel', () => rig.status().state === 'idle');
    await expect(rig.call('printers.cancel', { deviceId })).rejects.toThrow('Nothing is printing, so there is nothing to cancel.');

    writeFileSync(file, gcode(150));
    await rig.call('printers.print', { deviceId, file: { kind: 'path', path: file } });
    await rig.waitFor('done', () => rig.status().state === 'done', 15_000);
    const history = await rig.call('printers.temperatureHistory', { deviceId });
    expect(history.samples.length).toBeGreaterThan(0);
  });

  it('takes a webcam snapshot from the OctoPi-style URL', async () => {
    const snap = await rig.call('printers.snapshot', { deviceId: rig.deviceId });
    expect(snap.mime).toBe('image/jpeg');
    const image = jpeg.decode(Buffer.from(snap.dataBase64, 'base64'));
    expect([image.width, image.height]).toEqual([320, 240]);
  });

  it('home and jog through the generic maintenance call; unsupported actions say so', async () => {
    // Independent of the tests before it: the printer is idle (a print left running is cancelled).
    await rig.waitFor('printer settled', () => ['idle', 'done', 'printing', 'paused'].includes(rig.status().state));
    if (['printing', 'paused'].includes(rig.status().state)) await rig.call('printers.cancel', { deviceId: rig.deviceId });
    await rig.waitFor('idle', () => ['idle', 'done'].includes(rig.status().state));
    await rig.call('printers.maintenance', { deviceId: rig.deviceId, action: { type: 'home' } });
    await rig.call('printers.maintenance', { deviceId: rig.deviceId, action: { type: 'jog', axis: 'z', mm: 5 } });
    await expect(rig.call('printers.maintenance', { deviceId: rig.deviceId, action: { type: 'calibrate' } })).rejects.toThrow(/no such maintenance/);
  });
});
