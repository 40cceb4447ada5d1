import { status } from '@grpc/grpc-js';
import { AppError } from '../../shared/rpc/result';
import type { ConnectionService } from '../connections/connection-service';
import { ImssCallError, type ImssApi } from './imss-api';
import { GrpcImssClient } from './imss-grpc-client';

export type ImssApiFactory = (address: string, secret: string | null) => ImssApi;

export const grpcImssFactory: ImssApiFactory = (address, secret) => new GrpcImssClient({ address, secret });

/**
 * One IMSS client per `imss` connection, created on first use and replaced when the
 * connection's address or secret changes.
 */
export class ImssConnections {
  private readonly clients = new Map<string, { api: ImssApi; address: string }>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly connections: ConnectionService,
    private readonly factory: ImssApiFactory,
    onChanged: (connectionId: string) => void,
  ) {
    this.unsubscribe = connections.onChange(({ connection }) => {
      if (connection.kind !== 'imss') return;
      this.drop(connection.id);
      onChanged(connection.id);
    });
  }

  /** The client for a connection, or null if it is not an IMSS connection (any more). */
  api(connectionId: string): ImssApi | null {
    const existing = this.clients.get(connectionId);
    if (existing) return existing.api;
    let connection;
    try {
      connection = this.connections.get(connectionId);
    } catch {
      return null;
    }
    if (connection.kind !== 'imss') return null;
    const api = this.factory(connection.address, this.connections.secretOf(connectionId));
    this.clients.set(connectionId, { api, address: connection.address });
    return api;
  }

  require(connectionId: string): ImssApi {
    const api = this.api(connectionId);
    if (!api) throw new AppError('NOT_FOUND', 'There is no image server (IMSS) connection with that id.');
    return api;
  }

  list(): { id: string; name: string }[] {
    return this.connections
      .stored()
      .filter((c) => c.kind === 'imss')
      .map((c) => ({ id: c.id, name: c.name }));
  }

  close(): void {
    this.unsubscribe();
    for (const id of [...this.clients.keys()]) this.drop(id);
  }

  private drop(connectionId: string): void {
    this.clients.get(connectionId)?.api.close();
    this.clients.delete(connectionId);
  }
}

/** Turns a failed IMSS call into the error the UI shows. */
export function appErrorOf(err: unknown, serverName = 'The image server'): AppError {
  if (err instanceof AppError) return err;
  // Unexpected errors can quote what they failed on (e.g. a header value, which may be a token):
  // their text stays in main's log, never in a reply.
  if (!(err instanceof ImssCallError)) return new AppError('INTERNAL', `${serverName} call failed unexpectedly; the details are in the Printdeck log.`);
  switch (err.code) {
    case status.UNAVAILABLE:
    case status.DEADLINE_EXCEEDED:
      return new AppError('UNAVAILABLE', `${serverName} does not answer right now; try again when it is back. (${err.message})`);
    case status.FAILED_PRECONDITION:
    case status.ALREADY_EXISTS:
      return new AppError('CONFLICT', err.message, err.trailers['imss-active-session-id']);
    case status.NOT_FOUND:
      return new AppError('NOT_FOUND', err.message);
    case status.INVALID_ARGUMENT:
      return new AppError('BAD_REQUEST', err.message);
    case status.UNAUTHENTICATED:
    case status.PERMISSION_DENIED:
      return new AppError('AUTH_REQUIRED', `${serverName} refused Printdeck's credentials; check the connection's token in Settings.`);
    default:
      return new AppError('UNAVAILABLE', `${serverName} failed: ${err.message}`);
  }
}
