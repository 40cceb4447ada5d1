import { describe, expect, it } from 'vitest';
import type { StoredConnection } from '../../../src/main/connections/connection-repo';
import { initialStatus, statusFromPayload, statusOffline } from '../../../src/main/printers/octoprint/status-builder';
import {
  classifyErrorReply,
  CurrentPayload,
  isSockJsInfo,
  judgeVersionReply,
  next,
  SettingsResponse,
  toRpcError,
  webcamUrls,
  type PairingState,
} from '../../../src/main/printers/octoprint/protocol';
import { KEY_CHECK_INTERVAL_MS } from '../../../src/main/printers/octoprint/key-watch';
import { hasJobToShow } from '../../../src/shared/domain/device-state';
import { pick, record, samples1 } from './samples';

const connection: StoredConnection = { id: 'c1', kind: 'octoprint', name: 'Mk3', address: 'http://octopi.local', options: {}, origin: 'user', createdAt: 0, updatedAt: 0 };
const printing = CurrentPayload.parse(pick(samples1, 'messages', 'current_printing'));
const afterCancel = record(pick(samples1, 'rest', 'jobAfterCancel'));
/** The socket's view after a cancel: Operational, the file still selected, every progress field null [captured]. */
const idleAfterCancel = CurrentPayload.parse({
  ...record(pick(samples1, 'messages', 'current_printing')),
  state: record(pick(samples1, 'rest', 'printer')).state,
  job: afterCancel.job,
  progress: afterCancel.progress,
});

describe('what a real OctoPrint 1.11.8 sends, read the way a person expects', () => {
  it('a file still selected after a cancel is no job: no progress to draw on an idle printer', () => {
    const during = statusFromPayload(initialStatus(connection), printing, false);
    expect(during.job?.name).toBe('acceptance test.gcode');
    expect(hasJobToShow(during)).toBe(true);
    const after = statusFromPayload(during, idleAfterCancel, false);
    expect(after.state).toBe('idle');
    expect(after.job).toBeNull();
    expect(hasJobToShow(after)).toBe(false);
    // A finished print keeps its job (state done) until the next one begins.
    expect(statusFromPayload(during, idleAfterCancel, true).state).toBe('done');
  });

  it('a job of unknown progress shows only while it is active (not on an offline or key-refused card)', () => {
    const job = { name: 'part.gcode', progress: null, elapsedSec: null, remainingSec: null, taskId: null };
    const base = { ...initialStatus(connection), job };
    expect(hasJobToShow({ ...base, state: 'printing' })).toBe(true);
    expect(hasJobToShow({ ...base, state: 'idle' })).toBe(false);
    expect(hasJobToShow(statusOffline({ ...base, state: 'idle' }, 'error', 'API key refused', null))).toBe(false);
    expect(hasJobToShow({ ...base, state: 'offline', job: { ...job, progress: 0.4 } })).toBe(true);
  });

  it('checks the key often enough to notice a revocation within 5 minutes, without hammering (≥ 60 s apart)', () => {
    expect(KEY_CHECK_INTERVAL_MS).toBeLessThanOrEqual(5 * 60_000);
    expect(KEY_CHECK_INTERVAL_MS).toBeGreaterThanOrEqual(60_000);
  });

  it('409 on pause of an idle printer says nothing is printing, not "busy"', () => {
    const captured = record(pick(samples1, 'rest', 'pauseIdle'));
    const error = classifyErrorReply({ method: 'POST', status: Number(captured.status), body: JSON.stringify(captured.body) });
    expect(error.kind).toBe('noActiveJob');
    expect(error.message).toBe('Nothing is printing, so there is nothing to pause.');
    expect(toRpcError(error).code).toBe('CONFLICT');
    const cancel = classifyErrorReply({ method: 'POST', status: 409, body: '{"error":"Printer is neither printing nor paused, \'cancel\' command cannot be performed"}' });
    expect(cancel.message).toMatch(/^Nothing is printing, so there is nothing to cancel/);
    // Other conflicts keep their own words.
    expect(classifyErrorReply({ method: 'POST', status: 409, body: '{"error":"Printer is not operational"}' }).kind).toBe('notOperational');
  });

  it('a server with 1.11 default webcam settings (canSnapshot false, empty URLs) offers no snapshot', () => {
    const settings = SettingsResponse.parse({ webcam: record(pick(samples1, 'rest', 'settingsWebcam')).webcam, plugins: { classicwebcam: record(pick(samples1, 'rest', 'settingsWebcam')).classicwebcam } });
    expect(settings.webcam?.webcams?.[0]?.canSnapshot).toBe(false);
    expect(webcamUrls(settings, 'http://octopi.local').snapshot).toBeNull();
    // OctoPi's stream URL gives one.
    const octopi = SettingsResponse.parse({ webcam: { webcamEnabled: true, streamUrl: '/webcam/?action=stream', snapshotUrl: 'http://127.0.0.1:8080/?action=snapshot' } });
    expect(webcamUrls(octopi, 'http://octopi.local').snapshot).toBe('http://octopi.local/webcam/?action=snapshot');
  });
});

