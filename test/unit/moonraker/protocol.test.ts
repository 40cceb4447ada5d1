import { describe, expect, it } from 'vitest';
import {
  decodeFrame,
  describeRpcError,
  encodeRequest,
  HistoryList,
  maintenanceScript,
  mergeObjects,
  resolveWebcamUrl,
  seedObjects,
  temperatureScript,
  toDeviceFields,
  websocketUrlOf,
  type KlipperView,
} from '../../../src/main/printers/moonraker/protocol';
import { addressProblem, normalizeAddress } from '../../../src/shared/contract';

const ready = (objects: KlipperView['objects']): KlipperView => ({ klippy: 'ready', klippyMessage: '', objects });

describe('Moonraker JSON-RPC framing', () => {
  it('encodes requests with an id and named params', () => {
    expect(JSON.parse(encodeRequest(7, 'printer.objects.query', { objects: { webhooks: null } }))).toEqual({ jsonrpc: '2.0', method: 'printer.objects.query', params: { objects: { webhooks: null } }, id: 7 });
    expect(JSON.parse(encodeRequest(8, 'server.info'))).toEqual({ jsonrpc: '2.0', method: 'server.info', id: 8 });
  });

  it('decodes results ("ok" included), errors, notifications with positional params, and refuses the rest', () => {
    expect(decodeFrame('{"jsonrpc":"2.0","result":"ok","id":3}')).toEqual({ type: 'result', id: 3, result: 'ok' });
    expect(decodeFrame('{"jsonrpc":"2.0","error":{"code":-32601,"message":"Method not found"},"id":4}')).toMatchObject({ type: 'error', id: 4, error: { code: -32601 } });
    expect(decodeFrame('{"jsonrpc":"2.0","method":"notify_klippy_ready"}')).toEqual({ type: 'notification', method: 'notify_klippy_ready', params: [] });
    expect(decodeFrame('{"jsonrpc":"2.0","method":"notify_status_update","params":[{"extruder":{"temperature":30}},12.5]}')).toMatchObject({ type: 'notification', params: [{ extruder: { temperature: 30 } }, 12.5] });
    expect(decodeFrame('{"jsonrpc":"2.0","method":"notify_x","params":{"a":1}}').type).toBe('invalid');
    expect(decodeFrame('{"jsonrpc":"1.0","result":1,"id":1}').type).toBe('invalid');
    expect(decodeFrame('{"jsonrpc":"2.0","id":1}').type).toBe('invalid');
    expect(decodeFrame('not json').type).toBe('invalid');
  });

  it('says what error codes mean: 401 is -32602, Klippy absent is -32601 or 503, Klipper speaks through 400', () => {
    expect(describeRpcError('server.connection.identify', { code: -32602, message: 'Invalid API Key' })).toMatchObject({ kind: 'unauthorized', code: 'AUTH_REQUIRED' });
    expect(describeRpcError('printer.objects.subscribe', { code: -32601, message: 'Method not found' }).kind).toBe('klippyUnavailable');
    expect(describeRpcError('printer.print.pause', { code: 503, message: 'Klippy Host not connected' }).kind).toBe('klippyUnavailable');
    expect(describeRpcError('printer.gcode.script', { code: 400, message: 'Must home axis first: 0 0 0 [0]' }).message).toBe('Klipper said: Must home axis first: 0 0 0 [0]');
    expect(describeRpcError('server.files.delete_file', { code: -32601, message: 'File does not exist' }).kind).toBe('notFound');
  });
});

describe('printer objects', () => {
  it('merges diffs field by field: missing means unchanged, wrong types are skipped, unknown objects ignored', () => {
    const seeded = seedObjects({ extruder: { temperature: 20, target: 0, power: 0 }, print_stats: { state: 'standby', filename: '' }, gcode_move: { speed: 1 } });
    expect(seeded).toEqual({ extruder: { temperature: 20, target: 0, power: 0 }, print_stats: { state: 'standby', filename: '' } });
    const merged = mergeObjects(seeded, { extruder: { temperature: 25.5, target: 'hot' }, heater_bed: { target: 60 } });
    expect(merged.extruder).toEqual({ temperature: 25.5, target: 0, power: 0 });
    expect(merged.heater_bed).toEqual({ target: 60 });
    expect(merged.print_stats).toBe(seeded.print_stats);
    expect(mergeObjects(merged, { nothing: { x: 1 } })).toBe(merged);
  });
});

