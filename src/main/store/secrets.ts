import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';
import type { SecretsBackend } from '../../shared/contract';
import { guardedWrite } from './database';

/** Supplies the 32-byte data key that encrypts every secret; Electron and headless differ only here. */
export interface KeyProvider {
  readonly backend: SecretsBackend;
  getKey(): Promise<Buffer>;
}

const KEY_BYTES = 32;
const IV_BYTES = 12;

/**
 * Secrets (API keys, tokens, private keys) encrypted at rest with AES-256-GCM. The secret's id is
 * bound in as associated data, so a ciphertext copied under another id fails to decrypt.
 * Plaintext never leaves main: nothing in the contract returns it.
 */
export class SecretStore {
  private constructor(
    private readonly db: DatabaseSync,
    private readonly key: Buffer,
    readonly backend: SecretsBackend,
  ) {}

  static async open(db: DatabaseSync, provider: KeyProvider): Promise<SecretStore> {
    const key = await provider.getKey();
    if (key.length !== KEY_BYTES) throw new Error(`The secrets key must be ${KEY_BYTES} bytes, got ${key.length}.`);
    return new SecretStore(db, key, provider.backend);
  }

  set(id: string, plaintext: string): void {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(id, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    guardedWrite(this.db, () => {
      this.db
        .prepare(
          `INSERT INTO secrets (id, iv, tag, ciphertext, updated_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT(id) DO UPDATE SET iv = excluded.iv, tag = excluded.tag, ciphertext = excluded.ciphertext, updated_at = excluded.updated_at`,
        )
        .run(id, iv, tag, ciphertext, Date.now());
    });
  }

  get(id: string): string | null {
    const row = this.db.prepare('SELECT iv, tag, ciphertext FROM secrets WHERE id = ?').get(id) as
      | { iv: Uint8Array; tag: Uint8Array; ciphertext: Uint8Array }
      | undefined;
    if (!row) return null;
    const decipher = createDecipheriv('aes-256-gcm', this.key, row.iv);
    decipher.setAAD(Buffer.from(id, 'utf8'));
    decipher.setAuthTag(row.tag);
    return Buffer.concat([decipher.update(row.ciphertext), decipher.final()]).toString('utf8');
  }

  has(id: string): boolean {
    return this.db.prepare('SELECT 1 AS present FROM secrets WHERE id = ?').get(id) !== undefined;
  }

  /** The ids of the secrets starting with `prefix`, in one query (for listing many connections). */
  idsWithPrefix(prefix: string): Set<string> {
    const rows = this.db.prepare('SELECT id FROM secrets WHERE substr(id, 1, length(?)) = ?').all(prefix, prefix) as { id: string }[];
    return new Set(rows.map((r) => r.id));
  }

  delete(id: string): void {
    guardedWrite(this.db, () => {
      this.db.prepare('DELETE FROM secrets WHERE id = ?').run(id);
    });
  }

  /** Deletes every secret whose id starts with `prefix`, e.g. all of one connection's. */
  deletePrefix(prefix: string): void {
    guardedWrite(this.db, () => {
      this.db.prepare("DELETE FROM secrets WHERE substr(id, 1, length(?)) = ?").run(prefix, prefix);
    });
  }
}