describe('telling an OctoPrint without Application Keys from any other server', () => {
  const version = JSON.stringify(pick(samples1, 'rest', 'version'));
  const denied = JSON.stringify({ error: "You don't have the permission to access the requested resource. It is either read-protected or not readable by the server." });

  it('judges /api/version and /sockjs/info as OctoPrint answers them without a key', () => {
    expect(judgeVersionReply(200, version)).toBe('octoprint');
    expect(judgeVersionReply(403, denied)).toBe('askSockJs');
    expect(judgeVersionReply(404, '<html><body>Not Found</body></html>')).toBe('notOctoPrint');
    expect(judgeVersionReply(403, '<html>Forbidden</html>')).toBe('notOctoPrint');
    expect(judgeVersionReply(200, '{"api":"1","server":"x","text":"nginx"}')).toBe('notOctoPrint');
    expect(isSockJsInfo(200, '{"websocket":true,"cookie_needed":false,"origins":["*:*"],"entropy":1}')).toBe(true);
    expect(isSockJsInfo(404, '{"error":"Not found"}')).toBe(false);
  });

  const start = (): PairingState => {
    const probing = next({ phase: 'idle' }, { type: 'start', baseUrl: 'http://host:8080/wrong', appName: 'Printdeck', now: 0 }).state;
    const step = next(probing, { type: 'probeReplied', status: 404 });
    expect(step.state.phase).toBe('identifying');
    expect(step.effects).toEqual([{ kind: 'get', purpose: 'identify', url: 'http://host:8080/wrong/api/version' }]);
    return step.state;
  };

  it('a 404 probe from a server that is not OctoPrint ends in "is not an OctoPrint server"', () => {
    const ended = next(start(), { type: 'identifyReplied', status: 404, body: 'Cannot GET /wrong/api/version' }).state;
    expect(ended.phase).toBe('failed');
    expect(ended.phase === 'failed' && ended.error.message).toMatch(/^http:\/\/host:8080\/wrong is not an OctoPrint server/);
  });

  it('an OctoPrint that refuses anonymous reads and serves SockJS falls back to pasting a key', () => {
    const asked = next(start(), { type: 'identifyReplied', status: 403, body: denied });
    expect(asked.effects).toEqual([{ kind: 'get', purpose: 'identify', url: 'http://host:8080/wrong/sockjs/info' }]);
    expect(next(asked.state, { type: 'identifyReplied', status: 200, body: '{"websocket":true,"cookie_needed":false,"origins":["*:*"]}' }).state.phase).toBe('manualKey');
    expect(next(asked.state, { type: 'identifyReplied', status: 404, body: '' }).state.phase).toBe('failed');
    expect(next(start(), { type: 'identifyReplied', status: 200, body: version }).state.phase).toBe('manualKey');
  });
});
