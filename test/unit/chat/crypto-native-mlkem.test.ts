import { ml_kem1024 } from '@noble/post-quantum/ml-kem.js';
import { afterEach, describe, expect, it } from 'vitest';
import { systemRandom } from '../../../src/main/chat/crypto';
import { mlKem1024Decapsulate, mlKem1024Encapsulate, mlKem1024KeyPair } from '../../../src/main/chat/crypto/ml-kem-1024';
import { mlKem1024Backend, nativeMlKem1024, setMlKem1024Backend } from '../../../src/main/chat/crypto/ml-kem-1024-native';
import { errorCode as codeOf, seededRandom } from './crypto-fixtures';

/**
 * node:crypto's ML-KEM-1024 (used when the running Node passes the self-test) against @noble's (the fallback):
 * secrets agree across the two in both directions, the same inputs are refused, and an injected random source
 * keeps the reproducible @noble path.
 */

const hasNative = nativeMlKem1024() !== null;

afterEach(() => setMlKem1024Backend('auto'));

describe('ML-KEM-1024 on node:crypto and @noble', () => {
  it('reports the backend in use and falls back to @noble when told to', () => {
    expect(mlKem1024Backend()).toBe(hasNative ? 'node:crypto' : 'noble');
    setMlKem1024Backend('noble');
    expect(mlKem1024Backend()).toBe('noble');
    expect(nativeMlKem1024()).toBeNull();
  });

  it.runIf(hasNative)('agrees with @noble in both directions, including the implicit rejection of a forged ciphertext', () => {
    const keys = mlKem1024KeyPair(systemRandom);
    const native = mlKem1024Encapsulate(keys.publicKey, systemRandom);
    expect(Buffer.from(ml_kem1024.decapsulate(native.ciphertext, keys.secretKey.slice()))).toEqual(Buffer.from(native.sharedSecret));
    const noble = ml_kem1024.encapsulate(keys.publicKey);
    expect(Buffer.from(mlKem1024Decapsulate(noble.cipherText, keys.secretKey))).toEqual(Buffer.from(noble.sharedSecret));
    const forged = noble.cipherText.slice();
    forged[100] = (forged[100] ?? 0) ^ 0x80;
    const onNative = mlKem1024Decapsulate(forged, keys.secretKey);
    setMlKem1024Backend('noble');
    expect(Buffer.from(mlKem1024Decapsulate(forged, keys.secretKey))).toEqual(Buffer.from(onNative));
    expect(Buffer.from(onNative)).not.toEqual(Buffer.from(noble.sharedSecret));
  });

  it('an injected random source gives the same ciphertext every time, whichever backend is available', () => {
    const keys = mlKem1024KeyPair(seededRandom('kem-keys'));
    const a = mlKem1024Encapsulate(keys.publicKey, seededRandom('kem-m'));
    const b = mlKem1024Encapsulate(keys.publicKey, seededRandom('kem-m'));
    expect(Buffer.from(a.ciphertext)).toEqual(Buffer.from(b.ciphertext));
    expect(Buffer.from(mlKem1024Decapsulate(a.ciphertext, keys.secretKey))).toEqual(Buffer.from(a.sharedSecret));
  });

  it.each(['auto', 'noble'] as const)('refuses a public key with unreduced coefficients and a malformed secret key (%s)', (backend) => {
    setMlKem1024Backend(backend);
    const keys = mlKem1024KeyPair(systemRandom);
    const badPublic = keys.publicKey.slice();
    badPublic[0] = 0xff;
    badPublic[1] = 0xff;
    expect(codeOf(() => mlKem1024Encapsulate(badPublic, systemRandom))).toBe('invalid_key');
    expect(codeOf(() => mlKem1024Decapsulate(new Uint8Array(1568), new Uint8Array(3167)))).toBe('invalid_length');
  });

  it.runIf(hasNative)('refuses a secret key whose embedded public-key hash does not match (FIPS 203 input check)', () => {
    const keys = mlKem1024KeyPair(systemRandom);
    const tampered = keys.secretKey.slice();
    tampered[3100] = (tampered[3100] ?? 0) ^ 0x01;
    expect(codeOf(() => mlKem1024Decapsulate(new Uint8Array(1568), tampered))).toBe('invalid_key');
  });
});
