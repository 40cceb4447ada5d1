import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { Metadata, status, type sendUnaryData, type ServerUnaryCall, type ServiceError } from '@grpc/grpc-js';
import { ArmoryService, type ArmoryServer } from '../../src/main/gen/armory/v1/armory';
import { SandboxGrpcServer } from '../grpc/sandbox-server';
import { ArmoryWorld, WorldFailure, type OutboxMail, type SandboxAccount, type WorldOptions } from './armory-world';
import { CoverServer } from './cover-server';

export interface ArmorySandboxOptions extends Omit<WorldOptions, 'coverBase' | 'onOutbox'> {
  accounts: SandboxAccount[];
  /** Where the outbox (`outbox.jsonl`, one "email" per line) and the log are written; none when absent. */
  workDir?: string;
  log?: (line: string) => void;
}

const OK_BASE = { message: 'success', code: 0, error: '' };

/**
 * A real gRPC Armory on loopback, from the same proto as the client, with the health service and
 * the faults of SandboxGrpcServer, plus a small HTTP server for the task cover pictures.
 * Verification codes are "emailed" to `<workDir>/outbox.jsonl` and written to the log.
 */
export class ArmorySandbox extends SandboxGrpcServer {
  readonly world: ArmoryWorld;
  readonly covers = new CoverServer();
  readonly outboxPath: string | null;

  constructor(private readonly sandbox: ArmorySandboxOptions) {
    super({ name: 'armory-sandbox', version: '1.0.0' });
    this.outboxPath = sandbox.workDir ? path.join(sandbox.workDir, 'outbox.jsonl') : null;
    this.world = new ArmoryWorld(sandbox.accounts, {
      ...sandbox,
      coverBase: () => this.covers.base,
      onOutbox: (mail) => this.deliver(mail),
    });
    this.addService('armory.v1.Armory', ArmoryService, this.impl());
  }

  override async start(port = 0): Promise<number> {
    if (port === 0) await this.covers.start();
    return super.start(port);
  }

  override async stop(): Promise<void> {
    await super.stop();
    await this.covers.stop();
  }

  private deliver(mail: OutboxMail): void {
    const line = `outbox: to=${mail.to} subject="${mail.subject}" code=${mail.code}`;
    this.sandbox.log?.(line);
    if (this.outboxPath) appendFileSync(this.outboxPath, JSON.stringify(mail) + '\n', { mode: 0o600 });
  }

  private impl(): ArmoryServer {
    const w = this.world;
    const authed = <Req, Res>(rpc: string, fn: (account: string, req: Req) => Res) =>
      (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>) => {
        w.count(rpc);
        try {
          const header = call.metadata.get('authorization')[0];
          const account = w.authenticate(typeof header === 'string' ? header : undefined);
          callback(null, fn(account, call.request));
        } catch (err) {
          callback(toGrpcError(err));
        }
      };
    return {
      login: (call, callback) => {
        w.count('Login');
        try {
          const { account, password, code } = call.request;
          const r = w.login(account, password, code);
          callback(null, { ...r, expiresIn: String(r.expiresIn) });
        } catch (err) {
          callback(toGrpcError(err));
        }
      },
      refreshToken: (call, callback) => {
        w.count('RefreshToken');
        try {
          const r = w.refresh(call.request.refreshToken);
          callback(null, { ...r, expiresIn: String(r.expiresIn), refreshExpiresIn: String(r.refreshExpiresIn) });
        } catch (err) {
          callback(toGrpcError(err));
        }
      },
      listMyMessages: authed('ListMyMessages', (account, req: { type: number; after: string; limit: number }) => ({
        hits: w.listMessages(account, req.type, req.after, req.limit),
      })),
      listMyTasks: authed('ListMyTasks', (account, req: { deviceId: string; after: string; limit: number }) =>
        w.listTasks(account, req.deviceId, req.after, req.limit),
      ),
      getSlicerResources: authed('GetSlicerResources', (_account, req: { type: string }) => ({
        base: OK_BASE,
        ...w.slicerResources(req.type),
      })),
      listUserDevices: authed('ListUserDevices', (account) => ({ base: OK_BASE, devices: w.devices(account) })),
      getPrintStatus: authed('GetPrintStatus', (account, req: { force: boolean }) => ({
        base: OK_BASE,
        devices: w.printStatus(account, req.force),
      })),
      getTtCode: authed('GetTTCode', (account, req: { devId: string }) => ({ base: OK_BASE, ...w.ttcode(account, req.devId) })),
    };
  }
}

function toGrpcError(err: unknown): ServiceError {
  const metadata = new Metadata();
  if (err instanceof WorldFailure) {
    const f = err.failure;
    const code = { unauthenticated: status.UNAUTHENTICATED, invalid: status.INVALID_ARGUMENT, denied: status.PERMISSION_DENIED, 'not-found': status.NOT_FOUND }[f.kind];
    if ((f.kind === 'invalid' || f.kind === 'denied') && f.armoryCode !== undefined) metadata.set('armory-error-code', String(f.armoryCode));
    return Object.assign(new Error(f.message), { code, details: f.message, metadata });
  }
  const message = err instanceof Error ? err.message : String(err);
  return Object.assign(new Error(message), { code: status.INTERNAL, details: message, metadata });
}
