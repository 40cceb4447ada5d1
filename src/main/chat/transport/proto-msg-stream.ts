import type { ClientDuplexStream } from '@grpc/grpc-js';
import { backoffDelay } from '../../../shared/async';
import type { E2eeBidiServiceClient } from '../../gen/skiserver/skiserver_service';
import type { ProtoMsg } from '../../gen/skissm/proto_msg';
import type { Logger } from '../../log';
import type { GrpcSkiserverPort } from './grpc-port';

export type StreamStatus = 'connecting' | 'online' | 'offline';

export interface StreamOptions {
  /** How often the client sends ClientHeartbeatMsg up the stream. */
  heartbeatMs?: number;
  /** Silence (no data, no server heartbeat) after which the stream is considered dead and reopened. */
  idleTimeoutMs?: number;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** Runs before every (re)connect, e.g. to refresh an expiring auth token. */
  beforeConnect?: () => Promise<void>;
}

/**
 * Keeps E2eeBidiService.Communicate open: hands every ProtoMsg to `onMessage`, sends client heartbeats,
 * reopens the stream with exponential back-off (and jitter) when it ends, errors or goes silent.
 */
export class ProtoMsgStream {
  private client: E2eeBidiServiceClient | null = null;
  private call: ClientDuplexStream<ProtoMsg, ProtoMsg> | null = null;
  private running = false;
  private attempt = 0;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private statusValue: StreamStatus = 'offline';

  constructor(
    private readonly port: GrpcSkiserverPort,
    private readonly onMessage: (msg: ProtoMsg) => void,
    private readonly onStatus: (status: StreamStatus) => void,
    private readonly log: Logger,
    private readonly options: StreamOptions = {},
  ) {}

  get status(): StreamStatus {
    return this.statusValue;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.open();
  }

  stop(): void {
    this.running = false;
    this.clearTimers();
    this.call?.cancel();
    this.call = null;
    this.client?.close();
    this.client = null;
    this.setStatus('offline');
  }

  /** Drops the current stream and reconnects now (e.g. after a fresh login). */
  reconnect(): void {
    if (!this.running) return;
    this.call?.cancel();
  }

  private setStatus(status: StreamStatus): void {
    if (status === this.statusValue) return;
    this.statusValue = status;
    this.onStatus(status);
  }

  private open(): void {
    if (!this.running) return;
    this.setStatus('connecting');
    const before = this.options.beforeConnect;
    if (before) {
      before().then(
        () => this.connect(),
        (err: unknown) => {
          this.log.warn('cannot authenticate the stream yet', err instanceof Error ? err.message : err);
          this.scheduleReconnect('authentication failed');
        },
      );
    } else this.connect();
  }

  private scheduleReconnect(why: string): void {
    if (!this.running) return;
    this.setStatus('offline');
    // ±25 %: streams dropped together (a server restart) do not all come back in the same instant.
    const jittered = backoffDelay(this.attempt, { baseMs: this.options.minBackoffMs ?? 500, maxMs: this.options.maxBackoffMs ?? 30_000, jitter: { spread: 0.25 } });
    this.attempt = Math.min(this.attempt + 1, 10);
    this.log.info(`stream closed (${why}); reconnecting in ${jittered} ms`);
    this.reconnectTimer = setTimeout(() => this.open(), jittered);
  }

  private connect(): void {
    if (!this.running) return;
    this.client ??= this.port.bidiClient();
    const call = this.client.communicate(this.port.metadata());
    this.call = call;
    let ended = false;
    const end = (why: string): void => {
      if (ended) return;
      ended = true;
      if (this.call === call) this.call = null;
      this.clearTimers();
      this.scheduleReconnect(why);
    };
    call.on('data', (msg: ProtoMsg) => {
      this.attempt = 0;
      this.setStatus('online');
      this.armIdle(call);
      try {
        this.onMessage(msg);
      } catch (err) {
        this.log.warn('stream message handler failed', err);
      }
    });
    call.on('metadata', () => {
      // Headers arrive once the server accepted the stream: we are online even before the first message.
      this.setStatus('online');
      this.attempt = 0;
    });
    call.on('error', (err: Error) => end(err.message));
    call.on('end', () => end('server ended the stream'));
    call.on('close', () => end('closed'));
    this.armIdle(call);
    this.heartbeatTimer = setInterval(() => {
      call.write({ tag: undefined, from: undefined, to: undefined, payload: { $case: 'clientHeartbeatMsg', value: { clientT: String(Date.now()) } }, signatureList: [] });
    }, this.options.heartbeatMs ?? 15_000);
    this.heartbeatTimer.unref();
  }

  private armIdle(call: ClientDuplexStream<ProtoMsg, ProtoMsg>): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      this.log.warn('stream silent too long; reopening');
      call.cancel();
    }, this.options.idleTimeoutMs ?? 45_000);
    this.idleTimer.unref();
  }

  private clearTimers(): void {
    for (const timer of [this.reconnectTimer, this.idleTimer]) if (timer) clearTimeout(timer);
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.reconnectTimer = this.idleTimer = this.heartbeatTimer = null;
  }
}
