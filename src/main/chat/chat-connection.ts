import type { DatabaseSync } from 'node:sqlite';
import type { Logger } from '../log';
import { ChatEngine, type CatchUpProgress, type EngineOptions, type RegistrationInput } from './client/chat-engine';
import type { ChangeKind } from './client/engine-core';
import type { MessageRow } from './store/chat-store';
import { ChatStore } from './store/chat-store';
import { Sealer } from './store/sealer';
import { GrpcSkiserverPort, type GrpcPortOptions } from './transport/grpc-port';
import { ProtoMsgStream, type StreamOptions, type StreamStatus } from './transport/proto-msg-stream';

export interface ChatConnectionOptions extends GrpcPortOptions {
  db: DatabaseSync;
  /** The account key in the chat tables (the connection id). */
  account: string;
  /** 32-byte key sealing the chat tables. */
  storeKey: Uint8Array;
  log: Logger;
  stream?: StreamOptions;
  recomputeFingerprint?: boolean;
  /** SHA-256 of the server's signing key (hex or base64); without it the first key seen is trusted. */
  serverKeyPin?: string;
  onMessages?: (rows: MessageRow[]) => void;
  onChange?: (kind: ChangeKind) => void;
  onStatus?: (status: StreamStatus) => void;
  onFriendRequest?: (from: string) => void;
  onProgress?: (progress: CatchUpProgress) => void;
  now?: () => number;
  invites?: { retryAfterMs?: number; checkEveryMs?: number };
}

/**
 * One Skiserver account on one device: the gRPC port, the Communicate stream and the protocol engine wired
 * together. Every received ProtoMsg goes to the engine, which commits and then acknowledges it.
 */
export class ChatConnection {
  readonly port: GrpcSkiserverPort;
  readonly store: ChatStore;
  private engineValue: ChatEngine | null;
  private stream: ProtoMsgStream | null = null;

  constructor(private readonly options: ChatConnectionOptions) {
    this.port = new GrpcSkiserverPort(options);
    this.store = new ChatStore(options.db, options.account, new Sealer(options.storeKey));
    this.engineValue = ChatEngine.open(this.engineOptions());
  }

  get engine(): ChatEngine | null {
    return this.engineValue;
  }

  get status(): StreamStatus {
    return this.stream?.status ?? 'offline';
  }

  private engineOptions(): EngineOptions {
    const o = this.options;
    return {
      store: this.store,
      port: this.port,
      log: o.log,
      onAuth: (token) => this.port.setToken(token),
      ...(o.onMessages ? { onMessages: o.onMessages } : {}),
      ...(o.onChange ? { onChange: o.onChange } : {}),
      ...(o.onFriendRequest ? { onFriendRequest: o.onFriendRequest } : {}),
      ...(o.onProgress ? { onProgress: o.onProgress } : {}),
      ...(o.recomputeFingerprint === undefined ? {} : { recomputeFingerprint: o.recomputeFingerprint }),
      ...(o.serverKeyPin ? { serverKeyPin: o.serverKeyPin } : {}),
      ...(o.now ? { now: o.now } : {}),
      ...(o.invites ? { invites: o.invites } : {}),
    };
  }

  requestCode(authenticator: string): Promise<number> {
    return ChatEngine.acquireAuthCode(this.port, authenticator);
  }

  async register(input: RegistrationInput): Promise<ChatEngine> {
    if (this.engineValue) throw new Error('this connection already has a chat account');
    this.engineValue = await ChatEngine.register(this.engineOptions(), input);
    await this.start();
    return this.engineValue;
  }

  /** Logs in (if needed) and opens the stream; the outbox starts working. */
  async start(): Promise<void> {
    const engine = this.engineValue;
    if (!engine) return;
    this.port.reauthenticate = () => engine.ensureAuth(true);
    try {
      await engine.start();
    } catch (err) {
      this.options.log.warn('chat start: server not reachable yet', err instanceof Error ? err.message : err);
    }
    if (!this.stream) {
      this.stream = new ProtoMsgStream(
        this.port,
        (msg) => engine.receive(msg),
        (status) => {
          if (status === 'online') engine.retryOutboxNow();
          this.options.onStatus?.(status);
        },
        this.options.log,
        { ...this.options.stream, beforeConnect: () => engine.ensureAuth() },
      );
    }
    this.stream.start();
  }

  stop(): void {
    this.stream?.stop();
    this.stream = null;
    this.engineValue?.stop();
  }

  /** Logs out at the server and forgets the account and its history on this device. */
  async signOut(): Promise<void> {
    const engine = this.engineValue;
    this.stop();
    if (engine) await engine.logout();
    this.store.wipe();
    this.engineValue = null;
  }

  close(): void {
    this.stop();
    this.port.close();
  }
}
