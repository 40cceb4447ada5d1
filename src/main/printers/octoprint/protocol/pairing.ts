import { classifyErrorReply } from './errors';
import { isSockJsInfo, judgeVersionReply, notOctoPrintMessage } from './identify';
import {
  DEFAULT_PAIRING_TIMEOUT_MS,
  MAX_CONSECUTIVE_POLL_FAILURES,
  POLL_INTERVAL_MS,
  type PairingContext,
  type PairingEvent,
  type PairingFailure,
  type PairingState,
  type PairingStep,
} from './pairing-types';
import { parseJsonAs } from './replies';
import { AppKeyGrantedResponse, AppKeyRequestResponse } from './schemas/appkeys';

/**
 * The Application Keys pairing transitions: `next(state, event)` -> `{state, effects}`.
 * The connector performs the effects and feeds their outcome back as events.
 */

const stay = (state: PairingState): PairingStep => ({ state, effects: [] });

/** Only http(s) may reach the system browser: the URL comes from the server. */
function isWebUrl(candidate: string): boolean {
  try {
    const protocol = new URL(candidate).protocol;
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

function trimBase(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, '');
}

/** Accepts what people paste: surrounding whitespace is trimmed, inner whitespace refused. */
export function normalisePastedKey(input: string): string | null {
  const key = input.trim();
  return /^[\x21-\x7e]{8,256}$/.test(key) ? key : null;
}

function onStart(event: Extract<PairingEvent, { type: 'start' }>): PairingStep {
  const baseUrl = trimBase(event.baseUrl);
  if (!isWebUrl(baseUrl)) {
    return stay({
      phase: 'failed',
      error: {
        kind: 'invalidAddress',
        message: 'The OctoPrint address must start with http:// or https://.',
      },
    });
  }
  const ctx: PairingContext = {
    baseUrl,
    appName: event.appName,
    user: event.user === '' ? undefined : event.user,
    startedAt: event.now,
    timeoutMs: event.timeoutMs ?? DEFAULT_PAIRING_TIMEOUT_MS,
  };
  return {
    state: { phase: 'probing', ctx },
    effects: [{ kind: 'get', purpose: 'probe', url: `${baseUrl}/plugin/appkeys/probe` }],
  };
}

function onProbe(ctx: PairingContext, status: number): PairingStep {
  if (status === 204) {
    const json =
      ctx.user === undefined ? { app: ctx.appName } : { app: ctx.appName, user: ctx.user };
    return {
      state: { phase: 'requesting', ctx },
      effects: [
        { kind: 'post', purpose: 'request', url: `${ctx.baseUrl}/plugin/appkeys/request`, json },
      ],
    };
  }
  if (status >= 500) {
    // A server that is down or starting says nothing about the plugin; do not fall back yet.
    return stay({
      phase: 'failed',
      error: classifyErrorReply({ method: 'GET', status, body: '' }),
    });
  }
  // No plugin here; but a 404 is also what any other web server, or a wrong sub-path, answers.
  return {
    state: { phase: 'identifying', ctx, step: 'version' },
    effects: [{ kind: 'get', purpose: 'identify', url: `${ctx.baseUrl}/api/version` }],
  };
}

const NO_PLUGIN: PairingState = {
  phase: 'manualKey',
  reason: 'This OctoPrint has no Application Keys plugin enabled.',
};

function onIdentifyReplied(
  state: Extract<PairingState, { phase: 'identifying' }>,
  event: Extract<PairingEvent, { type: 'identifyReplied' }>,
): PairingStep {
  const notOctoPrint = stay({
    phase: 'failed',
    error: { kind: 'notOctoPrint', message: notOctoPrintMessage(state.ctx.baseUrl) },
  });
  if (state.step === 'sockjs')
    return isSockJsInfo(event.status, event.body) ? stay(NO_PLUGIN) : notOctoPrint;
  const verdict = judgeVersionReply(event.status, event.body);
  if (verdict === 'octoprint') return stay(NO_PLUGIN);
  if (verdict === 'notOctoPrint') return notOctoPrint;
  return {
    state: { ...state, step: 'sockjs' },
    effects: [{ kind: 'get', purpose: 'identify', url: `${state.ctx.baseUrl}/sockjs/info` }],
  };
}

function onRequestReplied(
  ctx: PairingContext,
  event: Extract<PairingEvent, { type: 'requestReplied' }>,
): PairingStep {
  if (event.status !== 201) {
    return stay({
      phase: 'failed',
      error: classifyErrorReply({ method: 'POST', status: event.status, body: event.body }),
    });
  }
  const granted = parseJsonAs(event.body, AppKeyRequestResponse);
  if (granted === null) {
    return stay({
      phase: 'failed',
      error: {
        kind: 'malformedResponse',
        status: 201,
        message: 'OctoPrint answered the key request with an unexpected body.',
        serverMessage: null,
      },
    });
  }
  const token = encodeURIComponent(granted.app_token);
  const pollUrl =
    event.location !== null && isWebUrl(event.location)
      ? event.location
      : `${ctx.baseUrl}/plugin/appkeys/request/${token}`;
  const userQuery = ctx.user === undefined ? '' : `?user=${encodeURIComponent(ctx.user)}`;
  const fallbackDialog = `${ctx.baseUrl}/plugin/appkeys/auth/${token}${userQuery}`;
  const offered = granted.auth_dialog;
  const authDialogUrl = offered !== undefined && isWebUrl(offered) ? offered : fallbackDialog;
  return {
    state: { phase: 'awaitingDecision', ctx, pollUrl, authDialogUrl, failures: 0 },
    effects: [
      { kind: 'openBrowser', url: authDialogUrl },
      { kind: 'wait', ms: POLL_INTERVAL_MS },
    ],
  };
}

type Awaiting = Extract<PairingState, { phase: 'awaitingDecision' }>;

const timedOut = (state: Awaiting, now: number): boolean =>
  now - state.ctx.startedAt >= state.ctx.timeoutMs;

function onPollReplied(
  state: Awaiting,
  event: Extract<PairingEvent, { type: 'pollReplied' }>,
): PairingStep {
  if (event.status === 200) {
    const granted = parseJsonAs(event.body, AppKeyGrantedResponse);
    if (granted !== null)
      return stay({ phase: 'paired', apiKey: granted.api_key, source: 'appkeys' });
    // The key is handed out only once, so a broken 200 cannot be retried.
    return stay({
      phase: 'failed',
      error: {
        kind: 'malformedResponse',
        status: 200,
        message: 'OctoPrint approved the request but sent no usable key. Try pairing again.',
        serverMessage: null,
      },
    });
  }
  if (event.status === 404) return stay({ phase: 'denied' });
  if (timedOut(state, event.now)) return stay({ phase: 'timedOut' });
  if (event.status === 202)
    return { state: { ...state, failures: 0 }, effects: [{ kind: 'wait', ms: POLL_INTERVAL_MS }] };
  return retryOrFail(
    state,
    classifyErrorReply({ method: 'GET', status: event.status, body: event.body }),
  );
}

function retryOrFail(state: Awaiting, error: PairingFailure): PairingStep {
  const failures = state.failures + 1;
  if (failures >= MAX_CONSECUTIVE_POLL_FAILURES) return stay({ phase: 'failed', error });
  return { state: { ...state, failures }, effects: [{ kind: 'wait', ms: POLL_INTERVAL_MS }] };
}

const TERMINAL = new Set<PairingState['phase']>([
  'paired',
  'denied',
  'timedOut',
  'failed',
  'cancelled',
]);

export function next(state: PairingState, event: PairingEvent): PairingStep {
  if (event.type === 'cancel')
    return TERMINAL.has(state.phase) ? stay(state) : stay({ phase: 'cancelled' });
  if (event.type === 'start')
    return state.phase === 'idle' || TERMINAL.has(state.phase) || state.phase === 'manualKey'
      ? onStart(event)
      : stay(state);
  if (event.type === 'keyPasted') {
    // Pasting is the fallback for every dead end, and always allowed instead of waiting.
    if (state.phase === 'paired') return stay(state);
    const apiKey = normalisePastedKey(event.apiKey);
    return apiKey === null ? stay(state) : stay({ phase: 'paired', apiKey, source: 'pasted' });
  }

  switch (state.phase) {
    case 'probing':
      if (event.type === 'probeReplied') return onProbe(state.ctx, event.status);
      if (event.type === 'networkFailed')
        return stay({ phase: 'failed', error: { kind: 'network', message: event.message } });
      return stay(state);
    case 'identifying':
      if (event.type === 'identifyReplied') return onIdentifyReplied(state, event);
      if (event.type === 'networkFailed')
        return stay({ phase: 'failed', error: { kind: 'network', message: event.message } });
      return stay(state);
    case 'requesting':
      if (event.type === 'requestReplied') return onRequestReplied(state.ctx, event);
      if (event.type === 'networkFailed')
        return stay({ phase: 'failed', error: { kind: 'network', message: event.message } });
      return stay(state);
    case 'awaitingDecision':
      if (event.type === 'waited') {
        if (timedOut(state, event.now)) return stay({ phase: 'timedOut' });
        return { state, effects: [{ kind: 'get', purpose: 'poll', url: state.pollUrl }] };
      }
      if (event.type === 'pollReplied') return onPollReplied(state, event);
      if (event.type === 'networkFailed') {
        if (timedOut(state, event.now)) return stay({ phase: 'timedOut' });
        return retryOrFail(state, { kind: 'network', message: event.message });
      }
      return stay(state);
    default:
      return stay(state);
  }
}
