import { afterEach, describe, expect, it, vi } from 'vitest';
import type { OctoprintLogBatch } from '../../../src/shared/contract';
import { LogBatcher } from '../../../src/main/printers/octoprint/log-batcher';
import { toFileList } from '../../../src/main/printers/octoprint/server-files';
import { initialStatus, statusFromPayload, statusOffline } from '../../../src/main/printers/octoprint/status-builder';
import { frameUpload } from '../../../src/main/printers/links/multipart';
import { CurrentPayload, FilesListResponse, octoPrintFormFields } from '../../../src/main/printers/octoprint/protocol';
import { boundaryOf, parseMultipart } from '../../../sim/http/multipart-parse';
import type { StoredConnection } from '../../../src/main/connections/connection-repo';
import { pick, samples1 } from './samples';

const connection: StoredConnection = { id: 'c1', kind: 'octoprint', name: 'Mk3', address: 'http://octopi.local', options: {}, origin: 'user', createdAt: 0, updatedAt: 0 };

describe('terminal log batches', () => {
  afterEach(() => vi.useRealTimers());

  it('sends at most one batch per interval per device, in order, and counts what it had to drop', () => {
    vi.useFakeTimers();
    const sent: OctoprintLogBatch[] = [];
    const batcher = new LogBatcher((b) => sent.push(b), 250);
    batcher.add('d1', ['Send: G28', 'Recv: ok']);
    batcher.add('d1', ['Send: M105']);
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(250);
    expect(sent).toEqual([{ deviceId: 'd1', seq: 0, lines: ['Send: G28', 'Recv: ok', 'Send: M105'], dropped: 0 }]);
    batcher.add('d1', Array.from({ length: 700 }, (_, i) => `line ${i}`));
    vi.advanceTimersByTime(250);
    expect(sent[1]?.seq).toBe(1);
    expect(sent[1]?.lines).toHaveLength(500);
    expect(sent[1]?.lines[0]).toBe('line 200');
    expect(sent[1]?.dropped).toBe(200);
    batcher.add('d2', ['x']);
    batcher.forget('d2');
    vi.advanceTimersByTime(1000);
    expect(sent).toHaveLength(2);
  });
});

describe('server file list', () => {
  it('flattens the captured list and marks busy files', () => {
    const list = FilesListResponse.parse(pick(samples1, 'rest', 'files'));
    const out = toFileList(list, new Set(['acceptance test.gcode']));
    expect(out.files).toEqual([
      expect.objectContaining({ path: 'acceptance test.gcode', display: 'acceptance test.gcode', type: 'machinecode', size: 1420, busy: true }),
    ]);
    expect(out.files[0]?.estimatedPrintSec).toBeCloseTo(251.47, 1);
    expect(out.freeBytes).toBe(83307700224);
  });

  it('walks folders and keeps only local files, newest first', () => {
    const list = FilesListResponse.parse({
      files: [
        { name: 'a.gcode', path: 'a.gcode', type: 'machinecode', origin: 'local', date: 1 },
        { name: 'parts', path: 'parts', type: 'folder', origin: 'local', children: [{ name: 'b.gcode', path: 'parts/b.gcode', type: 'machinecode', origin: 'local', date: 5 }] },
        { name: 'sd.gco', path: 'sd.gco', type: 'machinecode', origin: 'sdcard' },
      ],
    });
    expect(toFileList(list, new Set()).files.map((f) => f.path)).toEqual(['parts/b.gcode', 'a.gcode']);
  });
});

describe('device status', () => {
  it('maps the captured printing payload, then shows a finished print as done until the next job', () => {
    const printing = CurrentPayload.parse(pick(samples1, 'messages', 'current_printing'));
    const status = statusFromPayload(initialStatus(connection), printing, false);
    expect(status).toMatchObject({ deviceId: 'octoprint:c1', family: 'octoprint', link: 'online', state: 'printing', stateText: 'Printing' });
    expect(status.job?.progress).toBeCloseTo(0.3127, 3);
    const idle = CurrentPayload.parse({ ...printing, state: { text: 'Operational', flags: { ...printing.state.flags, printing: false, ready: true }, error: '' } });
    expect(statusFromPayload(status, idle, true).state).toBe('done');
    expect(statusFromPayload(status, idle, false).state).toBe('idle');
  });

  it('keeps readings while reconnecting but not while offline', () => {
    const base = { ...initialStatus(connection), link: 'online' as const, state: 'idle' as const, temperatures: [{ sensor: 'tool0', actual: 200, target: 200 }] };
    expect(statusOffline(base, 'connecting', 'Connecting', null).temperatures).toHaveLength(1);
    const offline = statusOffline(base, 'offline', 'Cannot reach OctoPrint', { code: 'octoprint.unreachable', message: 'refused' });
    expect(offline).toMatchObject({ link: 'offline', state: 'offline', temperatures: [], problem: { code: 'octoprint.unreachable' } });
  });
});

describe('upload framing against the simulator parser', () => {
  it('round-trips fields and a UTF-8 file name', () => {
    const fields = { fileName: 'Brücke "v2".gcode', path: 'parts', select: true, print: true };
    const framing = frameUpload(fields.fileName, octoPrintFormFields(fields), '----printdeck0123456789abcdef');
    const body = Buffer.concat([framing.head, Buffer.from('G28\nG1 X1\n'), framing.tail]);
    expect(body.length).toBe(framing.contentLength(10));
    const form = parseMultipart(body, boundaryOf(framing.contentType) ?? '');
    expect(form.file?.filename).toBe('Brücke "v2".gcode');
    expect(form.file?.data.toString()).toBe('G28\nG1 X1\n');
    expect(Object.fromEntries(form.fields)).toEqual({ path: 'parts', select: 'true', print: 'true' });
  });
});
