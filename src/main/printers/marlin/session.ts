import { AppError } from '../../../shared/rpc/result';
import { Streamer, type Sent, type StreamerOptions } from './engine/streamer';
import { LineSplitter } from './protocol/line-splitter';
import { parseReply, type MarlinReply } from './protocol/replies';
import type { MarlinLink } from './serial-link';

interface Waiter {
  resolve(): void;
  reject(err: Error): void;
}

export interface SessionHooks {
  reply(reply: MarlinReply, raw: string): void;
  /** Print lines acknowledged (their file bytes), for progress. */
  jobAcked(sourceBytes: number): void;
  /** The port closed (null when `close()` did it) or the stream cannot go on. */
  ended(reason: string | null): void;
}

/**
 * The thin runner around the Streamer: bytes from the port become replies, replies become
 * acknowledgements, and whatever flow control allows is written at once. Commands resolve when
 * their `ok` arrives.
 */
export class MarlinSession {
  readonly streamer: Streamer<Waiter>;
  private readonly splitter = new LineSplitter();
  private readonly timer: NodeJS.Timeout;
  private readonly offData: () => void;
  private readonly waiting = new Set<Waiter>();
  private ended = false;

  constructor(
    readonly link: MarlinLink,
    private readonly hooks: SessionHooks,
    options: StreamerOptions = {},
  ) {
    this.streamer = new Streamer<Waiter>(options);
    this.offData = link.onData((chunk) => this.onData(chunk));
    link.onClose((reason) => this.end(reason));
    this.timer = setInterval(() => {
      this.streamer.tick(performance.now());
      this.pump();
    }, 100);
    this.streamer.reset(performance.now());
    this.pump();
  }

  get closed(): boolean {
    return this.ended;
  }

  /** Queues a command; resolves once the firmware acknowledged it. */
  command(command: string, urgent = false): Promise<void> {
    if (this.ended) return Promise.reject(new AppError('UNAVAILABLE', 'The printer is not connected.'));
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { resolve, reject };
      this.waiting.add(waiter);
      this.streamer.enqueue(command, waiter, urgent);
      this.pump();
    });
  }

  /** Written at once, ahead of everything queued (only for firmware with the emergency parser). */
  emergency(command: string): void {
    if (!this.ended) this.link.write(this.streamer.emergency(command));
  }

  /** Writes whatever flow control allows now. */
  pump(): void {
    if (this.ended) return;
    const text = this.streamer.writes(performance.now());
    if (text) this.link.write(text);
    if (this.streamer.failed) this.end(this.streamer.failed);
  }

  async close(): Promise<void> {
    this.end(null);
    await this.link.close();
  }

  /** Stops without closing the port (the firmware halted; the port stays open until a reset). */
  fail(reason: string): void {
    this.end(reason);
  }

  private onData(chunk: Uint8Array): void {
    const now = performance.now();
    for (const raw of this.splitter.push(chunk)) {
      if (this.ended) return;
      const reply = parseReply(raw);
      this.streamer.heard(now);
      const acked = this.streamer.receive(reply, now);
      this.settle(acked);
      this.hooks.reply(reply, raw);
    }
    this.pump();
  }

  private settle(acked: Sent<Waiter>[]): void {
    let jobBytes = 0;
    for (const s of acked) {
      jobBytes += s.jobBytes;
      if (s.tag) {
        this.waiting.delete(s.tag);
        s.tag.resolve();
      }
    }
    if (jobBytes > 0) this.hooks.jobAcked(jobBytes);
  }

  private end(reason: string | null): void {
    if (this.ended) return;
    this.ended = true;
    clearInterval(this.timer);
    this.offData();
    const err = new AppError('UNAVAILABLE', reason ?? 'The connection to the printer was closed.');
    for (const w of this.waiting) w.reject(err);
    this.waiting.clear();
    this.hooks.ended(reason);
  }
}
