import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { safeStorage } from 'electron';
import type { SecretsBackend } from '../../shared/contract';
import type { Logger } from '../log';
import type { KeyProvider } from '../store/secrets';

const WRAPPED_KEY_FILE = 'secrets.key.safe';

/**
 * The data key lives on disk only wrapped by the OS keychain through safeStorage (async API).
 * On Linux without a keyring the backend is `basic_text`: it still works, but the UI warns.
 */
export class SafeStorageKeyProvider implements KeyProvider {
  backend: SecretsBackend = { kind: 'safeStorage', warning: null };

  constructor(
    private readonly dataDir: string,
    private readonly log: Logger,
  ) {}

  async getKey(): Promise<Buffer> {
    if (!(await safeStorage.isAsyncEncryptionAvailable())) {
      throw new Error('The system keychain is not available, so Printdeck cannot protect its secrets.');
    }
    if (process.platform === 'linux') {
      const backend = safeStorage.getSelectedStorageBackend();
      if (backend === 'basic_text' || backend === 'unknown') {
        this.backend = {
          kind: 'safeStorage',
          warning:
            'No desktop keyring was found (GNOME Keyring or KWallet), so saved API keys and passwords are protected only by a fixed key. Install and unlock a keyring, then restart Printdeck.',
        };
        this.log.warn(`safeStorage backend is ${backend}: secrets are weakly protected`);
      }
    }
    const file = path.join(this.dataDir, WRAPPED_KEY_FILE);
    if (existsSync(file)) {
      const { result, shouldReEncrypt } = await safeStorage.decryptStringAsync(readFileSync(file));
      if (shouldReEncrypt) writeFileSync(file, await safeStorage.encryptStringAsync(result), { mode: 0o600 });
      return Buffer.from(result, 'base64');
    }
    const key = randomBytes(32);
    writeFileSync(file, await safeStorage.encryptStringAsync(key.toString('base64')), { mode: 0o600, flag: 'wx' });
    return key;
  }
}
