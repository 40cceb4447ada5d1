import { ml_dsa87 } from '@noble/post-quantum/ml-dsa.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ChatCryptoError,
  SUITE_MLDSA87_MLKEM1024_AES256GCM_SHA256 as suite,
  systemRandom,
  type RandomSource,
} from '../../../src/main/chat/crypto';
import {
  mlDsa87Backend,
  nativeMlDsa87,
  setMlDsa87Backend,
  type NativeMlDsa87,
} from '../../../src/main/chat/crypto/ml-dsa-87-native';
import { pkcs8FromSeed } from '../../../src/main/chat/crypto/ml-dsa-87-der';
import { seededRandom, text } from './crypto-fixtures';

/**
 * node:crypto's ML-DSA-87 (used when the running Node has it) against @noble's (the fallback, and what every
 * stored key was made with): same key bytes from the same seed, signatures that verify across, the same
 * rejections, and typed errors only.
 */

/** By name, not instanceof: the fallback test loads a fresh copy of the core whose error class differs. */
function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof Error && error.name === ChatCryptoError.name && 'code' in error) return String(error.code);
    throw error;
  }
  return 'no error';
}

function flip(bytes: Uint8Array, index: number): Uint8Array {
  const copy = bytes.slice();
  copy[index] = (copy[index] ?? 0) ^ 0x01;
  return copy;
}

/**
 * Which backend a machine offers is a fact about the machine, not something to assert: the native cases run
 * where node:crypto passes the self-test (the bench reports `chat.mldsa_native`), the fallback cases everywhere.
 */
const available = nativeMlDsa87();

function requireNative(): NativeMlDsa87 {
  return available as NativeMlDsa87;
}

const random = seededRandom('native-mldsa');
const message = text('server fingerprint 0123456789abcdef');

