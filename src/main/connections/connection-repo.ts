import type { DatabaseSync } from 'node:sqlite';
import { Connection, ConnectionOptions, type ConnectionKind, type ConnectionOrigin } from '../../shared/contract';
import { guardedWrite } from '../store/database';

interface Row {
  id: string;
  kind: string;
  name: string;
  address: string;
  options: string;
  origin: string;
  created_at: number;
  updated_at: number;
}

export interface StoredConnection {
  id: string;
  kind: ConnectionKind;
  name: string;
  address: string;
  options: ConnectionOptions;
  origin: ConnectionOrigin;
  createdAt: number;
  updatedAt: number;
}

/** Rows of the `connections` table; rows that no longer parse are skipped, not fatal. */
export class ConnectionRepo {
  constructor(private readonly db: DatabaseSync) {}

  list(): StoredConnection[] {
    const rows = this.db.prepare('SELECT * FROM connections ORDER BY created_at, id').all() as unknown as Row[];
    return rows.flatMap((row) => {
      const parsed = toStored(row);
      return parsed ? [parsed] : [];
    });
  }

  get(id: string): StoredConnection | null {
    const row = this.db.prepare('SELECT * FROM connections WHERE id = ?').get(id) as Row | undefined;
    return row ? toStored(row) : null;
  }

  insert(c: StoredConnection, alsoInTransaction?: () => void): void {
    guardedWrite(this.db, () => {
      this.db
        .prepare(
          'INSERT INTO connections (id, kind, name, address, options, origin, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        )
        .run(c.id, c.kind, c.name, c.address, JSON.stringify(c.options), c.origin, c.createdAt, c.updatedAt);
      alsoInTransaction?.();
    });
  }

  update(c: StoredConnection, alsoInTransaction?: () => void): void {
    guardedWrite(this.db, () => {
      this.db
        .prepare('UPDATE connections SET name = ?, address = ?, options = ?, updated_at = ? WHERE id = ?')
        .run(c.name, c.address, JSON.stringify(c.options), c.updatedAt, c.id);
      alsoInTransaction?.();
    });
  }

  delete(id: string, alsoInTransaction?: () => void): boolean {
    return guardedWrite(this.db, () => {
      const result = this.db.prepare('DELETE FROM connections WHERE id = ?').run(id);
      alsoInTransaction?.();
      return Number(result.changes) > 0;
    });
  }
}

const StoredRow = Connection.omit({ hasSecret: true });

function toStored(row: Row): StoredConnection | null {
  let options: unknown;
  try {
    options = JSON.parse(row.options);
  } catch {
    return null;
  }
  const parsed = StoredRow.safeParse({
    id: row.id,
    kind: row.kind,
    name: row.name,
    address: row.address,
    options,
    origin: row.origin,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });
  return parsed.success ? parsed.data : null;
}
