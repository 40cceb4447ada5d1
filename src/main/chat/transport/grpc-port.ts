import { credentials, Metadata, status, type ChannelCredentials, type ServiceError } from '@grpc/grpc-js';
import { E2eeBidiServiceClient, E2eeUnaryServiceClient } from '../../gen/skiserver/skiserver_service';
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

export function target(address: string): { host: string; creds: ChannelCredentials } {
  const url = new URL(address);
  const port = url.port || (url.protocol === 'grpcs:' ? '443' : '80');
  return { host: `${url.hostname}:${port}`, creds: url.protocol === 'grpcs:' ? credentials.createSsl() : credentials.createInsecure() };
}

function kindOf(err: ServiceError): PortError['kind'] {
  switch (err.code) {
    case status.UNAVAILABLE:
    case status.CANCELLED:
    case status.RESOURCE_EXHAUSTED:
    case status.ABORTED:
      return 'unavailable';
    case status.DEADLINE_EXCEEDED:
      return 'deadline';
    case status.UNAUTHENTICATED:
      return 'unauthenticated';
    case status.INTERNAL:
    case status.UNKNOWN:
      return 'internal';
    default:
      return 'rejected';
  }
}

/**
 * SkiserverPort over grpc-js: every call has a deadline and carries `authorization: Bearer <auth>` once a
 * token exists. An UNAUTHENTICATED answer triggers one re-login (through `reauthenticate`) and one retry.
 */
export class GrpcSkiserverPort implements SkiserverPort {
  readonly unary: E2eeUnaryServiceClient;
  private readonly host: string;
  private readonly creds: ChannelCredentials;
  private token: string | null = null;
  reauthenticate: (() => Promise<void>) | null = null;

  constructor(private readonly options: GrpcPortOptions) {
    const { host, creds } = target(options.address);
    this.host = host;
    this.creds = creds;
    this.unary = new E2eeUnaryServiceClient(host, creds, CHANNEL_OPTIONS);
  }

  setToken(token: string | null): void {
    this.token = token;
  }

  metadata(): Metadata {
    const md = new Metadata();
    if (this.token) md.set(this.options.authHeader ?? 'authorization', `${this.options.authScheme ?? 'Bearer '}${this.token}`);
    return md;
  }

  /** A fresh bidi client on its own channel, so a stuck stream never blocks unary calls. */
  bidiClient(): E2eeBidiServiceClient {
    return new E2eeBidiServiceClient(this.host, this.creds, { ...CHANNEL_OPTIONS, 'grpc.use_local_subchannel_pool': 1 });
  }

  async call<M extends UnaryMethod>(method: M, request: RequestOf<M>, options: { timeoutMs?: number } = {}): Promise<ResponseOf<M>> {
    try {
      return await this.once(method, request, options);
    } catch (err) {
      if (err instanceof PortError && err.kind === 'unauthenticated' && this.reauthenticate && method !== 'login') {
        await this.reauthenticate();
        return this.once(method, request, options);
      }
      throw err;
    }
  }

  private once<M extends UnaryMethod>(method: M, request: RequestOf<M>, options: { timeoutMs?: number }): Promise<ResponseOf<M>> {
    const deadline = Date.now() + (options.timeoutMs ?? this.options.defaultTimeoutMs ?? 15_000);
    const fn = (this.unary as unknown as Record<string, (...args: unknown[]) => unknown>)[method];
    if (typeof fn !== 'function') return Promise.reject(new PortError('internal', `no such method ${method}`));
    return new Promise((resolve, reject) => {
      fn.call(this.unary, request, this.metadata(), { deadline }, (err: ServiceError | null, response: ResponseOf<M>) => {
        if (err) reject(new PortError(kindOf(err), `${method}: ${err.details || err.message}`));
        else resolve(response);
      });
    });
  }

  close(): void {
    this.unary.close();
  }
}
