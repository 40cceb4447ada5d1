import { Metadata, status, type ServerDuplexStream } from '@grpc/grpc-js';
import { ResponseCode } from '../../src/main/gen/skissm/common';
import type { ProtoMsg } from '../../src/main/gen/skissm/proto_msg';
import { BackupMsgResponse, DownloadMsgResponse, UpdateMsgBackupKeyResponse, type BackupMsgRequest, type DownloadMsgRequest, type UpdateMsgBackupKeyRequest } from '../../src/main/gen/skiserver/skiserver';
import { E2eeBackupServiceService, E2eeBidiServiceService, E2eeUnaryServiceService } from '../../src/main/gen/skiserver/skiserver_service';
import { SandboxGrpcServer } from '../grpc/sandbox-server';
import { accountHandlers, OPEN_METHODS } from './sandbox-accounts';
import { callerOf, unaryImpl, type Caller, type SandboxContext, type UnaryHandler } from './sandbox-context';
import { SandboxDelivery } from './sandbox-delivery';
import { SandboxMeter } from './sandbox-meter';
import { groupHandlers } from './sandbox-groups';
import { routingHandlers } from './sandbox-routing';
import { SandboxSigner } from './sandbox-signer';
import { socialHandlers } from './sandbox-social';
import { SandboxState } from './sandbox-state';

export interface SkiserverSandboxOptions {
  domain?: string;
  /** Where the outbox (auth codes), log and state file go; null keeps everything in memory. */
  workDir?: string | null;
  heartbeatMs?: number;
  authTtlMs?: number;
  /** gRPC metadata key carrying `Bearer <auth>`. */
  authHeader?: string;
}

/**
 * A sandbox Skiserver: the seed's E2eeUnaryService, E2eeBidiService and E2eeBackupService over real gRPC.
 * It stores public keys and routes signed ciphertext; it never sees a plaintext message or a private key.
 */
export class SkiserverSandbox extends SandboxGrpcServer {
  readonly state: SandboxState;
  readonly delivery: SandboxDelivery;
  readonly signer: SandboxSigner;
  /** The server's own work (handlers, signing and routing), apart from the gRPC transport; read and reset with meter.take(). */
  readonly meter = new SandboxMeter();
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private readonly ctx: SandboxContext;

  constructor(private readonly opts: SkiserverSandboxOptions = {}) {
    super({ name: 'printdeck-skiserver-sandbox' });
    const domain = opts.domain ?? 'sandbox.printdeck.local';
    this.state = new SandboxState(domain, opts.workDir ?? null);
    this.signer = new SandboxSigner(domain);
    this.delivery = new SandboxDelivery(this.state, this.signer, this.meter);
    this.ctx = { state: this.state, delivery: this.delivery, signer: this.signer, authTtlMs: opts.authTtlMs ?? 3_600_000, meter: this.meter };
    const header = opts.authHeader ?? 'authorization';
    const handlers: Record<string, UnaryHandler> = {
      ...accountHandlers(this.ctx),
      ...routingHandlers(this.ctx),
      ...socialHandlers(this.ctx),
      ...groupHandlers(this.ctx),
    };
    this.addService('skiserver.E2eeUnaryService', E2eeUnaryServiceService, unaryImpl(this.ctx, handlers, OPEN_METHODS, header));
    this.addService('skiserver.E2eeBackupService', E2eeBackupServiceService, unaryImpl(this.ctx, this.backupHandlers(), new Set(), header));
    this.addService('skiserver.E2eeBidiService', E2eeBidiServiceService, {
      communicate: (call: ServerDuplexStream<ProtoMsg, ProtoMsg>) => this.communicate(call, header),
    });
  }

  get domain(): string {
    return this.state.domain;
  }

  override async start(port = 0): Promise<number> {
    const bound = await super.start(port);
    if (!this.heartbeatTimer) {
      this.heartbeatTimer = setInterval(() => this.delivery.heartbeat(`sandbox.${this.domain}`), this.opts.heartbeatMs ?? 10_000);
      this.heartbeatTimer.unref();
    }
    this.state.log(`listening on ${this.address}`);
    return bound;
  }

  override async stop(): Promise<void> {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = null;
    this.delivery.flush();
    this.delivery.cutStreams();
    await super.stop();
    this.state.saveNow();
  }

  /** The newest auth code mailed to `authenticator` (tests and the demo read the outbox through this). */
  lastAuthCode(authenticator: string): string | null {
    return this.state.authCodes.get(authenticator)?.code ?? null;
  }

  /** Fault: every open Communicate stream ends as if the network dropped. */
  cutStreams(): number {
    return this.delivery.cutStreams();
  }

  queuedFor(userId: string): number {
    this.delivery.flush();
    const user = this.state.users.get(userId);
    return user ? [...user.devices.values()].reduce((n, d) => n + d.queue.length, 0) : 0;
  }

  private communicate(call: ServerDuplexStream<ProtoMsg, ProtoMsg>, header: string): void {
    const caller: Caller | null = callerOf(this.ctx, call.metadata, header);
    if (!caller) {
      call.destroy(Object.assign(new Error('missing or expired auth token'), { code: status.UNAUTHENTICATED }));
      return;
    }
    call.on('data', (msg: ProtoMsg) => {
      if (msg.payload?.$case === 'acquireSyncMsg') this.delivery.resend(caller.user.userId, caller.device, call);
      // Client heartbeats only keep the stream warm; nothing else is accepted upstream.
    });
    call.on('end', () => call.end());
    call.on('error', () => undefined);
    // Headers now, so the client knows the stream is up even with nothing queued.
    call.sendMetadata(new Metadata());
    this.delivery.attach(caller.user.userId, caller.device, call);
  }

  private backupHandlers(): Record<string, UnaryHandler> {
    const ok = { code: ResponseCode.RESPONSE_CODE_OK, msg: '' };
    return {
      backupMsg: (req: BackupMsgRequest, caller: Caller | null) => {
        if (!caller || !req.backupMsg || req.backupMsg.encryptedData.length > 1_000_000) return BackupMsgResponse.fromPartial({ code: ResponseCode.RESPONSE_CODE_BAD_REQUEST, msg: 'bad backup' });
        caller.user.backups.push(req.backupMsg);
        if (caller.user.backups.length > 5000) caller.user.backups.shift();
        this.state.scheduleSave();
        return BackupMsgResponse.fromPartial(ok);
      },
      downloadMsg: (req: DownloadMsgRequest, caller: Caller | null) => {
        if (!caller) return DownloadMsgResponse.fromPartial({ code: ResponseCode.RESPONSE_CODE_UNAUTHORIZED });
        const since = Number(req.lastTimeSend) || 0;
        let list = caller.user.backups.filter((b) => Number(b.timeSend) >= since);
        if (req.lastMsgId) {
          const index = list.findIndex((b) => b.msgId === req.lastMsgId);
          if (index >= 0) list = list.slice(index + 1);
        }
        return DownloadMsgResponse.fromPartial({ ...ok, backupedMsgs: list.slice(0, Math.min(Math.max(req.limit, 1), 500)) });
      },
      updateMsgBackupKey: (req: UpdateMsgBackupKeyRequest, caller: Caller | null) => {
        if (caller) caller.user.backupKeyHash = req.msgBackupKeyHash;
        return UpdateMsgBackupKeyResponse.fromPartial(ok);
      },
    } as Record<string, UnaryHandler>;
  }
}
