import { randomUUID } from 'node:crypto';
import {
  addressProblem,
  type Connection,
  type ConnectionKind,
  type ConnectionOptions,
  type ConnectionOrigin,
} from '../../shared/contract';
import { AppError } from '../../shared/rpc/result';
import type { EventHub } from '../events/event-hub';
import type { SecretStore } from '../store/secrets';
import { ConnectionRepo, type StoredConnection } from './connection-repo';

export interface NewConnection {
  kind: ConnectionKind;
  name: string;
  address: string;
  options: ConnectionOptions;
  secret?: string | undefined;
  origin?: ConnectionOrigin;
}

export interface ConnectionPatch {
  id: string;
  name?: string | undefined;
  address?: string | undefined;
  options?: ConnectionOptions | undefined;
  secret?: string | null | undefined;
}

type Listener = (change: { type: 'added' | 'updated' | 'removed'; connection: StoredConnection }) => void;

const secretId = (connectionId: string): string => `connection:${connectionId}`;

/**
 * The printers and servers the user configured. Secrets given with a connection go to the
 * encrypted store; what leaves this service for clients only says whether one exists.
 */
export class ConnectionService {
  private readonly repo: ConnectionRepo;
  private readonly listeners = new Set<Listener>();
  private listQueued = false;
  private open = true;

  constructor(
    repo: ConnectionRepo,
    private readonly secrets: SecretStore,
    private readonly events: EventHub,
  ) {
    this.repo = repo;
  }

  list(): Connection[] {
    const withSecret = this.secrets.idsWithPrefix('connection:');
    return this.repo.list().map((c) => ({ ...c, hasSecret: withSecret.has(secretId(c.id)) }));
  }

  stored(): StoredConnection[] {
    return this.repo.list();
  }

  get(id: string): StoredConnection {
    const found = this.repo.get(id);
    if (!found) throw new AppError('NOT_FOUND', `No connection with id ${id}.`);
    return found;
  }

  /** Main-only: the decrypted secret for drivers and clients. Never put this in a reply. */
  secretOf(id: string): string | null {
    return this.secrets.get(secretId(id));
  }

  add(input: NewConnection): Connection {
    const now = Date.now();
    const stored: StoredConnection = {
      id: randomUUID(),
      kind: input.kind,
      name: input.name,
      address: input.address,
      options: input.options,
      origin: input.origin ?? 'user',
      createdAt: now,
      updatedAt: now,
    };
    if (input.secret !== undefined) this.secrets.set(secretId(stored.id), input.secret);
    try {
      this.repo.insert(stored);
    } catch (err) {
      if (input.secret !== undefined) this.secrets.delete(secretId(stored.id));
      throw err;
    }
    this.changed('added', stored);
    return this.toPublic(stored);
  }

  update(patch: ConnectionPatch): Connection {
    const current = this.get(patch.id);
    const next: StoredConnection = {
      ...current,
      name: patch.name ?? current.name,
      address: patch.address ?? current.address,
      options: patch.options ?? current.options,
      updatedAt: Date.now(),
    };
    const problem = addressProblem(next.kind, next.address);
    if (problem) throw new AppError('BAD_REQUEST', problem, 'address');
    this.repo.update(next);
    if (patch.secret === null) this.secrets.delete(secretId(next.id));
    else if (patch.secret !== undefined) this.secrets.set(secretId(next.id), patch.secret);
    this.changed('updated', next);
    return this.toPublic(next);
  }

  remove(id: string): void {
    const current = this.get(id);
    this.repo.delete(id);
    this.secrets.delete(secretId(id));
    this.changed('removed', current);
  }

  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(type: 'added' | 'updated' | 'removed', connection: StoredConnection): void {
    // One list per burst of changes: adding a fleet of connections must not re-list it each time.
    if (!this.listQueued) {
      this.listQueued = true;
      queueMicrotask(() => {
        this.listQueued = false;
        if (this.open) this.events.emit('connections.changed', { connections: this.list() });
      });
    }
    for (const listener of this.listeners) listener({ type, connection });
  }

  /** Called by the hub before the database closes. */
  close(): void {
    this.open = false;
  }

  private toPublic(c: StoredConnection): Connection {
    return { ...c, hasSecret: this.secrets.has(secretId(c.id)) };
  }
}
