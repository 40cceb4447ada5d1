import type { SecretsBackend } from '../../shared/contract';

/** What safeStorage reported at startup (async API); gathered by the Electron glue, decided here. */
export interface SafeStorageFacts {
  platform: NodeJS.Platform;
  /** `safeStorage.isAsyncEncryptionAvailable()`. */
  available: boolean;
  /** `safeStorage.getSelectedStorageBackend()` on Linux (`basic_text` under `--password-store=basic`). */
  linuxBackend: string | null;
}

export type KeyPlan =
  /** Wrap the data key with safeStorage; warn when the wrapping is weak. */
  | { use: 'safeStorage'; backend: SecretsBackend }
  /** No usable keychain at all: keep the data key in a 0600 file like the headless host, and say so. */
  | { use: 'keyFile'; backend: SecretsBackend };

export const WEAK_KEYRING_WARNING =
  'No desktop keyring was found (GNOME Keyring or KWallet), so saved API keys and passwords are protected only by a fixed key. Install and unlock a keyring, then restart Printdeck.';
export const NO_KEYCHAIN_WARNING =
  'The system keychain is not available, so saved API keys and passwords are protected only by a key file readable by your user account. Secrets saved while a keychain was in use cannot be read until it is back.';

/**
 * How the secrets key is protected. Never throws: a machine without a keyring (or started with
 * `--password-store=basic`) still starts, and the UI shows the warning (Settings, app.info).
 */
export function planSecretsKey(facts: SafeStorageFacts): KeyPlan {
  if (!facts.available) return { use: 'keyFile', backend: { kind: 'keyFile', warning: NO_KEYCHAIN_WARNING } };
  const weak = facts.platform === 'linux' && (facts.linuxBackend === null || facts.linuxBackend === 'basic_text' || facts.linuxBackend === 'unknown');
  return { use: 'safeStorage', backend: { kind: 'safeStorage', warning: weak ? WEAK_KEYRING_WARNING : null } };
}
