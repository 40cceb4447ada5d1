import { describe, expect, it } from 'vitest';
import { planSecretsKey } from '../../../src/main/electron/safe-storage-policy';

describe('secrets key plan (safeStorage async API)', () => {
  it('starts with a warning under --password-store=basic instead of refusing to start', () => {
    const plan = planSecretsKey({ platform: 'linux', available: true, linuxBackend: 'basic_text' });
    expect(plan).toMatchObject({ use: 'safeStorage', backend: { kind: 'safeStorage', warning: expect.stringMatching(/keyring/) } });
  });

  it('falls back to a key file, with a warning, when no keychain is available at all', () => {
    expect(() => planSecretsKey({ platform: 'linux', available: false, linuxBackend: null })).not.toThrow();
    expect(planSecretsKey({ platform: 'linux', available: false, linuxBackend: null })).toMatchObject({
      use: 'keyFile',
      backend: { kind: 'keyFile', warning: expect.stringMatching(/keychain is not available/) },
    });
  });

  it('warns about nothing with a real keyring', () => {
    expect(planSecretsKey({ platform: 'linux', available: true, linuxBackend: 'gnome_libsecret' }).backend.warning).toBeNull();
    expect(planSecretsKey({ platform: 'darwin', available: true, linuxBackend: null }).backend.warning).toBeNull();
  });
});
