import { status } from '@grpc/grpc-js';
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
import type { BackoffPolicy } from '../../../shared/async';
import { authMetadata, callUnary, grpcEndpoint, isServiceError, withRetries, type UnaryMethod } from '../../net/grpc';
import { toArmoryError } from './errors';

export interface ArmoryApiOptions {
  /** Per-attempt deadline. */
  deadlineMs?: number;
  /** Extra attempts after an UNAVAILABLE answer. */
  retries?: number;
  backoff?: Omit<BackoffPolicy, 'jitter'>;
  random?: () => number;
}

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
    const endpoint = grpcEndpoint(address, 'Armory');
    this.client = new ArmoryClient(endpoint.target, endpoint.credentials, {
      'grpc.initial_reconnect_backoff_ms': 300,
      'grpc.max_reconnect_backoff_ms': 5_000,
      'grpc.keepalive_time_ms': 60_000,
      'grpc.max_receive_message_length': 16 * 1024 * 1024,
    });
    this.deadlineMs = options.deadlineMs ?? 10_000;
    this.retries = options.retries ?? 3;
    // Equal jitter: the retries of many clients spread out, but none comes at once.
    this.backoff = { ...(options.backoff ?? { baseMs: 250, maxMs: 4_000 }), jitter: 'equal' };
    this.random = options.random ?? Math.random;
  }

  close(): void {
    this.controller.abort(new Error('the Armory client was closed'));
    this.client.close();
  }

  login(account: string, secret: { password: string } | { code: string }): Promise<LoginResponse> {
    const req = { account, password: 'password' in secret ? secret.password : '', code: 'code' in secret ? secret.code : '' };
    return this.unary('Login', this.client.login, req, null, {
      passwordLogin: 'password' in secret,
      codeLogin: 'code' in secret,
    });
  }

  refreshToken(refreshToken: string): Promise<RefreshTokenResponse> {
    return this.unary('RefreshToken', this.client.refreshToken, { refreshToken }, null);
  }

  listMyMessages(token: string, req: ListMyMessagesRequest): Promise<ListMyMessagesResponse> {
    return this.unary('ListMyMessages', this.client.listMyMessages, req, token);
  }

  listMyTasks(token: string, req: ListMyTasksRequest): Promise<ListMyTasksResponse> {
    return this.unary('ListMyTasks', this.client.listMyTasks, req, token);
  }

  getSlicerResources(token: string, type: string): Promise<GetSlicerResourcesResponse> {
    return this.unary('GetSlicerResources', this.client.getSlicerResources, { type }, token);
  }

  listUserDevices(token: string): Promise<ListUserDevicesResponse> {
    return this.unary('ListUserDevices', this.client.listUserDevices, {}, token);
  }

  getPrintStatus(token: string, force: boolean): Promise<GetPrintStatusResponse> {
    return this.unary('GetPrintStatus', this.client.getPrintStatus, { force }, token);
  }

  getTtCode(token: string, devId: string): Promise<GetTTCodeResponse> {
    return this.unary('GetTTCode', this.client.getTtCode, { devId }, token);
  }

  private async unary<Req, Res>(
    rpc: string,
    fn: UnaryMethod<Req, Res>,
    request: Req,
    token: string | null,
    loginKind: { passwordLogin?: boolean; codeLogin?: boolean } = {},
  ): Promise<Res> {
    const signal = this.controller.signal;
    try {
      return await withRetries(
        () => {
          this.onCall?.(rpc);
          return callUnary(this.client, fn, request, { metadata: authMetadata(token), deadlineMs: this.deadlineMs, signal });
        },
        { retries: this.retries, retryOn: (err) => isServiceError(err) && err.code === status.UNAVAILABLE, backoff: this.backoff, random: this.random, signal },
      );
    } catch (err) {
      throw toArmoryError(err, rpc, loginKind);
    }
  }
}
