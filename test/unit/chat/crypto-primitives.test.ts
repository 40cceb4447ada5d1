import { describe, expect, it } from 'vitest';
import {
  ChatCryptoError,
  cipherSuiteForPackId,
  isChatCryptoError,
  packE2eePackId,
  SUITE_MLDSA87_MLKEM1024_AES256GCM_SHA256 as suite,
} from '../../../src/main/chat/crypto';
import { seededRandom, text } from './crypto-fixtures';

const random = seededRandom('primitives');

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof ChatCryptoError) return error.code;
    throw error;
  }
  return 'no error';
}

describe('ML-KEM-1024', () => {
  const keyPair = suite.kem.generateKeyPair(random);

  it('encapsulation and decapsulation agree, with the suite sizes', () => {
    const { ciphertext, sharedSecret } = suite.kem.encapsulate(keyPair.publicKey, random);
    expect(keyPair.publicKey).toHaveLength(suite.sizes.kemPublicKey);
    expect(keyPair.secretKey).toHaveLength(suite.sizes.kemSecretKey);
    expect(ciphertext).toHaveLength(suite.sizes.kemCiphertext);
    expect(sharedSecret).toHaveLength(suite.sizes.kemSharedSecret);
    expect(suite.kem.decapsulate(ciphertext, keyPair.secretKey)).toEqual(sharedSecret);
    // Decapsulating does not consume or wipe the stored secret key.
    expect(suite.kem.decapsulate(ciphertext, keyPair.secretKey)).toEqual(sharedSecret);
  });

  it('a tampered ciphertext yields a different (implicit-rejection) secret', () => {
    const { ciphertext, sharedSecret } = suite.kem.encapsulate(keyPair.publicKey, random);
    const tampered = ciphertext.slice();
    tampered[100] = (tampered[100] ?? 0) ^ 1;
    expect(suite.kem.decapsulate(tampered, keyPair.secretKey)).not.toEqual(sharedSecret);
  });

  it('keygen is deterministic in its randomness', () => {
    expect(suite.kem.generateKeyPair(seededRandom('same')).publicKey).toEqual(
      suite.kem.generateKeyPair(seededRandom('same')).publicKey,
    );
  });

  it('refuses wrongly sized keys and ciphertexts with typed errors', () => {
    expect(codeOf(() => suite.kem.encapsulate(new Uint8Array(10), random))).toBe('invalid_length');
    expect(codeOf(() => suite.kem.decapsulate(new Uint8Array(10), keyPair.secretKey))).toBe('invalid_length');
    expect(codeOf(() => suite.kem.encapsulate(new Uint8Array(suite.sizes.kemPublicKey).fill(0xff), random))).toBe(
      'invalid_key',
    );
  });
});

describe('ML-DSA-87', () => {
  const keyPair = suite.sign.generateKeyPair(random);
  const message = text('signed pre-key bytes');
  const signature = suite.sign.sign(keyPair.secretKey, message, random);

  it('signs and verifies with the suite sizes', () => {
    expect(keyPair.publicKey).toHaveLength(suite.sizes.signPublicKey);
    expect(keyPair.secretKey).toHaveLength(suite.sizes.signSecretKey);
    expect(signature).toHaveLength(suite.sizes.signature);
    expect(suite.sign.verify(keyPair.publicKey, message, signature)).toBe(true);
  });

  it('rejects another message, a flipped signature bit, another key and malformed input', () => {
    expect(suite.sign.verify(keyPair.publicKey, text('other'), signature)).toBe(false);
    const flipped = signature.slice();
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    expect(suite.sign.verify(keyPair.publicKey, message, flipped)).toBe(false);
    expect(suite.sign.verify(suite.sign.generateKeyPair(random).publicKey, message, signature)).toBe(false);
    expect(suite.sign.verify(keyPair.publicKey, message, signature.subarray(1))).toBe(false);
    expect(suite.sign.verify(new Uint8Array(3), message, signature)).toBe(false);
  });
});

describe('AES-256-GCM with a 16-byte IV', () => {
  const key = random(32);
  const iv = random(16);
  const ad = text('associated');

  it('round-trips and appends a 16-byte tag', () => {
    const sealed = suite.aead.seal(key, iv, text('hello'), ad);
    expect(sealed).toHaveLength(5 + suite.sizes.aeadTag);
    expect(suite.aead.open(key, iv, sealed, ad)).toEqual(text('hello'));
  });

  it('fails with decrypt_failed on a changed ciphertext, tag, AD, IV or key', () => {
    const sealed = suite.aead.seal(key, iv, text('hello'), ad);
    const flip = (bytes: Uint8Array, at: number): Uint8Array => {
      const copy = bytes.slice();
      copy[at] = (copy[at] ?? 0) ^ 0x80;
      return copy;
    };
    expect(codeOf(() => suite.aead.open(key, iv, flip(sealed, 0), ad))).toBe('decrypt_failed');
    expect(codeOf(() => suite.aead.open(key, iv, flip(sealed, sealed.length - 1), ad))).toBe('decrypt_failed');
    expect(codeOf(() => suite.aead.open(key, iv, sealed, text('Associated')))).toBe('decrypt_failed');
    expect(codeOf(() => suite.aead.open(key, flip(iv, 3), sealed, ad))).toBe('decrypt_failed');
    expect(codeOf(() => suite.aead.open(flip(key, 3), iv, sealed, ad))).toBe('decrypt_failed');
    expect(codeOf(() => suite.aead.open(key, iv, sealed.subarray(0, 10), ad))).toBe('decrypt_failed');
  });

  it('refuses a 12-byte IV: the SKISSM message format always uses 16', () => {
    expect(codeOf(() => suite.aead.seal(key, random(12), text('x'), ad))).toBe('invalid_length');
  });
});

describe('pack ids', () => {
  it('round-trips and refuses out-of-range parts', () => {
    expect(packE2eePackId({ version: 0, ds: 0, kem: 0, symKey: 0, hash: 1 })).toBe(1);
    expect(() => packE2eePackId({ version: 0, ds: 0, kem: 0, symKey: 16, hash: 1 })).toThrow(RangeError);
  });

  it('only resolves the implemented suite', () => {
    expect(cipherSuiteForPackId(0x113101)).toBe(suite);
    let caught: unknown;
    try {
      cipherSuiteForPackId(0x000001);
    } catch (error) {
      caught = error;
    }
    expect(isChatCryptoError(caught, 'unsupported_suite')).toBe(true);
  });
});
