import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { safeStorage } from 'electron';
import type { SecretsBackend } from '../../shared/contract';
import type { Logger } from '../log';
import { KeyFileProvider } from '../store/key-file';
import type { KeyProvider } from '../store/secrets';
import { planSecretsKey } from './safe-storage-policy';

const WRAPPED_KEY_FILE = 'secrets.key.safe';

/**
 * The data key lives on disk only wrapped by the OS keychain through safeStorage (async API).
 * On Linux without a keyring the backend is `basic_text`: it still works, but the UI warns.
 * With no keychain at all the key goes to a 0600 file and the UI warns (see planSecretsKey).
 */
export class SafeStorageKeyProvider implements KeyProvider {
  backend: SecretsBackend = { kind: 'safeStorage', warning: null };

  constructor(
    private readonly dataDir: string,
    private readonly log: Logger,
  ) {}

  async getKey(): Promise<Buffer> {
    const available = await safeStorage.isAsyncEncryptionAvailable();
    const linuxBackend = process.platform === 'linux' && available ? safeStorage.getSelectedStorageBackend() : null;
    const plan = planSecretsKey({ platform: process.platform, available, linuxBackend });
    this.backend = plan.backend;
    if (plan.backend.warning) this.log.warn(`secrets are weakly protected (${available ? `safeStorage backend ${linuxBackend}` : 'no keychain'})`);
    if (plan.use === 'keyFile') return new KeyFileProvider(this.dataDir, this.log).getKey();
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
