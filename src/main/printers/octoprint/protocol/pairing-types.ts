import type { OctoPrintError } from './errors';

/**
 * States, events and effects of the Application Keys pairing machine (see `pairing.ts`).
 *
 * Application Keys pairing as a pure state machine: `next(state, event)` returns the new state
 * and the effects the connector must perform (HTTP calls, opening the browser, waiting).
 * Time comes in with the events, so the machine itself needs no clock.
 *
 * probe -> request -> open auth dialog -> poll about once per second -> key | denied | timeout;
 * without the plugin the server is identified first (`identify.ts`): an OctoPrint without it ends
 * in `manualKey` (paste a user API key instead), anything else in `failed` (not an OctoPrint).
 */

/** Poll about once per second; the server drops a request not polled for 5 s. */
export const POLL_INTERVAL_MS = 1000;
export const DEFAULT_PAIRING_TIMEOUT_MS = 5 * 60 * 1000;
/** Network hiccups while polling are retried this many times in a row before giving up. */
export const MAX_CONSECUTIVE_POLL_FAILURES = 3;

export type PairingState =
  | { phase: 'idle' }
  | { phase: 'probing'; ctx: PairingContext }
  /** The probe found no plugin: is this an OctoPrint at all? `/api/version`, then `/sockjs/info`. */
  | { phase: 'identifying'; ctx: PairingContext; step: 'version' | 'sockjs' }
  | { phase: 'requesting'; ctx: PairingContext }
  | {
      phase: 'awaitingDecision';
      ctx: PairingContext;
      pollUrl: string;
      authDialogUrl: string;
      failures: number;
    }
  | { phase: 'paired'; apiKey: string; source: 'appkeys' | 'pasted' }
  | { phase: 'denied' }
  | { phase: 'timedOut' }
  /** No Application Keys plugin: ask the user to paste a key. `reason` says why for the UI. */
  | { phase: 'manualKey'; reason: string }
  | { phase: 'failed'; error: PairingFailure }
  | { phase: 'cancelled' };

/** Why pairing stopped: an OctoPrint reply, a failed connection, or a bad address. */
export type PairingFailure =
  | OctoPrintError
  | { kind: 'network'; message: string }
  | { kind: 'invalidAddress'; message: string }
  | { kind: 'notOctoPrint'; message: string };

export interface PairingContext {
  /** OctoPrint base URL without a trailing slash, e.g. "http://octopi.local". */
  baseUrl: string;
  appName: string;
  user: string | undefined;
  startedAt: number;
  timeoutMs: number;
}

export type PairingEvent =
  | {
      type: 'start';
      baseUrl: string;
      appName: string;
      user?: string;
      now: number;
      timeoutMs?: number;
    }
  | { type: 'probeReplied'; status: number }
  | { type: 'identifyReplied'; status: number; body: string }
  | { type: 'requestReplied'; status: number; location: string | null; body: string }
  | { type: 'pollReplied'; status: number; body: string; now: number }
  /** The wait asked for by a `wait` effect is over. */
  | { type: 'waited'; now: number }
  /** The HTTP call of the last effect did not complete (DNS, refused, reset, TLS...). */
  | { type: 'networkFailed'; message: string; now: number }
  | { type: 'keyPasted'; apiKey: string }
  | { type: 'cancel' };

export type PairingEffect =
  | { kind: 'get'; purpose: 'probe' | 'identify' | 'poll'; url: string }
  | { kind: 'post'; purpose: 'request'; url: string; json: { app: string; user?: string } }
  | { kind: 'openBrowser'; url: string }
  | { kind: 'wait'; ms: number };

export interface PairingStep {
  state: PairingState;
  effects: PairingEffect[];
}

export const initialPairingState: PairingState = { phase: 'idle' };
