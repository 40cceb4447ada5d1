import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { AppError } from '../../shared/rpc/result';
import { makePrivate } from './private-files';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, type Migration } from './migrations';

/** Raised before anything is written when the data folder cannot be used; the message says what to do. */
export class StoreOpenError extends Error {
  constructor(
    message: string,
    readonly reason: 'newer-schema' | 'locked' | 'unreadable',
  ) {
    super(message);
    this.name = 'StoreOpenError';
  }
}

export const DATABASE_FILE = 'printdeck.sqlite';
const BUSY_TIMEOUT_MS = 2_000;

export interface OpenDatabaseOptions {
  dataDir: string;
  /** For tests of future versions; defaults to this build's migrations. */
  migrations?: readonly Migration[];
  /** Told when the folder or the database files were open to others and have been tightened. */
  warn?: (message: string) => void;
}

/** Opens (creating if needed) the one database file, in WAL mode, migrated to this build's schema. */
export function openDatabase(options: OpenDatabaseOptions): DatabaseSync {
  const migrations = options.migrations ?? MIGRATIONS;
  const latest = options.migrations
    ? migrations.reduce((max, m) => Math.max(max, m.version), 0)
    : LATEST_SCHEMA_VERSION;
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(options.dataDir, DATABASE_FILE);
  let db: DatabaseSync;
  try {
    makePrivate(options.dataDir, file, options.warn ?? (() => undefined));
    db = new DatabaseSync(file, { timeout: BUSY_TIMEOUT_MS });
  } catch (err) {
    throw new StoreOpenError(`Cannot open the Printdeck database ${file}: ${(err as Error).message}`, 'unreadable');
  }
  try {
    const current = userVersion(db);
    if (current > latest) {
      throw new StoreOpenError(
        `The data folder ${options.dataDir} was written by a newer Printdeck (database schema ${current}; ` +
          `this build knows up to ${latest}). Nothing was changed. Update Printdeck, or start it with another data folder.`,
        'newer-schema',
      );
    }
    db.exec('PRAGMA journal_mode = WAL');
    db.exec('PRAGMA foreign_keys = ON');
    // FULL: a commit is on disk before anything is told of it (chat ratchet state before a send,
    // upload offsets before an ack); the write rate is low enough not to notice.
    db.exec('PRAGMA synchronous = FULL');
    for (const migration of migrations) {
      if (migration.version <= current) continue;
      runInTransaction(db, () => {
        db.exec(migration.sql);
        db.exec(`PRAGMA user_version = ${migration.version}`);
      });
    }
    return db;
  } catch (err) {
    db.close();
    if (err instanceof StoreOpenError) throw err;
    if (isBusy(err)) {
      throw new StoreOpenError(
        `The Printdeck database in ${options.dataDir} is locked by another process (another Printdeck using the same data folder?). Nothing was changed.`,
        'locked',
      );
    }
    throw new StoreOpenError(`Cannot prepare the Printdeck database ${file}: ${(err as Error).message}`, 'unreadable');
  }
}

export function userVersion(db: DatabaseSync): number {
  const row = db.prepare('PRAGMA user_version').get() as { user_version: number } | undefined;
  return row?.user_version ?? 0;
}

/** Runs `work` in a transaction; inside one already open, it joins it (one commit for the whole). */
export function runInTransaction<T>(db: DatabaseSync, work: () => T): T {
  if (db.isTransaction) return work();
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = work();
    db.exec('COMMIT');
    return result;
  } catch (err) {
    try {
      db.exec('ROLLBACK');
    } catch {
      // The transaction may already be gone (e.g. BEGIN itself failed on a lock).
    }
    throw err;
  }
}

export function isBusy(err: unknown): boolean {
  const message = err instanceof Error ? err.message : String(err);
  return /database is locked|SQLITE_BUSY|database table is locked/i.test(message);
}

/** Runs a write; a lock held elsewhere becomes a clear STORE_BUSY error instead of a crash. */
export function guardedWrite<T>(db: DatabaseSync, work: () => T): T {
  try {
    return runInTransaction(db, work);
  } catch (err) {
    if (isBusy(err)) {
      throw new AppError(
        'STORE_BUSY',
        'The Printdeck database is locked by another process, so nothing was saved. Close the other program using this data folder and try again.',
      );
    }
    throw err;
  }
}
