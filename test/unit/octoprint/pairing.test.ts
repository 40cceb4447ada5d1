import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PAIRING_TIMEOUT_MS,
  initialPairingState,
  next,
  type PairingEvent,
  type PairingState,
  type PairingStep,
} from '../../../src/main/printers/octoprint/protocol';
import { pick, record, samples2 } from './samples';

const BASE = 'http://127.0.0.1:5000';
const captured = record(samples2['appkeysRequest']);
const requestReply: PairingEvent = {
  type: 'requestReplied',
  status: 201,
  location: captured['location'] as string,
  body: JSON.stringify(captured['body']),
};
const pollUrl = captured['location'] as string;
const dialogUrl = pick(samples2, 'appkeysRequest', 'body', 'auth_dialog') as string;

/** Runs events through the machine, returning every step. */
function run(events: PairingEvent[], from: PairingState = initialPairingState): PairingStep[] {
  const steps: PairingStep[] = [];
  let state = from;
  for (const event of events) {
    const step = next(state, event);
    steps.push(step);
    state = step.state;
  }
  return steps;
}
const last = (steps: PairingStep[]): PairingStep => {
  const step = steps.at(-1);
  if (step === undefined) throw new Error('no steps');
  return step;
};

const start: PairingEvent = {
  type: 'start',
  baseUrl: `${BASE}/`,
  appName: 'Printdeck',
  user: 'admin',
  now: 0,
};
const toAwaiting: PairingEvent[] = [start, { type: 'probeReplied', status: 204 }, requestReply];

