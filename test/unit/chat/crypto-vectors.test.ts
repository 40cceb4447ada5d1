import { gcm } from '@noble/ciphers/aes.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import {
  fromHex,
  PACK_ID_MLDSA87_MLKEM1024_AES256GCM_SHA256,
  SUITE_MLDSA87_MLKEM1024_AES256GCM_SHA256 as suite,
  toHex,
  unpackE2eePackId,
} from '../../../src/main/chat/crypto';
import {
  deriveMessageKey,
  kdfRatchet,
  kdfRootInit,
  nextChainKey,
  openWithMessageKey,
  sealWithMessageKey,
} from '../../../src/main/chat/crypto/ratchet-kdf';
import { text } from './crypto-fixtures';

/** Spec: primitive-level interop vectors measured against SKISSM's vendored mbedtls. */

const range = (length: number, at: (i: number) => number): Uint8Array => Uint8Array.from({ length }, (_, i) => at(i));
const CHAIN_KEY = range(32, (i) => i);
const MESSAGE_KEY_HEX =
  '4feac64fa281959b910d20f1fd663199513c6fe34058c8bf82b7e5b44a2ba132f95e985de8f35ddb339d8a3f7f0aea0a';
const AD = range(8, (i) => i + 1);

describe('SKISSM interop test vectors', () => {
  it('MK = HKDF(CK = 00..1f, 0^32, "MessageKeys", 48)', () => {
    expect(toHex(deriveMessageKey(suite, CHAIN_KEY))).toBe(MESSAGE_KEY_HEX);
  });

  it('next CK = HMAC-SHA256(CK, 0x02)', () => {
    expect(toHex(nextChainKey(suite, CHAIN_KEY))).toBe(
      '4304c22c84a53755ab08ead8d97a8d429be5efa480682d7ad1da27f73e1fbe1d',
    );
  });

  it('KDF_ratchet: HKDF(ikm = 32×0x55, salt = 32×0xAA, "RATCHET", 64) → RK ‖ CK', () => {
    const { rootKey, chainKey } = kdfRatchet(suite, new Uint8Array(32).fill(0x55), new Uint8Array(32).fill(0xaa));
    expect(toHex(rootKey) + toHex(chainKey)).toBe(
      '9308bca1f5d07575b810914dc52827701e58c2e2c92ca73d974efe88b6f2e9674b48c46e1489ddba53ac1d56c020dd203285af91f8f5a3f16add9196dd3ec543',
    );
  });

  it('KDF_root_init: HKDF(ikm = 255..128, salt = 0^32, "ROOT", 64) → RK ‖ CK', () => {
    const { rootKey, chainKey } = kdfRootInit(
      suite,
      range(128, (i) => 255 - i),
    );
    expect(toHex(rootKey) + toHex(chainKey)).toBe(
      '93638e4544232b2be0b622b684e5a5e76cd4465243d245bc095b239cf9672e72c6489ef178dc87d5a87921f0d32951ef373fc6e96665d3762de0104c928b8780',
    );
  });

  it('AES-256-GCM with key = MK[0:32], 16-byte IV = MK[32:48], AD = 01..08, "hello skissm"', () => {
    const messageKey = fromHex(MESSAGE_KEY_HEX);
    const sealed = sealWithMessageKey(suite, messageKey, text('hello skissm'), AD);
    expect(toHex(sealed.subarray(0, 12))).toBe('27de3b9758fe5331111d84fb');
    expect(toHex(sealed.subarray(12))).toBe('cc10f74591c12775baa19c2f87195281');
    expect(openWithMessageKey(suite, messageKey, sealed, AD)).toEqual(text('hello skissm'));
  });

  it('node:crypto agrees with @noble/hashes and @noble/ciphers on the same inputs', () => {
    const messageKey = fromHex(MESSAGE_KEY_HEX);
    expect(hkdf(sha256, CHAIN_KEY, new Uint8Array(32), text('MessageKeys'), 48)).toEqual(messageKey);
    expect(hmac(sha256, CHAIN_KEY, Uint8Array.of(2))).toEqual(nextChainKey(suite, CHAIN_KEY));
    const nobleSealed = gcm(messageKey.subarray(0, 32), messageKey.subarray(32), AD).encrypt(text('hello skissm'));
    expect(sealWithMessageKey(suite, messageKey, text('hello skissm'), AD)).toEqual(nobleSealed);
  });
});

describe('cipher suite 0x113101', () => {
  it('packs ver 0, ML-DSA-87 (17), ML-KEM-1024 (49), AES-256-GCM (0), SHA-256 (1)', () => {
    expect(PACK_ID_MLDSA87_MLKEM1024_AES256GCM_SHA256).toBe(0x113101);
    expect(unpackE2eePackId(0x113101)).toEqual({ version: 0, ds: 17, kem: 49, symKey: 0, hash: 1 });
  });

  it('exposes the suite sizes', () => {
    expect(suite.sizes).toMatchObject({
      kemPublicKey: 1568,
      kemSecretKey: 3168,
      kemCiphertext: 1568,
      kemSharedSecret: 32,
      signPublicKey: 2592,
      signSecretKey: 4896,
      signature: 4627,
      aeadKey: 32,
      aeadIv: 16,
      aeadTag: 16,
      messageKey: 48,
    });
  });
});
