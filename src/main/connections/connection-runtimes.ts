import type { ConnectionKind } from '../../shared/contract';
import type { Logger } from '../log';
import type { StoredConnection } from './connection-repo';
import type { ConnectionChange, ConnectionService } from './connection-service';

/** Why a runtime ends: its connection was edited, removed, or the app is closing. */
export type RuntimeEnd = 'replaced' | 'removed' | 'closed';

export interface RuntimeSpec<T> {
  /** The connection kinds that get a runtime (checked on every change, so late registrations count). */
  kinds: readonly ConnectionKind[] | ((kind: ConnectionKind) => boolean);
  create(connection: StoredConnection): T;
  /**
   * Ends a runtime. Returning a promise makes a replacement wait for it, so an old runtime's last
   * words (e.g. "device removed") never arrive after its successor's first.
   */
  dispose(runtime: T, connection: StoredConnection, why: RuntimeEnd): void | Promise<void>;
  /**
   * Whether an edited connection keeps its runtime (which `update` then tells); by default every edit
   * replaces it, since a new address, secret or option may be baked into what it built.
   */
  keep?(next: StoredConnection, previous: StoredConnection): boolean;
  update?(runtime: T, connection: StoredConnection): void;
}

interface Entry<T> {
  connection: StoredConnection;
  runtime: T;
}

/**
 * One runtime per connection of some kinds, in step with the ConnectionService: created when a
 * connection is added (or on `start` for those already configured), replaced when it is edited,
 * disposed when it is removed. The fleet, cloud accounts, chat and IMSS clients all live this way.
 * Secrets are not a runtime's business: `ConnectionService.remove` deletes them all.
 */
export class ConnectionRuntimes<T> {
  private readonly entries = new Map<string, Entry<T>>();
  /** Connections whose old runtime is still being disposed; their new one waits (the latest wanted). */
  private readonly waiting = new Map<string, StoredConnection | null>();
  private readonly pending = new Set<Promise<void>>();
  private readonly unsubscribe: () => void;
  private closed = false;

  constructor(
    private readonly connections: ConnectionService,
    private readonly spec: RuntimeSpec<T>,
    private readonly log: Logger,
  ) {
    this.unsubscribe = connections.onChange((change) => this.changed(change));
  }

  /** Creates the runtimes of the connections configured before this started. */
  start(): void {
    for (const connection of this.connections.stored()) {
      if (this.handles(connection.kind) && !this.entries.has(connection.id)) this.tryCreate(connection);
    }
  }

  /** The runtime a connection has now, if any. */
  get(connectionId: string): T | undefined {
    return this.entries.get(connectionId)?.runtime;
  }

  /**
   * The runtime of a connection, created now if it has none yet (before `start`, or after a failed
   * create); undefined for an unknown connection or one of another kind. Errors of `create` propagate.
   */
  ensure(connectionId: string): T | undefined {
    const entry = this.entries.get(connectionId);
    if (entry) return entry.runtime;
    if (this.closed || this.waiting.has(connectionId)) return undefined;
    let connection: StoredConnection;
    try {
      connection = this.connections.get(connectionId);
    } catch {
      return undefined;
    }
    return this.handles(connection.kind) ? this.create(connection) : undefined;
  }

  /** The live runtimes with their connections, in creation order. */
  list(): { connection: StoredConnection; runtime: T }[] {
    return [...this.entries.values()].map((e) => ({ connection: e.connection, runtime: e.runtime }));
  }

  /** Stops following the connections and disposes every runtime. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe();
    this.waiting.clear();
    for (const id of [...this.entries.keys()]) this.end(id, 'closed');
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  private changed({ type, connection }: ConnectionChange): void {
    if (!this.handles(connection.kind)) return;
    const id = connection.id;
    if (type === 'removed') {
      if (this.waiting.has(id)) this.waiting.set(id, null);
      this.end(id, 'removed');
      return;
    }
    if (this.waiting.has(id)) {
      this.waiting.set(id, connection);
      return;
    }
    const entry = this.entries.get(id);
    if (type === 'updated' && entry && this.spec.keep?.(connection, entry.connection)) {
      entry.connection = connection;
      this.spec.update?.(entry.runtime, connection);
      return;
    }
    const disposing = this.end(id, 'replaced');
    if (!disposing) {
      this.tryCreate(connection);
      return;
    }
    this.waiting.set(id, connection);
    this.track(
      disposing.then(() => {
        const wanted = this.waiting.get(id);
        this.waiting.delete(id);
        if (wanted && !this.closed && !this.entries.has(id)) this.tryCreate(wanted);
      }),
    );
  }

  /** Disposes a connection's runtime; a promise when the disposal is asynchronous. */
  private end(id: string, why: RuntimeEnd): Promise<void> | null {
    const entry = this.entries.get(id);
    if (!entry) return null;
    this.entries.delete(id);
    let result: void | Promise<void>;
    try {
      result = this.spec.dispose(entry.runtime, entry.connection, why);
    } catch (err) {
      this.log.error(`disposing the runtime of ${entry.connection.name} failed`, err);
      return null;
    }
    if (!(result instanceof Promise)) return null;
    const done = result.catch((err: unknown) => this.log.error(`disposing the runtime of ${entry.connection.name} failed`, err));
    this.track(done);
    return done;
  }

  private create(connection: StoredConnection): T {
    const runtime = this.spec.create(connection);
    this.entries.set(connection.id, { connection, runtime });
    return runtime;
  }

  /** Creates from a change or `start`: a connection that cannot run is logged, not fatal to the others. */
  private tryCreate(connection: StoredConnection): void {
    try {
      this.create(connection);
    } catch (err) {
      this.log.error(`cannot start ${connection.name}`, err);
    }
  }

  private track(promise: Promise<void>): void {
    this.pending.add(promise);
    void promise.finally(() => this.pending.delete(promise));
  }

  private handles(kind: ConnectionKind): boolean {
    const { kinds } = this.spec;
    return typeof kinds === 'function' ? kinds(kind) : kinds.includes(kind);
  }
}