describe('pairing with Application Keys', () => {
  it('approved: probe -> request -> open dialog -> poll until 200', () => {
    const steps = run([
      ...toAwaiting,
      { type: 'waited', now: 1000 },
      { type: 'pollReplied', status: 202, body: '{"message":"Awaiting decision"}', now: 1010 },
      { type: 'waited', now: 2010 },
      {
        type: 'pollReplied',
        status: 200,
        body: '{"api_key":"nR6Q41X-U6-uew-1l2IbniZDP9POiXVCH8-CSaRhfyA"}',
        now: 2020,
      },
    ]);
    expect(steps.map((s) => s.effects)).toEqual([
      [{ kind: 'get', purpose: 'probe', url: `${BASE}/plugin/appkeys/probe` }],
      [
        {
          kind: 'post',
          purpose: 'request',
          url: `${BASE}/plugin/appkeys/request`,
          json: { app: 'Printdeck', user: 'admin' },
        },
      ],
      [
        { kind: 'openBrowser', url: dialogUrl },
        { kind: 'wait', ms: 1000 },
      ],
      [{ kind: 'get', purpose: 'poll', url: pollUrl }],
      [{ kind: 'wait', ms: 1000 }],
      [{ kind: 'get', purpose: 'poll', url: pollUrl }],
      [],
    ]);
    expect(last(steps).state).toEqual({
      phase: 'paired',
      apiKey: 'nR6Q41X-U6-uew-1l2IbniZDP9POiXVCH8-CSaRhfyA',
      source: 'appkeys',
    });
  });

  it('denied (or expired): 404 while polling', () => {
    const steps = run([
      ...toAwaiting,
      { type: 'waited', now: 1000 },
      { type: 'pollReplied', status: 404, body: '', now: 1005 },
    ]);
    expect(last(steps)).toEqual({ state: { phase: 'denied' }, effects: [] });
  });

  it('times out on the client side', () => {
    const timeoutMs = 3000;
    const steps = run([
      { ...start, timeoutMs } as PairingEvent,
      { type: 'probeReplied', status: 204 },
      requestReply,
      { type: 'waited', now: 1000 },
      { type: 'pollReplied', status: 202, body: '{}', now: 1100 },
      { type: 'waited', now: 3000 },
    ]);
    expect(last(steps)).toEqual({ state: { phase: 'timedOut' }, effects: [] });
    expect(DEFAULT_PAIRING_TIMEOUT_MS).toBeGreaterThan(60_000);
  });

  it('a pending poll answer after the deadline also times out', () => {
    const steps = run([
      ...toAwaiting,
      { type: 'waited', now: 1000 },
      { type: 'pollReplied', status: 202, body: '{}', now: DEFAULT_PAIRING_TIMEOUT_MS },
    ]);
    expect(last(steps).state.phase).toBe('timedOut');
  });

  it('a server without the appkeys plugin falls back to pasting a key', () => {
    // The 404 could come from any web server: OctoPrint's own /api/version answer settles it.
    const steps = run([
      start,
      { type: 'probeReplied', status: 404 },
      { type: 'identifyReplied', status: 200, body: '{"api":"0.1","server":"1.11.8","text":"OctoPrint 1.11.8"}' },
    ]);
    expect(last(steps).state.phase).toBe('manualKey');
    const pasted = next(last(steps).state, {
      type: 'keyPasted',
      apiKey: '  ABCDEF0123456789ABCDEF0123456789 \n',
    });
    expect(pasted.state).toEqual({
      phase: 'paired',
      apiKey: 'ABCDEF0123456789ABCDEF0123456789',
      source: 'pasted',
    });
  });

  it('pasted text with inner spaces or too short is refused', () => {
    const manual: PairingState = { phase: 'manualKey', reason: 'x' };
    expect(next(manual, { type: 'keyPasted', apiKey: 'abc def ghi jkl' }).state).toBe(manual);
    expect(next(manual, { type: 'keyPasted', apiKey: 'short' }).state).toBe(manual);
  });

  it('a 5xx probe is a failure, not a reason to fall back', () => {
    const step = last(run([start, { type: 'probeReplied', status: 503 }]));
    expect(step.state).toMatchObject({ phase: 'failed', error: { kind: 'serverError' } });
  });

  it('a rate-limited request fails with a clear kind', () => {
    const step = last(
      run([
        start,
        { type: 'probeReplied', status: 204 },
        { type: 'requestReplied', status: 429, location: null, body: '' },
      ]),
    );
    expect(step.state).toMatchObject({ phase: 'failed', error: { kind: 'rateLimited' } });
  });

  it('without a Location header the poll URL is built from the token', () => {
    const steps = run([
      start,
      { type: 'probeReplied', status: 204 },
      { ...requestReply, location: null } as PairingEvent,
      { type: 'waited', now: 1000 },
    ]);
    expect(last(steps).effects).toEqual([{ kind: 'get', purpose: 'poll', url: pollUrl }]);
  });

  it('never opens a non-web URL offered by the server', () => {
    const body = JSON.stringify({ app_token: 'tok', auth_dialog: 'file:///etc/passwd' });
    const steps = run([
      start,
      { type: 'probeReplied', status: 204 },
      { type: 'requestReplied', status: 201, location: null, body },
    ]);
    expect(last(steps).effects[0]).toEqual({
      kind: 'openBrowser',
      url: `${BASE}/plugin/appkeys/auth/tok?user=admin`,
    });
  });

  it('retries short network trouble while polling, then gives up', () => {
    const steps = run([
      ...toAwaiting,
      { type: 'networkFailed', message: 'ECONNRESET', now: 1000 },
      { type: 'waited', now: 2000 },
      { type: 'pollReplied', status: 502, body: '', now: 2100 },
      { type: 'waited', now: 3100 },
      { type: 'networkFailed', message: 'ECONNREFUSED', now: 3200 },
    ]);
    expect(steps[3]?.effects).toEqual([{ kind: 'wait', ms: 1000 }]);
    expect(last(steps).state).toMatchObject({
      phase: 'failed',
      error: { kind: 'network', message: 'ECONNREFUSED' },
    });
  });

  it('an unreachable server fails at the probe', () => {
    expect(
      last(run([start, { type: 'networkFailed', message: 'ENOTFOUND', now: 5 }])).state.phase,
    ).toBe('failed');
  });

  it('a non-http base URL is refused without any effect', () => {
    const step = next(initialPairingState, {
      ...start,
      baseUrl: 'javascript:alert(1)',
    } as PairingEvent);
    expect(step.effects).toEqual([]);
    expect(step.state.phase).toBe('failed');
  });

  it('cancel stops it and later replies are ignored', () => {
    const steps = run([
      ...toAwaiting,
      { type: 'cancel' },
      { type: 'pollReplied', status: 200, body: '{"api_key":"k"}', now: 5 },
    ]);
    expect(last(steps)).toEqual({ state: { phase: 'cancelled' }, effects: [] });
  });

  it('a broken 200 (key handed out only once) fails instead of polling again', () => {
    const steps = run([
      ...toAwaiting,
      { type: 'waited', now: 1000 },
      { type: 'pollReplied', status: 200, body: '{}', now: 1001 },
    ]);
    expect(last(steps)).toMatchObject({
      state: { phase: 'failed', error: { kind: 'malformedResponse' } },
      effects: [],
    });
  });

  it('a request without a user sends only the app name', () => {
    const steps = run([
      { type: 'start', baseUrl: BASE, appName: 'Printdeck', now: 0 },
      { type: 'probeReplied', status: 204 },
    ]);
    expect(last(steps).effects).toEqual([
      {
        kind: 'post',
        purpose: 'request',
        url: `${BASE}/plugin/appkeys/request`,
        json: { app: 'Printdeck' },
      },
    ]);
  });
});