describe.skipIf(!available)('native ML-DSA-87 is byte-compatible with @noble (where node:crypto has it)', () => {
  it('derives the same public and expanded secret key from a seed', () => {
    const native = requireNative();
    for (let i = 0; i < 3; i++) {
      const seed = random(32);
      const fromNoble = ml_dsa87.keygen(seed);
      // OpenSSL exports the expanded key in some builds and only the seed in others (then null: @noble derives it).
      const fromNative = native.keyPairFromSeed(seed);
      if (fromNative) expect(fromNative).toEqual({ publicKey: fromNoble.publicKey, secretKey: fromNoble.secretKey });
      expect(suite.sign.generateKeyPair(() => seed)).toEqual(fromNoble);
    }
  });

  it('keeps suite key generation deterministic in its randomness', () => {
    const a = suite.sign.generateKeyPair(seededRandom('keygen'));
    const b = suite.sign.generateKeyPair(seededRandom('keygen'));
    expect(a).toEqual(b);
    expect(a).toEqual(ml_dsa87.keygen(seededRandom('keygen')(32)));
    expect(a.publicKey).toHaveLength(suite.sizes.signPublicKey);
    expect(a.secretKey).toHaveLength(suite.sizes.signSecretKey);
  });

  it('verifies @noble signatures natively and native signatures with @noble', () => {
    const native = requireNative();
    const keys = ml_dsa87.keygen(random(32));
    const nobleSignature = ml_dsa87.sign(message, keys.secretKey, { extraEntropy: random(32) });
    expect(native.verify(keys.publicKey, message, nobleSignature)).toBe(true);
    expect(suite.sign.verify(keys.publicKey, message, nobleSignature)).toBe(true);

    // The system CSPRNG selects the native signer; its output is a plain FIPS 204 signature.
    const nativeSignature = suite.sign.sign(keys.secretKey, message, systemRandom);
    expect(nativeSignature).toBeInstanceOf(Uint8Array);
    expect(nativeSignature).toHaveLength(suite.sizes.signature);
    expect(ml_dsa87.verify(nativeSignature, message, keys.publicKey)).toBe(true);
    expect(native.sign(keys.secretKey, message)).not.toEqual(nativeSignature); // hedged: fresh randomness
  });

  it('rejects a tampered message, signature or key in both implementations', () => {
    const native = requireNative();
    const keys = suite.sign.generateKeyPair(random);
    const other = suite.sign.generateKeyPair(random);
    const signatures = {
      noble: suite.sign.sign(keys.secretKey, message, random),
      native: suite.sign.sign(keys.secretKey, message, systemRandom),
    };
    for (const signature of Object.values(signatures)) {
      const forgeries: Array<[Uint8Array, Uint8Array, Uint8Array]> = [
        [keys.publicKey, flip(message, 0), signature],
        [keys.publicKey, text('server fingerprint 0123456789abcdef!'), signature],
        [keys.publicKey, message, flip(signature, 0)],
        [keys.publicKey, message, flip(signature, 2000)],
        [keys.publicKey, message, flip(signature, signature.length - 1)],
        [flip(keys.publicKey, 0), message, signature],
        [flip(keys.publicKey, keys.publicKey.length - 1), message, signature],
        [other.publicKey, message, signature],
      ];
      for (const [publicKey, signed, candidate] of forgeries) {
        expect(native.verify(publicKey, signed, candidate)).toBe(false);
        expect(ml_dsa87.verify(candidate, signed, publicKey)).toBe(false);
        expect(suite.sign.verify(publicKey, signed, candidate)).toBe(false);
      }
      expect(suite.sign.verify(keys.publicKey, message, signature)).toBe(true);
    }
  });

  it('caches imported keys by content, not by array identity', () => {
    const keys = suite.sign.generateKeyPair(random);
    const publicKey = keys.publicKey.slice();
    const signature = suite.sign.sign(keys.secretKey, message, systemRandom);
    expect(suite.sign.verify(publicKey, message, signature)).toBe(true);
    publicKey[10] = (publicKey[10] ?? 0) ^ 0x80;
    expect(suite.sign.verify(publicKey, message, signature)).toBe(false);
    publicKey[10] = (publicKey[10] ?? 0) ^ 0x80;
    expect(suite.sign.verify(publicKey, message, signature)).toBe(true);
  });

  it('answers malformed lengths and key material with typed errors or false, never a raw exception', () => {
    requireNative();
    const keys = suite.sign.generateKeyPair(random);
    const signature = suite.sign.sign(keys.secretKey, message, systemRandom);
    for (const source of [systemRandom, random] satisfies RandomSource[]) {
      for (const length of [0, 32, 2592, suite.sizes.signSecretKey - 1, suite.sizes.signSecretKey + 1]) {
        expect(codeOf(() => suite.sign.sign(new Uint8Array(length), message, source))).toBe('invalid_length');
      }
      // Random bytes decode to coefficients outside [-η, η]: both implementations refuse the key.
      expect(codeOf(() => suite.sign.sign(random(suite.sizes.signSecretKey), message, source))).toBe('invalid_key');
    }
    // OpenSSL recomputes tr and t0 from the rest of the key on import.
    expect(codeOf(() => suite.sign.sign(flip(keys.secretKey, 70), message, systemRandom))).toBe('invalid_key');
    expect(codeOf(() => suite.sign.sign(new Uint8Array(suite.sizes.signSecretKey), message, systemRandom))).toBe(
      'invalid_key',
    );

    for (const length of [0, 32, suite.sizes.signPublicKey - 1, suite.sizes.signPublicKey + 1, suite.sizes.signature]) {
      expect(suite.sign.verify(new Uint8Array(length), message, signature)).toBe(false);
    }
    for (const length of [0, suite.sizes.signature - 1, suite.sizes.signature + 1]) {
      expect(suite.sign.verify(keys.publicKey, message, new Uint8Array(length))).toBe(false);
    }
    expect(suite.sign.verify(new Uint8Array(suite.sizes.signPublicKey).fill(0xff), message, signature)).toBe(false);
    expect(suite.sign.verify(keys.publicKey, message, new Uint8Array(suite.sizes.signature).fill(0xff))).toBe(false);
  });

  it('keeps signatures reproducible when the randomness is injected', () => {
    const keys = suite.sign.generateKeyPair(random);
    const a = suite.sign.sign(keys.secretKey, message, seededRandom('sign'));
    const b = suite.sign.sign(keys.secretKey, message, seededRandom('sign'));
    expect(a).toEqual(b);
  });
});