describe('state mapping', () => {
  const heaters = { extruder: { temperature: 205, target: 205 }, heater_bed: { temperature: 60, target: 60 } };

  it('maps print_stats states, with heating before the first extrusion and cancelled as free', () => {
    const job = { filename: 'cube.gcode', total_duration: 100, print_duration: 50 };
    expect(toDeviceFields(ready({ ...heaters, print_stats: { state: 'standby', filename: '' } }))).toMatchObject({ state: 'idle', job: null, problem: null });
    const printing = toDeviceFields(ready({ ...heaters, print_stats: { state: 'printing', ...job }, virtual_sdcard: { progress: 0.25 } }));
    expect(printing).toMatchObject({ state: 'printing', job: { name: 'cube.gcode', progress: 0.25, elapsedSec: 100, remainingSec: 150 } });
    const heating = toDeviceFields(ready({ extruder: { temperature: 80, target: 205 }, print_stats: { state: 'printing', filename: 'cube.gcode', print_duration: 0 } }));
    expect(heating.state).toBe('heating');
    expect(toDeviceFields(ready({ ...heaters, print_stats: { state: 'paused', ...job } })).state).toBe('paused');
    expect(toDeviceFields(ready({ ...heaters, print_stats: { state: 'complete', ...job } }))).toMatchObject({ state: 'done', job: { progress: 1, remainingSec: 0 } });
    expect(toDeviceFields(ready({ ...heaters, print_stats: { state: 'cancelled', ...job } })).state).toBe('idle');
    const failed = toDeviceFields(ready({ print_stats: { state: 'error', ...job, message: 'Move out of range' } }));
    expect(failed).toMatchObject({ state: 'error', problem: { code: 'moonraker.printError' } });
    expect(failed.problem?.message).toContain('Move out of range');
    // M73 progress (display_status) wins over the file position.
    expect(toDeviceFields(ready({ print_stats: { state: 'printing', ...job }, virtual_sdcard: { progress: 0.1 }, display_status: { progress: 0.4 } })).job?.progress).toBe(0.4);
  });

  it('idle_timeout "Printing" is busy, not a print job', () => {
    expect(toDeviceFields(ready({ print_stats: { state: 'standby', filename: '' }, idle_timeout: { state: 'Printing' } })).state).toBe('busy');
  });

  it("Klippy's lifecycle comes first and speaks in words", () => {
    expect(toDeviceFields({ klippy: 'startup', klippyMessage: '', objects: {} }).state).toBe('checking');
    expect(toDeviceFields({ klippy: 'disconnected', klippyMessage: '', objects: {} })).toMatchObject({ state: 'offline', problem: { code: 'moonraker.klippyDisconnected' } });
    const error = toDeviceFields({ klippy: 'error', klippyMessage: "mcu 'mcu': Unable to connect\nOnce the underlying issue is corrected…", objects: {} });
    expect(error).toMatchObject({ state: 'error', problem: { code: 'moonraker.klippyError' } });
    expect(error.problem?.message).toContain("mcu 'mcu': Unable to connect");
    const shutdown = toDeviceFields({ klippy: 'shutdown', klippyMessage: 'Heater extruder not heating at expected rate', objects: { print_stats: { state: 'printing', filename: 'x.gcode' } } });
    expect(shutdown).toMatchObject({ state: 'error', job: null, problem: { code: 'moonraker.klippyShutdown' } });
    expect(shutdown.problem?.message).toMatch(/not heating.*FIRMWARE_RESTART/);
  });
});

describe('addresses, G-code and history', () => {
  it('accepts host:7125 without a scheme and builds the socket URL', () => {
    expect(normalizeAddress('moonraker', 'voron.local:7125')).toBe('http://voron.local:7125');
    expect(normalizeAddress('moonraker', 'https://voron.example.org')).toBe('https://voron.example.org');
    // OctoPrint too (issue 13 item 19): a bare host means plain http.
    expect(normalizeAddress('octoprint', 'octopi.local')).toBe('http://octopi.local');
    expect(normalizeAddress('xyz', '192.168.1.20:9100')).toBe('192.168.1.20:9100');
    expect(addressProblem('moonraker', '192.168.1.20:7125')).toBeNull();
    expect(addressProblem('moonraker', 'tcp://voron:7125')).toMatch(/needs an address like/);
    expect(websocketUrlOf('http://voron.local:7125')).toBe('ws://voron.local:7125/websocket');
    expect(websocketUrlOf('https://example.org/printer')).toBe('wss://example.org/printer/websocket');
  });

  it('resolves webcam snapshot URLs: relative ones go to the web server, not blindly to :7125', () => {
    expect(resolveWebcamUrl('/webcam/?action=snapshot', 'http://voron.local:7125')).toBe('http://voron.local/webcam/?action=snapshot');
    expect(resolveWebcamUrl('/webcam/?action=snapshot', 'http://127.0.0.1:8123')).toBe('http://127.0.0.1:8123/webcam/?action=snapshot');
    expect(resolveWebcamUrl('http://cam.lan/snap.jpg', 'http://voron.local:7125')).toBe('http://cam.lan/snap.jpg');
    expect(resolveWebcamUrl('', 'http://voron.local:7125')).toBeNull();
    expect(resolveWebcamUrl('rtsp://cam/stream', 'http://voron.local:7125')).toBeNull();
  });

  it('maps maintenance to Klipper G-code', () => {
    expect(maintenanceScript({ type: 'home' })).toBe('G28');
    expect(maintenanceScript({ type: 'jog', axis: 'z', mm: -0.1 })).toBe('SAVE_GCODE_STATE NAME=PRINTDECK_JOG\nG91\nG1 Z-0.1 F600\nRESTORE_GCODE_STATE NAME=PRINTDECK_JOG');
    expect(maintenanceScript({ type: 'loadFilament' })).toBeNull();
    expect(temperatureScript('extruder', 210.4)).toBe('SET_HEATER_TEMPERATURE HEATER=extruder TARGET=210');
    expect(() => temperatureScript('heater_bed', 200)).toThrow(/between 0 and 150/);
  });

  it('reads server.history.list, keeping jobs with statuses it does not know', () => {
    const reply = HistoryList.parse({
      count: 2,
      jobs: [
        { job_id: '000027', user: null, filename: 'cube.gcode', exists: true, status: 'completed', start_time: 1.7e9, end_time: 1.7e9 + 600, print_duration: 500, total_duration: 600, filament_used: 1234.5, metadata: { estimated_time: 550 }, auxiliary_data: [] },
        { job_id: '000028', filename: 'x.gcode', status: 'exploded', start_time: 1.7e9, end_time: null, print_duration: 0, total_duration: 3, filament_used: 0 },
      ],
    });
    expect(reply.jobs.map((j) => j.status)).toEqual(['completed', 'unknown']);
    expect(reply.jobs[1]?.end_time).toBeNull();
  });
});
