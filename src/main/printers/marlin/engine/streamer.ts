import { commandWord, frameLine, wireBytes } from '../protocol/framing';
import type { MarlinReply } from '../protocol/replies';

/** Where the streamer pulls print lines from; `later` means "none buffered yet, ask again". */
export interface JobSource {
  next(): { command: string; sourceBytes: number } | null | 'later';
}

export interface StreamerOptions {
  /**
   * The firmware's serial receive buffer. It is not reported; 128 bytes is the default on UART
   * boards (RX_BUFFER_SIZE), so it is the safe assumption.
   */
  rxBufferBytes?: number;
  /** Numbered lines kept for resends (OctoPrint keeps 50). */
  historySize?: number;
  /** How long to wait for the `ok` Marlin 2.1 sends after `Resend:` before going on without it. */
  resendOkWaitMs?: number;
  /** With nothing at all from the printer for this long, lines in flight are sent again. */
  silenceMs?: number;
  /** One line in flight even when the firmware reports ADVANCED_OK (the baseline for comparisons). */
  forceSingleLine?: boolean;
  /** The same line asked for again this many times in a row ends the stream. */
  maxConsecutiveResends?: number;
  /** Clean lines, one at a time, before sending ahead (after connecting and after a resend request; default 1000). */
  cleanLinesAfterResend?: number;
}

export interface Sent<Tag> {
  /** Line number, or null for a bare line (emergency commands). */
  n: number | null;
  text: string;
  bytes: number;
  command: string;
  tag: Tag | undefined;
  jobBytes: number;
}

export interface Counters {
  linesSent: number;
  linesResent: number;
  resendRequests: number;
  acks: number;
  /** Oks that belonged to none of the lines in flight (see `acknowledge`). */
  strayOks: number;
}

const DEFAULTS = { rxBufferBytes: 128, historySize: 256, resendOkWaitMs: 500, silenceMs: 30_000, maxConsecutiveResends: 10, cleanLinesAfterResend: 1_000 };

/**
 * The host side of Marlin's line protocol, without I/O: what to write next, and what each reply
 * means for the lines in flight. Every line it sends is numbered and checksummed, so the
 * firmware, which only accepts line last+1, never runs a line twice and never skips one; the
 * streamer only has to keep sending until every line has its `ok`.
 *
 * Flow control:
 * - By default one line in flight, as OctoPrint does (Marlin's BUFSIZE and RX buffer size vary per
 *   build and are not reported).
 * - Once an `ok` carries ADVANCED_OK fields (`ok N<n> P<planner> B<queue>`), lines are sent ahead:
 *   at most as many as the command queue holds (the largest B seen + 1, since the acknowledged
 *   command still counts in B) and never more unacknowledged bytes than the receive buffer holds,
 *   so the firmware never has to drop input.
 * - `Resend: N`: Marlin has thrown away everything it had received after line N-1, so every line
 *   from N on is sent again, in order. The plain `ok` that follows a `Resend:` (2.1.x) stands for the
 *   rejected line and acknowledges nothing; older firmware sends none, hence the short wait.
 */
export class Streamer<Tag = unknown> {
  private readonly opts: typeof DEFAULTS & { forceSingleLine: boolean };
  private nextNumber = 1;
  private readonly history = new Map<number, Sent<Tag>>();
  private readonly inflight: Sent<Tag>[] = [];
  private inflightBytes = 0;
  /** Next history line to send again, while catching up after a resend request. */
  private resendCursor: number | null = null;
  private resendOkUntil: number | null = null;
  private lastReplyWasResend = false;
  private lastResendLine = -1;
  private sameResendCount = 0;
  private readonly urgent: Array<{ command: string; tag: Tag | undefined }> = [];
  private readonly commands: Array<{ command: string; tag: Tag | undefined }> = [];
  private job: JobSource | null = null;
  /** A print line taken from the source while flow control said "not yet"; it goes next. */
  private pulled: { command: string; sourceBytes: number } | null = null;
  private jobHeld = false;
  private jobExhausted = false;
  private lastHeardAt = 0;
  private failure: string | null = null;
  private forceOne = false;
  /**
   * Lines go one at a time until this many have been acknowledged since the connection began or
   * the last resend request. When Marlin drops its input after a bad line, a line that was still
   * arriving is cut in two and its tail runs as an unnumbered command — out of order and then again
   * when resent — which no checksum guards; with one line in flight nothing is ever arriving behind
   * a bad line. So only a link that has proven clean gets sending ahead; on one that corrupts a
   * line now and then, the hazard is left to the rare bad line after a long clean stretch.
   */
  private cleanLinesToGo = 0;
  /** ADVANCED_OK seen: send ahead. */
  advanced = false;
  /** Command-queue size learned from ADVANCED_OK (`B` max + 1). */
  queueSize = 1;
  readonly counters: Counters = { linesSent: 0, linesResent: 0, resendRequests: 0, acks: 0, strayOks: 0 };