describe('fallback when node:crypto has no ML-DSA-87 (e.g. Electron on BoringSSL)', () => {
  afterEach(() => {
    vi.doUnmock('node:crypto');
    vi.resetModules();
  });

  it('detects the missing algorithm once and runs everything on @noble with the same bytes', async () => {
    const unsupported = vi.fn((): never => {
      throw new Error('error:0680009E:asn1 encoding routines::unsupported algorithm');
    });
    vi.resetModules();
    vi.doMock('node:crypto', async (importOriginal) => ({
      ...(await importOriginal<typeof import('node:crypto')>()),
      createPrivateKey: unsupported,
      createPublicKey: unsupported,
    }));
    const fallback = await import('../../../src/main/chat/crypto/ml-dsa-87');
    const probe = await import('../../../src/main/chat/crypto/ml-dsa-87-native');
    expect(probe.nativeMlDsa87()).toBeNull();
    const callsAfterProbe = unsupported.mock.calls.length;
    expect(callsAfterProbe).toBeGreaterThan(0);

    const seed = random(32);
    const keys = fallback.mlDsa87KeyPair(() => seed);
    expect(keys).toEqual(suite.sign.generateKeyPair(() => seed));

    const fallbackSignature = fallback.mlDsa87Sign(keys.secretKey, message, systemRandom);
    expect(suite.sign.verify(keys.publicKey, message, fallbackSignature)).toBe(true);
    const nativeSignature = suite.sign.sign(keys.secretKey, message, systemRandom);
    expect(fallback.mlDsa87Verify(keys.publicKey, message, nativeSignature)).toBe(true);
    expect(fallback.mlDsa87Verify(keys.publicKey, flip(message, 1), nativeSignature)).toBe(false);
    expect(fallback.mlDsa87Verify(keys.publicKey, message, flip(nativeSignature, 5))).toBe(false);
    expect(fallback.mlDsa87Verify(new Uint8Array(3), message, nativeSignature)).toBe(false);
    expect(codeOf(() => fallback.mlDsa87Sign(new Uint8Array(3), message, systemRandom))).toBe('invalid_length');
    expect(codeOf(() => fallback.mlDsa87Sign(random(suite.sizes.signSecretKey), message, systemRandom))).toBe(
      'invalid_key',
    );
    // The capability check is not repeated per operation.
    expect(unsupported.mock.calls.length).toBe(callsAfterProbe);
  });
});

describe('the fallback forced by the switch', () => {
  afterEach(() => setMlDsa87Backend('auto'));

  it('runs everything on @noble with the same bytes, and signatures verify across backends', () => {
    setMlDsa87Backend('noble');
    expect(mlDsa87Backend()).toBe('noble');
    expect(nativeMlDsa87()).toBeNull();
    const seed = random(32);
    const keys = suite.sign.generateKeyPair(() => seed);
    expect(keys).toEqual(ml_dsa87.keygen(seed));
    const nobleSignature = suite.sign.sign(keys.secretKey, message, systemRandom);
    expect(ml_dsa87.verify(nobleSignature, message, keys.publicKey)).toBe(true);
    expect(suite.sign.verify(keys.publicKey, message, nobleSignature)).toBe(true);
    expect(suite.sign.verify(keys.publicKey, flip(message, 0), nobleSignature)).toBe(false);

    setMlDsa87Backend('auto');
    // Whatever backend this machine offers reads the fallback's keys and signatures, and vice versa.
    expect(suite.sign.verify(keys.publicKey, message, nobleSignature)).toBe(true);
    const autoSignature = suite.sign.sign(keys.secretKey, message, systemRandom);
    expect(ml_dsa87.verify(autoSignature, message, keys.publicKey)).toBe(true);
  });
});

describe('an OpenSSL that exports ML-DSA private keys as seed-only PKCS#8', () => {
  afterEach(() => {
    vi.doUnmock('node:crypto');
    vi.resetModules();
  });

  it('still signs natively and derives the expanded key with @noble', async () => {
    vi.resetModules();
    let seedOnlyExports = 0;
    vi.doMock('node:crypto', async (importOriginal) => {
      const real = await importOriginal<typeof import('node:crypto')>();
      return {
        ...real,
        // Every private key exports as the 54-byte seed-only form, whatever this OpenSSL does by default.
        createPrivateKey: (input: Parameters<typeof real.createPrivateKey>[0]) => {
          const key = real.createPrivateKey(input);
          const der = (input as { key: Buffer }).key;
          if (der.length !== 54) return key;
          // An own property shadows KeyObject.prototype.export; the object stays a real KeyObject for OpenSSL.
          Object.defineProperty(key, 'export', {
            value: () => {
              seedOnlyExports += 1;
              return pkcs8FromSeed(der.subarray(der.length - 32));
            },
          });
          return key;
        },
      };
    });
    const probe = await import('../../../src/main/chat/crypto/ml-dsa-87-native');
    const core = await import('../../../src/main/chat/crypto/ml-dsa-87');
    const native = probe.nativeMlDsa87();
    if (!available) return; // this Node has no ML-DSA at all: the forced-fallback case above covers it
    expect(native).not.toBeNull();
    if (!native) return;
    expect(seedOnlyExports).toBeGreaterThan(0);
    expect(probe.mlDsa87Backend()).toBe('node:crypto');
    const seed = random(32);
    expect(native.keyPairFromSeed(seed)).toBeNull();
    const keys = core.mlDsa87KeyPair(() => seed);
    expect(keys).toEqual(ml_dsa87.keygen(seed));
    const signature = core.mlDsa87Sign(keys.secretKey, message, systemRandom);
    expect(ml_dsa87.verify(signature, message, keys.publicKey)).toBe(true);
    expect(core.mlDsa87Verify(keys.publicKey, message, signature)).toBe(true);
  });
});
