import { randomBytes } from 'node:crypto';
import { chmodSync, openSync, readFileSync, statSync, writeSync, closeSync, constants } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../log';
import type { KeyProvider } from './secrets';

export const KEY_FILE = 'secrets.key';

/**
 * Headless hosts keep the secrets key in a file only the owner can read (0600), created once.
 * A key file readable by others is tightened and reported, not silently trusted.
 */
export class KeyFileProvider implements KeyProvider {
  readonly backend = { kind: 'keyFile' as const, warning: null };
  constructor(
    private readonly dataDir: string,
    private readonly log: Logger,
  ) {}

  async getKey(): Promise<Buffer> {
    const file = path.join(this.dataDir, KEY_FILE);
    try {
      const fd = openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
      try {
        writeSync(fd, randomBytes(32).toString('base64') + '\n');
      } finally {
        closeSync(fd);
      }
      this.log.info(`created secrets key ${file} (mode 0600)`);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const mode = statSync(file).mode & 0o777;
    if (mode & 0o077) {
      this.log.warn(`secrets key ${file} was readable by others (mode ${mode.toString(8)}); set it to 0600`);
      chmodSync(file, 0o600);
    }
    const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
    if (key.length !== 32) throw new Error(`The secrets key file ${file} is damaged (expected 32 bytes).`);
    return key;
  }
}
