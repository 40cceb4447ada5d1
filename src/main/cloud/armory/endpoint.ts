import { credentials, type ChannelCredentials } from '@grpc/grpc-js';
import { AppError } from '../../../shared/rpc/result';

export interface ArmoryEndpoint {
  /** host:port as grpc-js wants it. */
  target: string;
  tls: boolean;
}

/** `grpcs://host[:port]` is TLS (default port 443), `grpc://host[:port]` plaintext (default 80). */
export function parseEndpoint(address: string): ArmoryEndpoint {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    throw new AppError('BAD_REQUEST', `"${address}" is not an Armory address; expected grpcs://host:port.`);
  }
  if (url.protocol !== 'grpc:' && url.protocol !== 'grpcs:') {
    throw new AppError('BAD_REQUEST', `An Armory address starts with grpcs:// (TLS) or grpc:// (plaintext), not ${url.protocol}//.`);
  }
  if (!url.hostname) throw new AppError('BAD_REQUEST', `The Armory address "${address}" has no host.`);
  const tls = url.protocol === 'grpcs:';
  const port = url.port || (tls ? '443' : '80');
  return { target: `${url.hostname}:${port}`, tls };
}

export function channelCredentials(endpoint: ArmoryEndpoint): ChannelCredentials {
  return endpoint.tls ? credentials.createSsl() : credentials.createInsecure();
}
