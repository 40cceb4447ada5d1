import type { Migration } from '../store/migrations';

/** The cloud domain's tables, applied by the cloud module through `applyDomainMigrations`. */
export const CLOUD_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'cloud inbox: the newest message id seen per account',
    sql: `CREATE TABLE cloud_inbox_seen (
      connection_id TEXT PRIMARY KEY,
      last_id TEXT NOT NULL,
      updated_at INTEGER NOT NULL
    );`,
  },
];
