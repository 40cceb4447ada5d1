import type { DatabaseSync } from 'node:sqlite';

export interface Migration {
  version: number;
  description: string;
  sql: string;
}

/**
 * The core schema, recorded in the database's `user_version`. Never edit a released migration;
 * add a new one. Each domain (uploads, chat, cloud) keeps its own numbered list, applied through
 * `applyDomainMigrations`, so domains evolve without renumbering each other.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'connections, secrets, settings, domain migrations',
    sql: `
      CREATE TABLE connections (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        name TEXT NOT NULL,
        address TEXT NOT NULL,
        options TEXT NOT NULL DEFAULT '{}',
        origin TEXT NOT NULL DEFAULT 'user',
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE TABLE secrets (
        id TEXT PRIMARY KEY,
        iv BLOB NOT NULL,
        tag BLOB NOT NULL,
        ciphertext BLOB NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
      CREATE TABLE domain_migrations (
        domain TEXT PRIMARY KEY,
        version INTEGER NOT NULL
      );
    `,
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS.reduce((max, m) => Math.max(max, m.version), 0);

/** Thrown when a domain's tables were written by a newer Printdeck; nothing is changed. */
export class NewerDomainSchemaError extends Error {
  constructor(
    readonly domain: string,
    readonly found: number,
    readonly known: number,
  ) {
    super(
      `The ${domain} data was written by a newer Printdeck (schema ${found}; this build knows up to ${known}). ` +
        'Nothing was changed. Update Printdeck, or start it with another data folder.',
    );
    this.name = 'NewerDomainSchemaError';
  }
}

/** Applies a domain's migrations it lacks, each in its own transaction. */
export function applyDomainMigrations(db: DatabaseSync, domain: string, migrations: readonly Migration[]): void {
  const latest = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  const row = db.prepare('SELECT version FROM domain_migrations WHERE domain = ?').get(domain) as { version: number } | undefined;
  const current = row?.version ?? 0;
  if (current > latest) throw new NewerDomainSchemaError(domain, current, latest);
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    db.exec('BEGIN IMMEDIATE');
    try {
      db.exec(migration.sql);
      db.prepare(
        'INSERT INTO domain_migrations (domain, version) VALUES (?, ?) ON CONFLICT(domain) DO UPDATE SET version = excluded.version',
      ).run(domain, migration.version);
      db.exec('COMMIT');
    } catch (err) {
      db.exec('ROLLBACK');
      throw err;
    }
  }
}
