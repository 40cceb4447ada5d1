import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { DATABASE_FILE, openDatabase, StoreOpenError, userVersion } from '../../../src/main/store/database';
import { LATEST_SCHEMA_VERSION } from '../../../src/main/store/migrations';
import { ConnectionRepo } from '../../../src/main/connections/connection-repo';
import { tempDir } from '../../support/test-hub';

describe('database', () => {
  it('creates the schema in WAL mode at the latest version', () => {
    const dir = tempDir();
    const db = openDatabase({ dataDir: dir });
    expect(userVersion(db)).toBe(LATEST_SCHEMA_VERSION);
    expect((db.prepare('PRAGMA journal_mode').get() as { journal_mode: string }).journal_mode).toBe('wal');
    db.close();
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  it('applies only the migrations a database lacks, keeping its data', () => {
    const dir = tempDir();
    const v1 = [{ version: 1, description: 'a', sql: 'CREATE TABLE a (x TEXT);' }];
    const db1 = openDatabase({ dataDir: dir, migrations: v1 });
    db1.prepare('INSERT INTO a VALUES (?)').run('kept');
    db1.close();
    const v2 = [...v1, { version: 2, description: 'b', sql: 'ALTER TABLE a ADD COLUMN y TEXT;' }];
    const db2 = openDatabase({ dataDir: dir, migrations: v2 });
    expect(userVersion(db2)).toBe(2);
    expect(db2.prepare('SELECT x, y FROM a').all()).toEqual([{ x: 'kept', y: null }]);
    db2.close();
  });

  it('refuses a database from a newer Printdeck and leaves the file untouched', () => {
    const dir = tempDir();
    const file = path.join(dir, DATABASE_FILE);
    const raw = new DatabaseSync(file);
    raw.exec('CREATE TABLE future (x TEXT); PRAGMA user_version = 99;');
    raw.close();
    const before = readFileSync(file);
    expect(() => openDatabase({ dataDir: dir })).toThrow(StoreOpenError);
    try {
      openDatabase({ dataDir: dir });
    } catch (err) {
      expect((err as StoreOpenError).reason).toBe('newer-schema');
      expect((err as Error).message).toMatch(/newer Printdeck.*schema 99.*Nothing was changed/);
    }
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('rolls a failing migration back completely', () => {
    const dir = tempDir();
    const broken = [{ version: 1, description: 'bad', sql: 'CREATE TABLE ok (x TEXT); CREATE TABLE ok (x TEXT);' }];
    expect(() => openDatabase({ dataDir: dir, migrations: broken })).toThrow(StoreOpenError);
    const db = new DatabaseSync(path.join(dir, DATABASE_FILE));
    expect(userVersion(db)).toBe(0);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'ok'").get()).toBeUndefined();
    db.close();
  });

  it('answers STORE_BUSY while another process holds the write lock, and saves once it is released', () => {
    const dir = tempDir();
    const db = openDatabase({ dataDir: dir });
    const repo = new ConnectionRepo(db);
    const other = new DatabaseSync(path.join(dir, DATABASE_FILE), { timeout: 0 });
    other.exec('BEGIN EXCLUSIVE');
    const row = { id: 'a', kind: 'xyz' as const, name: 'n', address: 'tcp://a:1', options: {}, origin: 'user' as const, createdAt: 1, updatedAt: 1 };
    expect(() => repo.insert(row)).toThrow(expect.objectContaining({ code: 'STORE_BUSY' }));
    other.exec('ROLLBACK');
    other.close();
    repo.insert(row);
    expect(repo.list()).toHaveLength(1);
    db.close();
  }, 20_000);

  it('skips rows that no longer parse instead of failing the whole list', () => {
    const dir = tempDir();
    const db = openDatabase({ dataDir: dir });
    db.prepare("INSERT INTO connections VALUES ('x', 'toaster', 'n', 'a', '{}', 'user', 1, 1)").run();
    db.prepare("INSERT INTO connections VALUES ('y', 'xyz', 'n', 'tcp://a:1', 'not json', 'user', 1, 1)").run();
    db.prepare("INSERT INTO connections VALUES ('z', 'xyz', 'n', 'tcp://a:1', '{}', 'user', 1, 1)").run();
    expect(new ConnectionRepo(db).list().map((c) => c.id)).toEqual(['z']);
    db.close();
    writeFileSync(path.join(dir, 'unused'), '');
  });
});
