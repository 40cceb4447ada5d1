import type { PairingUpdate } from '../../../shared/contract';
import { HttpClient } from '../links/http-client';
import { next, type PairingEffect, type PairingEvent, type PairingState } from './protocol';

/**
 * Drives the pure Application Keys machine (`protocol/pairing.ts`) with real HTTP and timers.
 * Opening the approval page is left to the renderer (`window.open`, which the desktop shell
 * sends to the system browser), so the `openBrowser` effect only publishes the URL.
 */
export class PairingRunner {
  private state: PairingState = { phase: 'idle' };
  private timer: NodeJS.Timeout | null = null;
  private authDialogUrl: string | null = null;
  private settled: ((update: PairingUpdate) => void) | null = null;
  private readonly http: HttpClient;

  constructor(
    private readonly connectionId: string,
    private readonly baseUrl: string,
    private readonly onUpdate: (update: PairingUpdate, state: PairingState) => void,
  ) {
    this.http = new HttpClient(baseUrl, null, 'OctoPrint');
  }

  /** Probes and requests; resolves once the user has something to do (or pairing ended). */
  start(appName: string, user: string | undefined, timeoutMs?: number): Promise<PairingUpdate> {
    return new Promise((resolve) => {
      this.settled = resolve;
      this.feed({
        type: 'start',
        baseUrl: this.baseUrl,
        appName,
        now: Date.now(),
        ...(user === undefined || user === '' ? {} : { user }),
        ...(timeoutMs === undefined ? {} : { timeoutMs }),
      });
    });
  }

  cancel(): void {
    this.feed({ type: 'cancel' });
  }

  get phase(): PairingState['phase'] {
    return this.state.phase;
  }

  private feed(event: PairingEvent): void {
    const before = this.state.phase;
    const step = next(this.state, event);
    this.state = step.state;
    if (step.state.phase === 'awaitingDecision') this.authDialogUrl = step.state.authDialogUrl;
    if (step.state.phase !== before || step.effects.some((e) => e.kind === 'openBrowser')) this.publish();
    if (['paired', 'denied', 'timedOut', 'failed', 'cancelled', 'manualKey'].includes(step.state.phase) && this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    for (const effect of step.effects) this.perform(effect);
  }

  private publish(): void {
    const update = toUpdate(this.connectionId, this.state, this.authDialogUrl);
    if (update === null) return;
    this.onUpdate(update, this.state);
    if (this.settled) {
      this.settled(update);
      this.settled = null;
    }
  }

  private perform(effect: PairingEffect): void {
    switch (effect.kind) {
      case 'openBrowser':
        return;
      case 'wait':
        this.timer = setTimeout(() => {
          this.timer = null;
          this.feed({ type: 'waited', now: Date.now() });
        }, effect.ms);
        return;
      case 'get':
      case 'post': {
        const request =
          effect.kind === 'get'
            ? this.http.request({ method: 'GET', path: effect.url, withKey: false, timeoutMs: 10_000, maxBytes: 64 * 1024 })
            : this.http.request({ method: 'POST', path: effect.url, json: effect.json, withKey: false, timeoutMs: 10_000, maxBytes: 64 * 1024 });
        request.then(
          (reply) => {
            if (effect.kind === 'post') {
              const location = reply.headers.location;
              this.feed({ type: 'requestReplied', status: reply.status, location: typeof location === 'string' ? location : null, body: reply.body });
            } else if (effect.purpose === 'probe') this.feed({ type: 'probeReplied', status: reply.status });
            else if (effect.purpose === 'identify') this.feed({ type: 'identifyReplied', status: reply.status, body: reply.body });
            else this.feed({ type: 'pollReplied', status: reply.status, body: reply.body, now: Date.now() });
          },
          (err: unknown) => this.feed({ type: 'networkFailed', message: err instanceof Error ? err.message : String(err), now: Date.now() }),
        );
        return;
      }
    }
  }
}

/** The contract's view of a machine state; the key itself never leaves main. */
export function toUpdate(connectionId: string, state: PairingState, authDialogUrl: string | null): PairingUpdate | null {
  const base = { connectionId, authDialogUrl };
  switch (state.phase) {
    case 'awaitingDecision':
      return { ...base, phase: 'awaitingDecision', message: 'Approve Printdeck in the OctoPrint page that opened in your browser.' };
    case 'paired':
      return { ...base, phase: 'paired', message: 'Paired. The key is saved.' };
    case 'denied':
      return { ...base, phase: 'denied', message: 'The request was denied in OctoPrint, or it expired.' };
    case 'timedOut':
      return { ...base, phase: 'timedOut', message: 'Nobody approved the request in time. Try again.' };
    case 'manualKey':
      return { ...base, phase: 'manualKey', authDialogUrl: null, message: `${state.reason} Paste an API key from OctoPrint's user settings instead.` };
    case 'failed':
      return { ...base, phase: 'failed', message: state.error.message.slice(0, 1000) };
    case 'cancelled':
      return { ...base, phase: 'cancelled', message: 'Pairing cancelled.' };
    default:
      return null;
  }
}
