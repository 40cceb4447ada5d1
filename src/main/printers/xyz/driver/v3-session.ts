import {
  encodeRequest,
  XyzReplyCollector,
  XyzReplyParser,
  type XyzExpectation,
  type XyzLink,
  type XyzReply,
  type XyzReplyEvent,
  type XyzRequest,
} from '../protocol';
import { Listeners } from '../../../../shared/async';
import { XyzTransportError, type XyzByteTransport } from '../transport';

export interface SendOptions {
  /** Settle-mode requests (TCP config/action, uploadDidFinish): how long to listen for optional replies. */
  settleMs?: number;
  /** uploadDidFinish: stop listening once this many `ok`s arrived (TCP sends two). */
  enoughOks?: number;
  /** uploadDidFinish: after the first `ok`, wait at most this much longer. */
  afterFirstOkMs?: number;
}

interface Pending {
  collector: XyzReplyCollector;
  okCount: number;
  finish: (reply: XyzReply) => void;
  fail: (error: Error) => void;
  onOk: (() => void) | null;
}

/**
 * The XYZv3 command engine over one open transport: one command at a time, stale
 * input dropped before each command, each reply judged complete by the codec's collector, and a
 * timer on every wait. Unsolicited action lines (`load:{"stat":…}`) are passed to listeners.
 */
export class XyzV3Session {
  private readonly parser = new XyzReplyParser();
  private pending: Pending | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private lost: XyzTransportError | null = null;
  private readonly unsolicited = new Listeners<[XyzReplyEvent]>();
  private readonly lostListeners = new Listeners<[XyzTransportError]>();
  private readonly unsubscribe: (() => void)[];

  constructor(
    readonly transport: XyzByteTransport,
    readonly link: XyzLink,
  ) {
    this.unsubscribe = [
      transport.onData((chunk) => this.onData(chunk)),
      transport.onClose((error) => this.onClose(error)),
    ];
  }

  get isOpen(): boolean {
    return this.lost === null && this.transport.isOpen;
  }

  onUnsolicited(listener: (event: XyzReplyEvent) => void): () => void {
    return this.unsolicited.add(listener);
  }

  /** The link broke (not called for `close()`). */
  onLost(listener: (error: XyzTransportError) => void): () => void {
    return this.lostListeners.add(listener);
  }

  /** Runs `fn` with the line to itself: polls, uploads and commands never interleave. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** One request and its reply, queued behind any command in progress. */
  request(request: XyzRequest, timeoutMs: number, options: SendOptions = {}): Promise<XyzReply> {
    return this.exclusive(() => this.send(request, encodeRequest(request, this.link), timeoutMs, options));
  }

  /**
   * Writes `bytes` and waits for the reply to `expectation`. Call inside `exclusive`. Resolves with
   * the collector's verdict (including `timeout`); rejects only when the link breaks.
   */
  send(expectation: XyzExpectation, bytes: Uint8Array, timeoutMs: number, options: SendOptions = {}): Promise<XyzReply> {
    if (this.lost) return Promise.reject(this.lost);
    if (this.pending) return Promise.reject(new Error('XyzV3Session.send called while another command waits'));
    // Drop stale input: leftover `$\n\n` after `ok` and late lines of a timed-out reply.
    this.parser.reset();
    const collector = new XyzReplyCollector(expectation, this.link);
    const settle = collector.waitMode === 'settle';
    const waitMs = settle ? (options.settleMs ?? timeoutMs) : timeoutMs;
    return new Promise<XyzReply>((resolve, reject) => {
      let timer: NodeJS.Timeout = setTimeout(() => end(collector.settle()), waitMs);
      const end = (reply: XyzReply): void => {
        if (this.pending !== pending) return;
        clearTimeout(timer);
        this.pending = null;
        resolve(reply);
      };
      const pending: Pending = {
        collector,
        okCount: 0,
        finish: end,
        fail: (error) => {
          if (this.pending !== pending) return;
          clearTimeout(timer);
          this.pending = null;
          reject(error);
        },
        onOk:
          settle && options.enoughOks !== undefined
            ? () => {
                if (pending.okCount >= (options.enoughOks ?? Infinity)) end(collector.settle());
                else if (pending.okCount === 1 && options.afterFirstOkMs !== undefined) {
                  clearTimeout(timer);
                  timer = setTimeout(() => end(collector.settle()), options.afterFirstOkMs);
                }
              }
            : null,
      };
      this.pending = pending;
      this.parser.beginReply();
      this.transport.write(bytes).catch((err: unknown) => {
        const error = err instanceof XyzTransportError ? err : new XyzTransportError('io', String(err));
        pending.fail(error);
      });
    });
  }

  /** Stops listening without closing the transport (to hand the port to another protocol). */
  detach(): void {
    for (const u of this.unsubscribe) u();
    this.pending?.fail(new XyzTransportError('closed', 'Detached.'));
  }

  async close(): Promise<void> {
    for (const u of this.unsubscribe) u();
    this.pending?.fail(new XyzTransportError('closed', 'Disconnected.'));
    await this.transport.close();
  }

  private onData(chunk: Uint8Array): void {
    let events: XyzReplyEvent[];
    try {
      events = this.parser.feed(chunk);
    } catch {
      // The parser never throws by contract; if it ever did, drop the chunk rather than the app.
      this.parser.reset();
      return;
    }
    for (const event of events) {
      const pending = this.pending;
      if (!pending) {
        if (event.kind === 'action') this.unsolicited.emit(event);
        continue;
      }
      if (event.kind === 'ok') {
        pending.okCount++;
        pending.onOk?.();
        if (this.pending !== pending) continue;
      }
      const step = pending.collector.accept(event);
      if (step.status === 'done') pending.finish(step.reply);
      else if (step.status === 'unsolicited') this.unsolicited.emit(step.event);
    }
  }

  private onClose(error: XyzTransportError | null): void {
    const reason = error ?? new XyzTransportError('closed', 'Disconnected.');
    this.lost = reason;
    this.pending?.fail(reason);
    if (error) this.lostListeners.emit(error);
  }
}