  constructor(options: StreamerOptions = {}) {
    this.opts = {
      rxBufferBytes: options.rxBufferBytes ?? DEFAULTS.rxBufferBytes,
      historySize: options.historySize ?? DEFAULTS.historySize,
      resendOkWaitMs: options.resendOkWaitMs ?? DEFAULTS.resendOkWaitMs,
      silenceMs: options.silenceMs ?? DEFAULTS.silenceMs,
      maxConsecutiveResends: options.maxConsecutiveResends ?? DEFAULTS.maxConsecutiveResends,
      cleanLinesAfterResend: options.cleanLinesAfterResend ?? DEFAULTS.cleanLinesAfterResend,
      forceSingleLine: options.forceSingleLine ?? false,
    };
  }

  /** Why the stream cannot go on (a resend that cannot be served), or null. */
  get failed(): string | null {
    return this.failure;
  }

  get inFlight(): readonly Sent<Tag>[] {
    return this.inflight;
  }

  get bytesInFlight(): number {
    return this.inflightBytes;
  }

  /** Nothing in flight, nothing waiting to be sent again, no command queued. */
  get idle(): boolean {
    return this.inflight.length === 0 && this.resendCursor === null && this.urgent.length === 0 && this.commands.length === 0;
  }

  get jobInFlight(): boolean {
    return this.inflight.some((s) => s.jobBytes > 0) || (this.resendCursor !== null && this.pendingResendHasJob());
  }

  /** The job source is exhausted and all its lines are acknowledged. */
  get jobFinished(): boolean {
    return this.job !== null && this.jobExhausted && this.pulled === null && !this.jobInFlight;
  }

  /** Queues a command after those already queued; `urgent` ones go before the print's lines and other commands. */
  enqueue(command: string, tag?: Tag, urgent = false): void {
    (urgent ? this.urgent : this.commands).push({ command, tag });
  }

  /** Starts pulling print lines from `source` (or stops, with null). */
  setJob(source: JobSource | null): void {
    this.job = source;
    this.pulled = null;
    this.jobExhausted = false;
    this.jobHeld = false;
  }

  /** Pausing: no new print lines until released (commands and resends still go). */
  holdJob(held: boolean): void {
    this.jobHeld = held;
  }

  /**
   * A bare line written at once, outside the numbering (emergency-parser commands the firmware
   * acts on as the bytes arrive). It still gets its `ok` later, like any line.
   */
  emergency(command: string, tag?: Tag): string {
    const sent: Sent<Tag> = { n: null, text: command, bytes: wireBytes(command), command, tag, jobBytes: 0 };
    this.inflight.push(sent);
    this.inflightBytes += sent.bytes;
    this.counters.linesSent++;
    return `${command}\n`;
  }

  /** The text to write now (whole lines with `\n`), as much as flow control allows. */
  writes(now: number): string {
    if (this.failure) return '';
    if (this.resendOkUntil !== null) {
      if (now < this.resendOkUntil) return '';
      this.resendOkUntil = null;
    }
    let out = '';
    for (;;) {
      const next = this.peekNext();
      if (!next) break;
      if (!this.hasRoom(next) && !this.forceOne) break;
      this.forceOne = false;
      if (this.inflight.length === 0) this.lastHeardAt = now;
      this.commit(next);
      out += `${next.text}\n`;
    }
    return out;
  }

