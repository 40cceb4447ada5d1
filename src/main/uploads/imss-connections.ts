import { status } from '@grpc/grpc-js';
import { AppError } from '../../shared/rpc/result';
import { ConnectionRuntimes } from '../connections/connection-runtimes';
import type { ConnectionService } from '../connections/connection-service';
import type { Logger } from '../log';
import { ImssCallError, type ImssApi } from './imss-api';
import { GrpcImssClient } from './imss-grpc-client';

export type ImssApiFactory = (address: string, secret: string | null) => ImssApi;

export const grpcImssFactory: ImssApiFactory = (address, secret) => new GrpcImssClient({ address, secret });

/**
 * One IMSS client per `imss` connection, created with the connection and replaced whenever it is
 * edited (its address or secret may have changed); `onChanged` hears of every replaced or removed one.
 */
export class ImssConnections {
  private readonly clients: ConnectionRuntimes<ImssApi>;

  constructor(
    private readonly connections: ConnectionService,
    factory: ImssApiFactory,
    onChanged: (connectionId: string) => void,
    log: Logger,
  ) {
    this.clients = new ConnectionRuntimes(
      connections,
      {
        kinds: ['imss'],
        create: (connection) => factory(connection.address, connections.secretOf(connection.id)),
        dispose: (api, connection, why) => {
          api.close();
          if (why !== 'closed') onChanged(connection.id);
        },
      },
      log,
    );
  }

  /** The client for a connection, or null if it is not an IMSS connection (any more). */
  api(connectionId: string): ImssApi | null {
    return this.clients.ensure(connectionId) ?? null;
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

  start(): void {
    this.clients.start();
  }

  close(): Promise<void> {
    return this.clients.close();
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
