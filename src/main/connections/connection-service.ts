import { randomUUID } from 'node:crypto';
import {
  addressProblem,
  normalizeAddress,
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

export interface ConnectionChange {
  type: 'added' | 'updated' | 'removed';
  connection: StoredConnection;
}

type Listener = (change: ConnectionChange) => void;

const secretId = (connectionId: string): string => `connection:${connectionId}`;

/** Scheme, host and port: where a secret would be sent. */
function endpointOf(address: string): string {
  try {
    const url = new URL(address);
    return url.protocol === 'serial:' || url.protocol === 'usb:' ? url.href : `${url.protocol}//${url.host}`;
  } catch {
    return address;
  }
}

/**
 * Options whose names start with `demo` are set by the demo fleet (e.g. where its sandbox writes
 * verification codes) and read by main; clients may not add or change them.
 */
function keepDemoOptions(current: ConnectionOptions, requested: ConnectionOptions): ConnectionOptions {
  const next: ConnectionOptions = {};
  for (const [k, v] of Object.entries(requested)) if (!k.startsWith('demo')) next[k] = v;
  for (const [k, v] of Object.entries(current)) if (k.startsWith('demo')) next[k] = v;
  return next;
}

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
    // Only the demo fleet (origin 'demo') may set demo* options; see keepDemoOptions.
    const options = input.origin === 'demo' ? input.options : keepDemoOptions({}, input.options);
    const stored: StoredConnection = {
      id: randomUUID(),
      kind: input.kind,
      name: input.name,
      address: normalizeAddress(input.kind, input.address),
      options,
      origin: input.origin ?? 'user',
      createdAt: now,
      updatedAt: now,
    };
    // The row and its secret commit together (the secret store shares the database).
    this.repo.insert(stored, () => {
      if (input.secret !== undefined) this.secrets.set(secretId(stored.id), input.secret);
    });
    this.changed('added', stored);
    return this.toPublic(stored);
  }

  update(patch: ConnectionPatch): Connection {
    const current = this.get(patch.id);
    const next: StoredConnection = {
      ...current,
      name: patch.name ?? current.name,
      address: patch.address === undefined ? current.address : normalizeAddress(current.kind, patch.address),
      options: patch.options ? keepDemoOptions(current.options, patch.options) : current.options,
      updatedAt: Date.now(),
    };
    const problem = addressProblem(next.kind, next.address);
    if (problem) throw new AppError('BAD_REQUEST', problem, 'address');
    // A key given for one server must never be sent to another: pointing a connection elsewhere
    // without giving a new secret forgets the stored ones (its own and those its domain keeps).
    const movedAway = endpointOf(current.address) !== endpointOf(next.address);
    this.repo.update(next, () => {
      if (movedAway) this.secrets.deletePrefix(`${secretId(next.id)}:`);
      if (patch.secret === null || (movedAway && patch.secret === undefined)) this.secrets.delete(secretId(next.id));
      else if (patch.secret !== undefined) this.secrets.set(secretId(next.id), patch.secret);
    });
    this.changed('updated', next);
    return this.toPublic(next);
  }

  /** Deletes the connection and every secret kept for it (its own and its domain's), in one commit. */
  remove(id: string): void {
    const current = this.get(id);
    this.repo.delete(id, () => {
      this.secrets.delete(secretId(id));
      this.secrets.deletePrefix(`${secretId(id)}:`);
    });
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