  /** Applies one reply; returns the lines it acknowledged (in order). */
  receive(reply: MarlinReply, now: number): Sent<Tag>[] {
    this.lastHeardAt = now;
    const afterResend = this.lastReplyWasResend;
    this.lastReplyWasResend = reply.type === 'resend';
    switch (reply.type) {
      case 'ok':
        if (afterResend && reply.line === null && this.resendOkUntil !== null) {
          // The ok Marlin 2.1 sends after `Resend:` stands for the rejected line. Once the wait is
          // over and the line has gone out again (older firmware sends no such ok), an ok right
          // after the Resend is that line's own.
          this.resendOkUntil = null;
          return [];
        }
        return this.acknowledge(reply);
      case 'resend':
        this.requestResend(reply.line, now);
        return [];
      default:
        return [];
    }
  }

  /**
   * Timers: with no reply at all for `silenceMs` while lines are in flight, one more line (`M105`)
   * goes out whatever flow control says. If lines were lost the firmware answers it with
   * `Resend:` for the first missing one; if not, it simply acknowledges. Sending the old lines again
   * instead would rely on how a firmware treats a line it already has, which differs between builds.
   */
  tick(now: number): void {
    if (this.inflight.length === 0 || this.failure) return;
    if (now - this.lastHeardAt < this.opts.silenceMs) return;
    this.lastHeardAt = now;
    this.enqueue('M105', undefined, true);
    this.forceOne = true;
  }

  /** Noted whenever anything arrives (busy lines, temperatures), so a long command is not taken for silence. */
  heard(now: number): void {
    this.lastHeardAt = now;
  }

  /**
   * After the firmware rebooted or on a fresh connection: nothing is in flight any more and line
   * numbers start again (the caller sends `M110 N0` first, numbered as line 0).
   */
  reset(now: number): void {
    this.dropInflight(0);
    this.history.clear();
    this.resendCursor = null;
    this.resendOkUntil = null;
    this.lastReplyWasResend = false;
    this.failure = null;
    this.urgent.length = 0;
    this.commands.length = 0;
    this.lastHeardAt = now;
    this.nextNumber = 0;
    this.cleanLinesToGo = this.opts.cleanLinesAfterResend;
    this.enqueue('M110 N0', undefined, true);
  }

  private pendingResendHasJob(): boolean {
    for (let n = this.resendCursor ?? this.nextNumber; n < this.nextNumber; n++) if ((this.history.get(n)?.jobBytes ?? 0) > 0) return true;
    return false;
  }

  private hasRoom(next: Sent<Tag>): boolean {
    const bytes = next.bytes;
    if (this.inflight.length === 0) return true;
    // M110 goes alone: a `Resend:` while it is in flight can then only mean it was refused.
    if (isM110(next.command) || this.inflight.some((s) => isM110(s.command))) return false;
    if (!this.advanced || this.opts.forceSingleLine || this.cleanLinesToGo > 0) return false;
    return this.inflight.length < this.queueSize && this.inflightBytes + bytes < this.opts.rxBufferBytes;
  }

  /** The next line to send, without taking it from its queue (flow control may say not yet). */
  private peekNext(): (Sent<Tag> & { take: () => void }) | null {
    if (this.resendCursor !== null) {
      const old = this.history.get(this.resendCursor);
      if (old) {
        return {
          ...old,
          take: () => {
            this.counters.linesResent++;
            this.resendCursor = this.resendCursor! + 1 >= this.nextNumber ? null : this.resendCursor! + 1;
          },
        };
      }
      this.resendCursor = null;
    }
    const queued = this.urgent[0] ? this.urgent : this.commands[0] ? this.commands : null;
    if (queued) {
      const { command, tag } = queued[0]!;
      const sent = this.numbered(command, tag, 0);
      return { ...sent, take: () => this.take(sent.n!, () => queued.shift()) };
    }
    if (!this.job || this.jobHeld || this.jobExhausted) return null;
    if (!this.pulled) {
      const line = this.job.next();
      if (line === 'later') return null;
      if (line === null) {
        this.jobExhausted = true;
        return null;
      }
      this.pulled = line;
    }
    const { command, sourceBytes } = this.pulled;
    const sent = this.numbered(command, undefined, sourceBytes);
    return { ...sent, take: () => this.take(sent.n!, () => (this.pulled = null)) };
  }

  private take(n: number, shift: () => unknown): void {
    shift();
    this.nextNumber = n + 1;
  }

  /**
   * Frames the next line. `M110 N<m>` sets the firmware's line number to m, so it is sent as line
   * m itself (`N0 M110 N0`) and the numbering goes on from m + 1, as OctoPrint does.
   */
  private numbered(command: string, tag: Tag | undefined, jobBytes: number): Sent<Tag> {
    const m110 = /^M110\s+N(\d+)\s*$/i.exec(command);
    const n = m110 ? Number(m110[1]) : this.nextNumber;
    const text = frameLine(n, command);
    return { n, text, bytes: wireBytes(text), command, tag, jobBytes };
  }

