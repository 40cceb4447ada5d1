import { chmodSync, closeSync, constants, openSync, statSync } from 'node:fs';
import path from 'node:path';

/** The database and its WAL/SHM companions (SQLite gives those the main file's mode). */
const DATABASE_SUFFIXES = ['', '-wal', '-shm', '-journal'];

/**
 * Keeps the data folder (0700) and the database files (0600) readable by their owner only, also
 * when they were made earlier by hand or by an older Printdeck with looser modes. What it
 * tightens it reports through `warn`, like the secrets key.
 */
export function makePrivate(dataDir: string, databaseFile: string, warn: (message: string) => void): void {
  tighten(dataDir, 0o700, warn);
  // Created here, empty, with 0600 before SQLite opens it; SQLite would otherwise use 0644 under the usual umask.
  try {
    closeSync(openSync(databaseFile, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  for (const suffix of DATABASE_SUFFIXES) tighten(databaseFile + suffix, 0o600, warn);
}

function tighten(file: string, wanted: number, warn: (message: string) => void): void {
  let mode: number;
  try {
    mode = statSync(file).mode & 0o777;
  } catch {
    return; // not there (yet): nothing to tighten
  }
  if ((mode & ~wanted) === 0) return;
  try {
    chmodSync(file, wanted);
    warn(`${path.basename(file)} (${file}) was open to others (mode ${mode.toString(8)}); set it to ${wanted.toString(8)}`);
  } catch (err) {
    warn(`${file} is open to others (mode ${mode.toString(8)}) and could not be set to ${wanted.toString(8)}: ${(err as Error).message}`);
  }
}
