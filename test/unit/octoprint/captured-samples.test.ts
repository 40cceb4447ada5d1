import { describe, expect, it } from 'vitest';
import {
  AppKeyRequestResponse,
  AppKeysListResponse,
  ConnectionResponse,
  CurrentUserResponse,
  decodePushMessage,
  FilesListResponse,
  FileEntry,
  JobResponse,
  KnownEventPayloads,
  LoginResponse,
  PrinterResponse,
  PrinterStateInfo,
  readEvent,
  ServerResponse,
  SettingsResponse,
  TemperatureState,
  UploadResponse,
  VersionResponse,
  type KnownEventName,
} from '../../../src/main/printers/octoprint/protocol';
import { pick, record, samples1, samples2 } from './samples';

const rest = (key: string) => pick(samples1, 'rest', key);

describe('captured REST replies parse', () => {
  it('version and server', () => {
    expect(VersionResponse.parse(rest('version'))).toEqual({
      api: '0.1',
      server: '1.11.8',
      text: 'OctoPrint 1.11.8',
    });
    expect(ServerResponse.parse(rest('server'))).toEqual({ version: '1.11.8', safemode: null });
  });

  it('connection while operational and after an error (port/baudrate null)', () => {
    const connection = ConnectionResponse.parse(rest('connection'));
    expect(connection.current).toMatchObject({
      state: 'Operational',
      port: 'VIRTUAL',
      baudrate: 115200,
    });
    expect(connection.options.ports).toContain('VIRTUAL');
    const afterError = ConnectionResponse.shape.current.parse(samples2['connectionAfterError']);
    expect(afterError).toEqual({
      state: 'Closed',
      port: null,
      baudrate: null,
      printerProfile: '_default',
    });
  });

  it('printer state with temperatures and history', () => {
    const printer = PrinterResponse.parse(rest('printer'));
    expect(printer.state?.text).toBe('Operational');
    expect(printer.temperature?.['tool0']).toEqual({ actual: 31.36, target: 50, offset: 5 });
    expect(printer.temperature?.history).toHaveLength(2);
    expect(printer.sd?.ready).toBe(true);
  });

  it('tool and bed parts (the bed history was captured without `time`)', () => {
    expect(TemperatureState.parse(rest('printerTool'))['tool0']).toEqual({
      actual: 31.36,
      offset: 5,
      target: 50,
    });
    const bed = TemperatureState.parse(rest('printerBed'));
    expect(bed['bed']).toMatchObject({ target: 40 });
    expect(bed.history?.[0]?.time).toBeUndefined();
  });

  it('jobs while printing, paused and after cancel', () => {
    expect(JobResponse.parse(rest('jobPrinting')).progress.completion).toBeCloseTo(39.37, 2);
    expect(JobResponse.parse(rest('jobPaused')).state).toBe('Paused');
    const afterCancel = JobResponse.parse(rest('jobAfterCancel'));
    expect(afterCancel.state).toBe('Operational');
    expect(afterCancel.progress.completion).toBeNull();
  });

  it('file list, one file, upload answer', () => {
    const list = FilesListResponse.parse(rest('files'));
    expect(list.files[0]).toMatchObject({
      name: 'acceptance test.gcode',
      type: 'machinecode',
      origin: 'local',
    });
    expect(list.free).toBe(83307700224);
    expect(FileEntry.parse(rest('fileInfo')).gcodeAnalysis?.estimatedPrintTime).toBeCloseTo(
      251.47,
      2,
    );
    const upload = UploadResponse.parse(rest('upload'));
    expect(upload).toMatchObject({
      done: true,
      effectivePrint: true,
      files: { local: { path: 'acceptance test.gcode' } },
    });
  });

  it('webcam settings (webcam section + classicwebcam plugin settings)', () => {
    const captured = record(rest('settingsWebcam'));
    const settings = SettingsResponse.parse({
      webcam: captured['webcam'],
      plugins: { classicwebcam: captured['classicwebcam'] },
    });
    expect(settings.webcam?.streamUrl).toBe('');
    expect(settings.webcam?.webcams?.[0]?.provider).toBe('classicwebcam');
    expect(settings.plugins?.classicwebcam?.stream).toBe('');
  });

  it('passive login, current user and the appkeys replies', () => {
    const login = LoginResponse.parse(samples2['passiveLogin']);
    expect(login.name).toBe('admin');
    expect(login.session).toMatch(/^[0-9a-f]{64}$/);
    expect(CurrentUserResponse.parse(samples2['currentuser']).name).toBe('admin');
    const request = AppKeyRequestResponse.parse(pick(samples2, 'appkeysRequest', 'body'));
    expect(request.auth_dialog).toContain('/plugin/appkeys/auth/');
    const list = AppKeysListResponse.parse(samples2['appkeysList']);
    expect(list.pending).not.toBeInstanceOf(Array);
  });

  it('state after a firmware error', () => {
    const state = PrinterStateInfo.parse(samples2['currentAfterError']);
    expect(state).toMatchObject({
      text: 'Offline after error',
      error: 'MAXTEMP triggered! - Not SD printing',
    });
    expect(state.flags.error).toBe(false);
  });
});

