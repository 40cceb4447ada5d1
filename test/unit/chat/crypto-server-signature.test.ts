import { describe, expect, it } from 'vitest';
import {
  computeMsgFingerprint,
  SUITE_MLDSA87_MLKEM1024_AES256GCM_SHA256 as suite,
  verifyServerSignatures,
  type ServerSignedSignature,
} from '../../../src/main/chat/crypto';
import { errorCode, seededRandom, text } from './crypto-fixtures';

const random = seededRandom('server-signature');
const server = suite.sign.generateKeyPair(random);
const otherServer = suite.sign.generateKeyPair(random);
const fingerprint = computeMsgFingerprint(suite, [text('tag'), text('from'), text('to'), text('payload')]);

function signedBy(secretKey: Uint8Array, msgFingerprint = fingerprint): ServerSignedSignature {
  return { signingAlg: 17, hashAlg: 1, msgFingerprint, signature: suite.sign.sign(secretKey, msgFingerprint, random) };
}

const good = signedBy(server.secretKey);
const foreign = signedBy(otherServer.secretKey);

describe('server signature verification', () => {
  it('msg_fingerprint is SHA-256 over the concatenated encoded parts', () => {
    expect(fingerprint).toEqual(suite.hash.digest(text('tagfromtopayload')));
  });

  it('accepts a valid signature and returns it, with or without a recomputed fingerprint', () => {
    expect(verifyServerSignatures(suite, server.publicKey, [good])).toBe(good);
    expect(verifyServerSignatures(suite, server.publicKey, [foreign, good], fingerprint)).toBe(good);
  });

  it('refuses an empty signature list (SKISSM lets it pass)', () => {
    expect(errorCode(() => verifyServerSignatures(suite, server.publicKey, []))).toBe('missing_server_signature');
  });

  it('refuses signatures by another key, of another algorithm, or over another fingerprint', () => {
    expect(errorCode(() => verifyServerSignatures(suite, server.publicKey, [foreign]))).toBe(
      'invalid_server_signature',
    );
    expect(errorCode(() => verifyServerSignatures(suite, server.publicKey, [{ ...good, signingAlg: 0 }]))).toBe(
      'invalid_server_signature',
    );
    expect(errorCode(() => verifyServerSignatures(suite, server.publicKey, [{ ...good, hashAlg: 2 }]))).toBe(
      'invalid_server_signature',
    );
    const otherFingerprint = computeMsgFingerprint(suite, [text('other message')]);
    expect(errorCode(() => verifyServerSignatures(suite, server.publicKey, [good], otherFingerprint))).toBe(
      'invalid_server_signature',
    );
    const flipped = good.signature.slice();
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    expect(errorCode(() => verifyServerSignatures(suite, server.publicKey, [{ ...good, signature: flipped }]))).toBe(
      'invalid_server_signature',
    );
  });
});