  private commit(next: Sent<Tag> & { take: () => void }): void {
    const { take, ...sent } = next;
    const fresh = this.resendCursor === null || sent.n !== this.resendCursor;
    take();
    if (fresh && sent.n !== null) {
      this.history.set(sent.n, sent);
      const old = sent.n - this.opts.historySize;
      this.history.delete(old);
    }
    this.inflight.push(sent);
    this.inflightBytes += sent.bytes;
    this.counters.linesSent++;
  }

  private acknowledge(reply: Extract<MarlinReply, { type: 'ok' }>): Sent<Tag>[] {
    this.counters.acks++;
    if (reply.queueFree !== null || reply.plannerFree !== null) {
      this.advanced = true;
      if (reply.queueFree !== null) this.queueSize = Math.max(this.queueSize, reply.queueFree + 1);
    }
    if (this.inflight.length === 0) return [];
    let count = 1;
    if (reply.line !== null) {
      // ADVANCED_OK names the line: every line sent before it has been processed too.
      const at = this.inflight.findIndex((s) => s.n === reply.line);
      if (at < 0) return [];
      count = at + 1;
    } else if (this.advanced) {
      // With ADVANCED_OK only two oks name no line: M105's (it carries temperatures) and those of
      // unnumbered lines. Any other is the ok of a piece of a line cut in two when the firmware
      // dropped its input after a bad line; it acknowledges none of ours.
      const at = this.inflight.findIndex((s) => (reply.temperatures ? commandWord(s.command) === 'M105' : s.n === null));
      if (at < 0) {
        this.counters.strayOks++;
        return [];
      }
      count = at + 1;
    }
    const acked = this.inflight.splice(0, count);
    this.cleanLinesToGo = Math.max(0, this.cleanLinesToGo - acked.length);
    for (const s of acked) this.inflightBytes -= s.bytes;
    if (acked.some((s) => s.n !== null && s.n === this.lastResendLine)) this.sameResendCount = 0;
    return acked;
  }

  private requestResend(line: number, now: number): void {
    this.counters.resendRequests++;
    this.cleanLinesToGo = this.opts.cleanLinesAfterResend;
    this.sameResendCount = line === this.lastResendLine ? this.sameResendCount + 1 : 1;
    this.lastResendLine = line;
    if (this.sameResendCount > this.opts.maxConsecutiveResends) {
      this.failure = `The printer asked for line ${line} again ${this.sameResendCount} times in a row; the serial link is too noisy to go on.`;
      return;
    }
    const m110 = this.inflight.findIndex((s) => isM110(s.command));
    if (m110 >= 0) {
      // It was refused (it travels alone); the number asked for is the firmware's old count.
      this.resendCursor = this.inflight[m110]!.n;
      this.dropInflight(m110);
      this.resendOkUntil = now + this.opts.resendOkWaitMs;
      return;
    }
    // Everything sent from the first line ≥ N on was discarded by the firmware: no ok will come for it.
    const at = this.inflight.findIndex((s) => s.n !== null && s.n >= line);
    if (at >= 0) this.dropInflight(at);
    if (line >= this.nextNumber) {
      // Asked for a line not sent yet (it already has the last one): nothing to send again.
      this.resendCursor = null;
    } else if (!this.history.has(line)) {
      this.failure = `The printer asked for line ${line} again, which is no longer kept (last sent ${this.nextNumber - 1}).`;
      return;
    } else {
      this.resendCursor = line;
    }
    this.resendOkUntil = now + this.opts.resendOkWaitMs;
  }

  private dropInflight(from: number): void {
    for (const s of this.inflight.splice(from)) this.inflightBytes -= s.bytes;
  }
}

function isM110(command: string): boolean {
  return /^M110\s+N\d+\s*$/i.test(command);
}

/** Long-running commands: no ok for as long as they take, so silence is expected. */
export function isLongRunning(command: string): boolean {
  return ['G4', 'G28', 'G29', 'G30', 'G32', 'M109', 'M190', 'M191', 'M400', 'M226', 'M600'].includes(commandWord(command));
}
