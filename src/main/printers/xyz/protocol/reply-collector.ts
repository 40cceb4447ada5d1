import type { XyzProtocolErrorCode } from './protocol-error';
import type { XyzReplyEvent } from './reply-events';
import type { XyzRequest } from './request';
import type { XyzLink } from './transport';

export interface XyzField {
  key: string;
  value: string;
}

/** The answer to one request, once the collector has decided the reply is complete. */
export type XyzReply =
  /** Query reply. `complete` is false when the wait ended before `$` / all keys arrived. */
  | { kind: 'fields'; fields: XyzField[]; complete: boolean }
  | { kind: 'ok' }
  | { kind: 'named'; name: string; value: string }
  | { kind: 'binary'; name: string; bytes: Uint8Array }
  | { kind: 'action'; action: string; stat: string; body: string }
  | { kind: 'value'; text: string }
  /** `E…`: rejected or busy — not a protocol failure. */
  | { kind: 'rejected'; code: number | null; text: string }
  /** Requests the printer does not answer (TCP config/action, `uploadDidFinish`): the settle window ended. */
  | { kind: 'no-reply'; okCount: number }
  /** The wait ended and nothing usable arrived. */
  | { kind: 'timeout' }
  | { kind: 'protocol-error'; code: XyzProtocolErrorCode; detail: string };

export type XyzCollectorStep =
  | { status: 'pending' }
  | { status: 'done'; reply: XyzReply }
  /** An event that does not belong to this request (e.g. a `load:{"stat":…}` progress line). */
  | { status: 'unsolicited'; event: XyzReplyEvent };

/** What the host is waiting for: a request's reply, or the `ok` after upload block `index`. */
export type XyzExpectation = XyzRequest | { verb: 'block'; index: number };

/**
 * How the driver should wait: `terminator` = until the collector says done (or the timeout);
 * `settle` = the printer may say nothing, so wait the whole settle window, then call `settle()`.
 */
export type XyzWaitMode = 'terminator' | 'settle';

const PENDING: XyzCollectorStep = { status: 'pending' };
const done = (reply: XyzReply): XyzCollectorStep => ({ status: 'done', reply });

/** `taginfo`, `signature:[get]` → `signature`, `calibratejr:getdata` → `calibratejr`. */
function commandName(command: string): string {
  return command.split(/[:[{]/, 1)[0] ?? command;
}

/** Decides when the reply to one request is complete. */
export class XyzReplyCollector {
  readonly waitMode: XyzWaitMode;
  private readonly fields: XyzField[] = [];
  private readonly wantedKeys: Set<string> | null;
  private okCount = 0;

  constructor(
    private readonly expectation: XyzExpectation,
    link: XyzLink,
  ) {
    const verb = expectation.verb;
    const silentOnTcp = link === 'tcp' && (verb === 'config' || verb === 'action');
    this.waitMode = verb === 'uploadDidFinish' || silentOnTcp ? 'settle' : 'terminator';
    // Over TCP single-key queries end without `$`: stop once every requested key was seen.
    this.wantedKeys =
      expectation.verb === 'query' && expectation.keys !== 'a' && link === 'tcp' ? new Set(expectation.keys) : null;
  }

  accept(event: XyzReplyEvent): XyzCollectorStep {
    if (event.kind === 'protocol-error')
      return done({ kind: 'protocol-error', code: event.code, detail: event.detail });
    if (event.kind === 'error') return done({ kind: 'rejected', code: event.code, text: event.text });
    switch (this.expectation.verb) {
      case 'query':
        return this.acceptQuery(event);
      case 'config':
        return this.acceptConfig(event, commandName(this.expectation.command));
      case 'action':
        return this.acceptAction(event, commandName(this.expectation.command));
      case 'upload':
      case 'firmware':
      case 'block':
        return event.kind === 'ok' ? done({ kind: 'ok' }) : this.ignore(event);
      case 'uploadDidFinish':
        if (event.kind === 'ok') this.okCount++;
        return this.ignore(event);
    }
  }

  /** The wait window ended: return what can be said. */
  settle(): XyzReply {
    if (this.waitMode === 'settle') return { kind: 'no-reply', okCount: this.okCount };
    if (this.fields.length > 0) return { kind: 'fields', fields: [...this.fields], complete: false };
    return { kind: 'timeout' };
  }

  private acceptQuery(event: XyzReplyEvent): XyzCollectorStep {
    if (event.kind === 'field') {
      this.fields.push({ key: event.key, value: event.value });
      if (this.wantedKeys) {
        this.wantedKeys.delete(event.key);
        if (this.wantedKeys.size === 0) return done({ kind: 'fields', fields: [...this.fields], complete: true });
      }
      return PENDING;
    }
    // A `$` before any key is the leftover of an earlier reply (`$\n\n` after `ok`).
    if (event.kind === 'end' && this.fields.length > 0) {
      return done({ kind: 'fields', fields: [...this.fields], complete: true });
    }
    // The 1.1 Plus starts query replies with `ok` (seed); stray `ok`s from uploadDidFinish too.
    return this.ignore(event);
  }

  private acceptConfig(event: XyzReplyEvent, name: string): XyzCollectorStep {
    if (event.kind === 'ok') {
      if (this.waitMode === 'settle') {
        this.okCount++;
        return PENDING;
      }
      return done({ kind: 'ok' });
    }
    if (event.kind === 'named' && event.name === name) return done({ kind: 'named', name, value: event.value });
    if (event.kind === 'binary' && event.name === name) return done({ kind: 'binary', name, bytes: event.bytes });
    if (event.kind === 'value') return done({ kind: 'value', text: event.text });
    return this.ignore(event);
  }

  private acceptAction(event: XyzReplyEvent, name: string): XyzCollectorStep {
    if (event.kind === 'action' && event.action === name) {
      return done({ kind: 'action', action: event.action, stat: event.stat, body: event.body });
    }
    if (event.kind === 'named' && event.name === name) return done({ kind: 'named', name, value: event.value });
    if (event.kind === 'ok' && this.waitMode === 'terminator') return done({ kind: 'ok' });
    return this.ignore(event);
  }

  private ignore(event: XyzReplyEvent): XyzCollectorStep {
    return event.kind === 'action' ? { status: 'unsolicited', event } : PENDING;
  }
}

/** True if `reply` is a success for its request (anything but rejection, timeout or framing failure). */
export function isSuccessfulReply(reply: XyzReply): boolean {
  return reply.kind !== 'rejected' && reply.kind !== 'timeout' && reply.kind !== 'protocol-error';
}
