import { credentials, type ChannelCredentials } from '@grpc/grpc-js';
import { AppError } from '../../../shared/rpc/result';

export interface GrpcEndpoint {
  /** host:port as grpc-js wants it. */
  target: string;
  tls: boolean;
  credentials: ChannelCredentials;
}

/**
 * `grpcs://host[:port]` is TLS (default port 443), `grpc://host[:port]` plaintext (default 80).
 * `service` names the server in the errors ("Armory", "IMSS", …).
 */
export function grpcEndpoint(address: string, service: string): GrpcEndpoint {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    throw new AppError('BAD_REQUEST', `"${address}" is not an address for ${service}; expected grpcs://host:port.`);
  }
  if (url.protocol !== 'grpc:' && url.protocol !== 'grpcs:') {
    throw new AppError('BAD_REQUEST', `${service} addresses start with grpcs:// (TLS) or grpc:// (plaintext), not ${url.protocol}//.`);
  }
  if (!url.hostname) throw new AppError('BAD_REQUEST', `The ${service} address "${address}" has no host.`);
  const tls = url.protocol === 'grpcs:';
  const port = url.port || (tls ? '443' : '80');
  return { target: `${url.hostname}:${port}`, tls, credentials: tls ? credentials.createSsl() : credentials.createInsecure() };
}
