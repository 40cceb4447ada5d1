import { Metadata, status, type CallOptions, type ClientUnaryCall, type ServiceError } from '@grpc/grpc-js';
import {
  ArmoryClient,
  type GetPrintStatusResponse,
  type GetSlicerResourcesResponse,
  type GetTTCodeResponse,
  type ListMyMessagesRequest,
  type ListMyMessagesResponse,
  type ListMyTasksRequest,
  type ListMyTasksResponse,
  type ListUserDevicesResponse,
  type LoginResponse,
  type RefreshTokenResponse,
} from '../../gen/armory/v1/armory';
import { channelCredentials, parseEndpoint } from './endpoint';
import { isServiceError, toArmoryError } from './errors';
import { backoffDelay, sleep, type BackoffPolicy } from './retry';

export interface ArmoryApiOptions {
  /** Per-attempt deadline. */
  deadlineMs?: number;
  /** Extra attempts after an UNAVAILABLE answer. */
  retries?: number;
  backoff?: BackoffPolicy;
  random?: () => number;
}

type Unary<Req, Res> = (
  request: Req,
  metadata: Metadata,
  options: Partial<CallOptions>,
  callback: (error: ServiceError | null, response: Res) => void,
) => ClientUnaryCall;

/** Counts per RPC, for the benchmark and the log. */
export type CallCounter = (rpc: string) => void;

/**
 * The Armory gRPC client: TLS or plaintext from the address, the bearer token as metadata,
 * a deadline on every attempt and retries with jittered back-off on UNAVAILABLE only (the one
 * status that says the request was not processed). Every failure becomes an ArmoryError.
 */
export class ArmoryApi {
  private readonly client: ArmoryClient;
  private readonly deadlineMs: number;
  private readonly retries: number;
  private readonly backoff: BackoffPolicy;
  private readonly random: () => number;
  private readonly controller = new AbortController();
  onCall: CallCounter | null = null;

  constructor(address: string, options: ArmoryApiOptions = {}) {
    const endpoint = parseEndpoint(address);
    this.client = new ArmoryClient(endpoint.target, channelCredentials(endpoint), {
      'grpc.initial_reconnect_backoff_ms': 300,
      'grpc.max_reconnect_backoff_ms': 5_000,
      'grpc.keepalive_time_ms': 60_000,
      'grpc.max_receive_message_length': 16 * 1024 * 1024,
    });
    this.deadlineMs = options.deadlineMs ?? 10_000;
    this.retries = options.retries ?? 3;
    this.backoff = options.backoff ?? { baseMs: 250, maxMs: 4_000 };
    this.random = options.random ?? Math.random;
  }

  close(): void {
    this.controller.abort(new Error('the Armory client was closed'));
    this.client.close();
  }

  login(account: string, secret: { password: string } | { code: string }): Promise<LoginResponse> {
    const req = { account, password: 'password' in secret ? secret.password : '', code: 'code' in secret ? secret.code : '' };
    return this.unary('Login', this.client.login.bind(this.client), req, null, {
      passwordLogin: 'password' in secret,
      codeLogin: 'code' in secret,
    });
  }

  refreshToken(refreshToken: string): Promise<RefreshTokenResponse> {
    return this.unary('RefreshToken', this.client.refreshToken.bind(this.client), { refreshToken }, null);
  }

  listMyMessages(token: string, req: ListMyMessagesRequest): Promise<ListMyMessagesResponse> {
    return this.unary('ListMyMessages', this.client.listMyMessages.bind(this.client), req, token);
  }

  listMyTasks(token: string, req: ListMyTasksRequest): Promise<ListMyTasksResponse> {
    return this.unary('ListMyTasks', this.client.listMyTasks.bind(this.client), req, token);
  }

  getSlicerResources(token: string, type: string): Promise<GetSlicerResourcesResponse> {
    return this.unary('GetSlicerResources', this.client.getSlicerResources.bind(this.client), { type }, token);
  }

  listUserDevices(token: string): Promise<ListUserDevicesResponse> {
    return this.unary('ListUserDevices', this.client.listUserDevices.bind(this.client), {}, token);
  }

  getPrintStatus(token: string, force: boolean): Promise<GetPrintStatusResponse> {
    return this.unary('GetPrintStatus', this.client.getPrintStatus.bind(this.client), { force }, token);
  }

  getTtCode(token: string, devId: string): Promise<GetTTCodeResponse> {
    return this.unary('GetTTCode', this.client.getTtCode.bind(this.client), { devId }, token);
  }

  private async unary<Req, Res>(
    rpc: string,
    fn: Unary<Req, Res>,
    request: Req,
    token: string | null,
    loginKind: { passwordLogin?: boolean; codeLogin?: boolean } = {},
  ): Promise<Res> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.attempt(rpc, fn, request, token);
      } catch (err) {
        const retryable = isServiceError(err) && err.code === status.UNAVAILABLE && attempt < this.retries && !this.controller.signal.aborted;
        if (!retryable) throw toArmoryError(err, rpc, loginKind);
        await sleep(backoffDelay(attempt, this.backoff, this.random), this.controller.signal).catch(() => undefined);
      }
    }
  }

  private attempt<Req, Res>(rpc: string, fn: Unary<Req, Res>, request: Req, token: string | null): Promise<Res> {
    this.onCall?.(rpc);
    const metadata = new Metadata();
    if (token) metadata.set('authorization', `Bearer ${token}`);
    return new Promise<Res>((resolve, reject) => {
      const call = fn(request, metadata, { deadline: Date.now() + this.deadlineMs }, (err, res) => {
        this.controller.signal.removeEventListener('abort', onAbort);
        if (err) reject(err);
        else resolve(res);
      });
      const onAbort = () => call.cancel();
      this.controller.signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}
