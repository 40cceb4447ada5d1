import { readFileSync, readdirSync, statSync, chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/main/store/database';
import { KEY_FILE, KeyFileProvider } from '../../../src/main/store/key-file';
import { SecretStore } from '../../../src/main/store/secrets';
import { createLogger } from '../../../src/main/log';
import { tempDir } from '../../support/test-hub';

const PLAINTEXT = 'octoprint-api-key-1234567890ABCDEF';

describe('secrets at rest', () => {
  it('stores ciphertext only: the plaintext appears in no file of the data folder', async () => {
    const dir = tempDir();
    const db = openDatabase({ dataDir: dir });
    const store = await SecretStore.open(db, new KeyFileProvider(dir, createLogger('t', () => {})));
    store.set('connection:1', PLAINTEXT);
    expect(store.get('connection:1')).toBe(PLAINTEXT);
    db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    db.close();
    for (const file of readdirSync(dir)) {
      const bytes = readFileSync(path.join(dir, file));
      expect(bytes.includes(Buffer.from(PLAINTEXT)), file).toBe(false);
    }
  });

  it('creates the key file with mode 0600 and reuses it', async () => {
    const dir = tempDir();
    const provider = new KeyFileProvider(dir, createLogger('t', () => {}));
    const k1 = await provider.getKey();
    expect(statSync(path.join(dir, KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(k1.equals(await provider.getKey())).toBe(true);
  });

  it('tightens a key file others can read, and says so', async () => {
    const dir = tempDir();
    const lines: string[] = [];
    const provider = new KeyFileProvider(dir, createLogger('t', (l) => lines.push(l)));
    await provider.getKey();
    chmodSync(path.join(dir, KEY_FILE), 0o644);
    await provider.getKey();
    expect(statSync(path.join(dir, KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(lines.some((l) => l.includes('readable by others'))).toBe(true);
  });

  it('refuses a damaged key file with a clear message', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, KEY_FILE), 'short', { mode: 0o600 });
    await expect(new KeyFileProvider(dir, createLogger('t', () => {})).getKey()).rejects.toThrow(/damaged/);
  });

  it('binds each ciphertext to its id: a row copied under another id does not decrypt', async () => {
    const dir = tempDir();
    const db = openDatabase({ dataDir: dir });
    const store = await SecretStore.open(db, new KeyFileProvider(dir, createLogger('t', () => {})));
    store.set('a', PLAINTEXT);
    db.exec("INSERT INTO secrets (id, iv, tag, ciphertext, updated_at) SELECT 'b', iv, tag, ciphertext, updated_at FROM secrets WHERE id = 'a'");
    expect(() => store.get('b')).toThrow();
    db.close();
  });

  it('cannot be read with another key', async () => {
    const dir = tempDir();
    const db = openDatabase({ dataDir: dir });
    const store = await SecretStore.open(db, new KeyFileProvider(dir, createLogger('t', () => {})));
    store.set('a', PLAINTEXT);
    const other = await SecretStore.open(db, { backend: { kind: 'keyFile', warning: null }, getKey: async () => Buffer.alloc(32, 7) });
    expect(() => other.get('a')).toThrow();
    store.deletePrefix('a');
    expect(store.has('a')).toBe(false);
    db.close();
  });
});