describe('captured push messages decode', () => {
  const messages = record(pick(samples1, 'messages'));

  it.each(['connected', 'history', 'current', 'timelapse', 'plugin'])('%s', (type) => {
    const decoded = decodePushMessage({ [type]: messages[type] });
    expect(decoded.type).toBe(type);
  });

  it('current while printing keeps job and progress', () => {
    const decoded = decodePushMessage({ current: messages['current_printing'] });
    if (decoded.type !== 'current') throw new Error(`decoded as ${decoded.type}`);
    expect(decoded.payload.job.file.name).toBe('acceptance test.gcode');
    expect(decoded.payload.job.filament).toEqual({ tool0: { length: 24, volume: 0 } });
    expect(decoded.payload.busyFiles).toEqual([{ origin: 'local', path: 'acceptance test.gcode' }]);
  });

  it('the no-file job has the flat null filament shape, not per tool', () => {
    const decoded = decodePushMessage({ history: messages['history'] });
    if (decoded.type !== 'history') throw new Error(`decoded as ${decoded.type}`);
    expect(decoded.payload.job.filament).toEqual({ length: null, volume: null });
    expect(decoded.payload.busyFiles).toBeUndefined();
  });

  const events = Object.entries(record(pick(samples1, 'events')));
  it.each(events)('event %s', (name, payload) => {
    const decoded = decodePushMessage({ event: { type: name, payload } });
    if (decoded.type !== 'event') throw new Error(`decoded as ${decoded.type}`);
    const event = readEvent(decoded.payload);
    const isKnown = Object.prototype.hasOwnProperty.call(KnownEventPayloads, name);
    expect(event.kind).toBe(isKnown ? 'known' : 'other');
    expect(event.name).toBe(name);
  });

  it('every captured event name is typed or passed on, never invalid', () => {
    const order = pick(samples1, 'eventOrder') as string[];
    for (const name of order) {
      const payload = record(pick(samples1, 'events'))[name] ?? null;
      const decoded = decodePushMessage({ event: { type: name, payload } });
      expect(decoded.type).toBe('event');
    }
  });

  it('the firmware Error event is typed', () => {
    const decoded = decodePushMessage({
      event: { type: 'Error', payload: samples2['errorEvent'] },
    });
    if (decoded.type !== 'event') throw new Error(`decoded as ${decoded.type}`);
    const event = readEvent(decoded.payload);
    if (event.kind !== 'known' || event.name !== 'Error')
      throw new Error('not a typed Error event');
    expect(event.payload).toMatchObject({
      reason: 'firmware',
      consequence: 'emergency',
      faq: 'firmware-maxtemp',
    });
  });

  it('the captured connected message lists permissions', () => {
    const decoded = decodePushMessage({ connected: messages['connected'] });
    if (decoded.type !== 'connected') throw new Error(`decoded as ${decoded.type}`);
    expect(decoded.payload.version).toBe('1.11.8');
    expect(decoded.payload.permissions.map((p) => p.key)).toContain('STATUS');
  });

  it('known event schemas reject a payload of the wrong shape', () => {
    const name: KnownEventName = 'PrinterStateChanged';
    const event = readEvent({ type: name, payload: { state: 'x' } });
    expect(event.kind).toBe('invalid');
  });
});

describe('shapes the spec describes but the capture does not cover', () => {
  it('a recursive list with nested folders and an SD card listing', async () => {
    const { FilesListResponse } = await import('../../../src/main/printers/octoprint/protocol');
    const capturedFile = rest('fileInfo');
    const list = FilesListResponse.parse({
      files: [
        {
          name: 'jobs',
          path: 'jobs',
          display: 'jobs',
          origin: 'local',
          type: 'folder',
          typePath: ['folder'],
          size: 1420,
          refs: { resource: 'http://127.0.0.1:5000/api/files/local/jobs' },
          children: [
            {
              name: 'deeper',
              path: 'jobs/deeper',
              type: 'folder',
              origin: 'local',
              children: [{ ...record(capturedFile), path: 'jobs/deeper/acceptance test.gcode' }],
            },
          ],
        },
        {
          name: 'CUBE~1.GCO',
          path: 'CUBE~1.GCO',
          display: 'cube.gco',
          origin: 'sdcard',
          type: 'machinecode',
          size: 2048,
          refs: { resource: 'http://127.0.0.1:5000/api/files/sdcard/CUBE~1.GCO' },
        },
      ],
      free: 1,
      total: 2,
    });
    expect(list.files[0]?.children?.[0]?.children?.[0]?.path).toBe(
      'jobs/deeper/acceptance test.gcode',
    );
    expect(list.files[1]).toMatchObject({
      origin: 'sdcard',
      refs: { resource: expect.stringContaining('sdcard') },
    });
    expect(FilesListResponse.parse({ files: [] })).toEqual({ files: [] });
  });

  it('a file entry without name/path/type is refused (the connector relies on them)', async () => {
    const { FileEntry } = await import('../../../src/main/printers/octoprint/protocol');
    expect(FileEntry.safeParse({ name: 'x.gcode', type: 'machinecode' }).success).toBe(false);
  });

  it('appkeys 202 and 200 poll bodies', async () => {
    const { AppKeyPendingResponse, AppKeyGrantedResponse } =
      await import('../../../src/main/printers/octoprint/protocol');
    expect(AppKeyPendingResponse.parse({ message: 'Awaiting decision' }).message).toBe(
      'Awaiting decision',
    );
    expect(AppKeyGrantedResponse.safeParse({ api_key: '' }).success).toBe(false);
  });
});
