import { status, type ChannelCredentials, type Metadata, type ServiceError } from '@grpc/grpc-js';
import { authMetadata, byStatus, callUnary, grpcEndpoint, type StatusTable, type UnaryMethod as GrpcUnaryMethod } from '../../net/grpc';
import { E2eeBidiServiceClient, E2eeUnaryServiceClient, E2eeUnaryServiceService } from '../../gen/skiserver/skiserver_service';
import { PortError, type RequestOf, type ResponseOf, type SkiserverPort, type UnaryMethod } from '../protocol/skiserver-port';

export interface GrpcPortOptions {
  /** `grpc://host:port` (plaintext) or `grpcs://host:port` (TLS). */
  address: string;
  /** Metadata key for the auth token; the real Skiserver's is unpublished. Default `authorization`. */
  authHeader?: string;
  /** Prefix before the token; default `Bearer `. */
  authScheme?: string;
  defaultTimeoutMs?: number;
}

/** Registration carries ~170 KB of keys and images go up to a few MB, above grpc-js's 4 MB default. */
const CHANNEL_OPTIONS = {
  'grpc.max_receive_message_length': 16 * 1024 * 1024,
  'grpc.max_send_message_length': 16 * 1024 * 1024,
  'grpc.keepalive_time_ms': 30_000,
  'grpc.keepalive_timeout_ms': 10_000,
};

const asBuffer = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

const KIND_BY_STATUS: StatusTable<PortError['kind']> = {
  [status.UNAVAILABLE]: 'unavailable',
  [status.CANCELLED]: 'unavailable',
  [status.RESOURCE_EXHAUSTED]: 'unavailable',
  [status.ABORTED]: 'unavailable',
  [status.DEADLINE_EXCEEDED]: 'deadline',
  [status.UNAUTHENTICATED]: 'unauthenticated',
  [status.INTERNAL]: 'internal',
  [status.UNKNOWN]: 'internal',
};

/**
 * SkiserverPort over grpc-js: every call has a deadline and carries `authorization: Bearer <auth>` once a
 * token exists. An UNAUTHENTICATED answer triggers one re-login (through `reauthenticate`) and one retry.
 */
export class GrpcSkiserverPort implements SkiserverPort {
  readonly unary: E2eeUnaryServiceClient;
  private readonly host: string;
  private readonly creds: ChannelCredentials;
  private token: string | null = null;
  /** The call metadata for the current token, built once: grpc-js copies it into every call it starts. */
  private callMetadata: Metadata | null = null;
  reauthenticate: (() => Promise<void>) | null = null;

  constructor(private readonly options: GrpcPortOptions) {
    const endpoint = grpcEndpoint(options.address, 'Skiserver');
    this.host = endpoint.target;
    this.creds = endpoint.credentials;
    this.unary = new E2eeUnaryServiceClient(this.host, this.creds, CHANNEL_OPTIONS);
  }

  setToken(token: string | null): void {
    if (token !== this.token) this.callMetadata = null;
    this.token = token;
  }

  metadata(): Metadata {
    this.callMetadata ??= authMetadata(this.token, { header: this.options.authHeader, scheme: this.options.authScheme });
    return this.callMetadata;
  }

  /** A fresh bidi client on its own channel, so a stuck stream never blocks unary calls. */
  bidiClient(): E2eeBidiServiceClient {
    return new E2eeBidiServiceClient(this.host, this.creds, { ...CHANNEL_OPTIONS, 'grpc.use_local_subchannel_pool': 1 });
  }

  call<M extends UnaryMethod>(method: M, request: RequestOf<M>, options: { timeoutMs?: number } = {}): Promise<ResponseOf<M>> {
    const fn = (this.unary as unknown as Record<string, GrpcUnaryMethod<RequestOf<M>, ResponseOf<M>> | undefined>)[method];
    if (typeof fn !== 'function') return Promise.reject(new PortError('internal', `no such method ${method}`));
    return this.withLogin(method, () => this.once(method, fn, request, options));
  }

  callEncoded<M extends UnaryMethod>(method: M, request: Uint8Array, options: { timeoutMs?: number } = {}): Promise<ResponseOf<M>> {
    const def = (E2eeUnaryServiceService as unknown as Record<string, { path: string; responseDeserialize(b: Buffer): ResponseOf<M> } | undefined>)[method];
    if (!def) return Promise.reject(new PortError('internal', `no such method ${method}`));
    // The generated method with the serializer left out: the request is already its wire bytes.
    const fn: GrpcUnaryMethod<Uint8Array, ResponseOf<M>> = (req, metadata, callOptions, callback) =>
      this.unary.makeUnaryRequest(def.path, asBuffer, (b: Buffer) => def.responseDeserialize(b), req, metadata, callOptions, (err, res) => callback(err, res as ResponseOf<M>));
    return this.withLogin(method, () => this.once(method, fn, request, options));
  }

  /** An UNAUTHENTICATED answer triggers one re-login and one retry. */
  private async withLogin<T>(method: UnaryMethod, attempt: () => Promise<T>): Promise<T> {
    try {
      return await attempt();
    } catch (err) {
      if (err instanceof PortError && err.kind === 'unauthenticated' && this.reauthenticate && method !== 'login') {
        await this.reauthenticate();
        return attempt();
      }
      throw err;
    }
  }

  private async once<Req, Res>(method: UnaryMethod, fn: GrpcUnaryMethod<Req, Res>, request: Req, options: { timeoutMs?: number }): Promise<Res> {
    const deadlineMs = options.timeoutMs ?? this.options.defaultTimeoutMs ?? 15_000;
    try {
      return await callUnary(this.unary, fn, request, { metadata: this.metadata(), deadlineMs });
    } catch (err) {
      const e = err as ServiceError;
      throw new PortError(byStatus(e.code, KIND_BY_STATUS, 'rejected'), `${method}: ${e.details || e.message}`);
    }
  }

  close(): void {
    this.unary.close();
  }
}
