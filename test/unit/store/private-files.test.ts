import { chmodSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATABASE_FILE, openDatabase } from '../../../src/main/store/database';
import { tempDir } from '../../support/test-hub';

const modeOf = (p: string) => statSync(p).mode & 0o777;

describe('data folder permissions', () => {
  it('tightens an existing folder (0755) and database files (0644) to owner-only, and says so', () => {
    const dir = path.join(tempDir(), 'data');
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o755);
    const file = path.join(dir, DATABASE_FILE);
    writeFileSync(file, '');
    chmodSync(file, 0o644);
    const warnings: string[] = [];
    const db = openDatabase({ dataDir: dir, warn: (m) => warnings.push(m) });
    db.exec('CREATE TABLE t (x)');
    expect(modeOf(dir)).toBe(0o700);
    expect(modeOf(file)).toBe(0o600);
    expect(modeOf(`${file}-wal`)).toBe(0o600);
    db.close();
    expect(warnings.join('\n')).toMatch(/mode 755.*700/);
    expect(warnings.join('\n')).toMatch(/mode 644.*600/);
  });

  it('creates a new database owner-only, silently', () => {
    const dir = path.join(tempDir(), 'fresh');
    const warnings: string[] = [];
    const db = openDatabase({ dataDir: dir, warn: (m) => warnings.push(m) });
    db.exec('CREATE TABLE t (x)');
    expect(modeOf(path.join(dir, DATABASE_FILE))).toBe(0o600);
    expect(modeOf(path.join(dir, `${DATABASE_FILE}-wal`))).toBe(0o600);
    db.close();
    expect(warnings).toEqual([]);
  });
});
