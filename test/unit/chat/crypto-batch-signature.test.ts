import { describe, expect, it } from 'vitest';
import {
  BATCH_SIGNATURE_VERSION,
  buildBatch,
  computeMsgFingerprint,
  encodeBatchSignature,
  SUITE_MLDSA87_MLKEM1024_AES256GCM_SHA256 as suite,
  VerifiedBatches,
  verifyServerSignatures,
  type ServerSignedSignature,
} from '../../../src/main/chat/crypto';
import { errorCode, seededRandom, text } from './crypto-fixtures';

const random = seededRandom('batch-signature');
const server = suite.sign.generateKeyPair(random);
const otherServer = suite.sign.generateKeyPair(random);

function fingerprints(count: number, label = 'msg'): Uint8Array[] {
  return Array.from({ length: count }, (_, i) => computeMsgFingerprint(suite, [text(`${label} ${i}`)]));
}

function signBatch(secretKey: Uint8Array, fps: Uint8Array[]): ServerSignedSignature[] {
  const { digest, proofs } = buildBatch(suite, fps);
  const signature = suite.sign.sign(secretKey, digest, random);
  return fps.map((msgFingerprint, i) => ({ version: BATCH_SIGNATURE_VERSION, signingAlg: 17, hashAlg: 1, msgFingerprint, signature: encodeBatchSignature(signature, proofs[i]!) }));
}

describe('batch server signatures (one signature over a Merkle root)', () => {
  it('every message of batches of 1 to 9 verifies with its own fingerprint', () => {
    for (let count = 1; count <= 9; count++) {
      const fps = fingerprints(count, `batch ${count}`);
      const signed = signBatch(server.secretKey, fps);
      signed.forEach((sig, i) => expect(verifyServerSignatures(suite, server.publicKey, [sig], fps[i])).toBe(sig));
    }
  });

  it('refuses a message whose fingerprint is not the one in the batch, another key, or a damaged proof', () => {
    const fps = fingerprints(5);
    const signed = signBatch(server.secretKey, fps);
    const swapped = { ...signed[1]!, msgFingerprint: fps[2]! };
    expect(errorCode(() => verifyServerSignatures(suite, server.publicKey, [swapped]))).toBe('invalid_server_signature');
    expect(errorCode(() => verifyServerSignatures(suite, server.publicKey, [signed[0]!], fps[1]))).toBe('invalid_server_signature');
    expect(errorCode(() => verifyServerSignatures(suite, otherServer.publicKey, [signed[0]!]))).toBe('invalid_server_signature');
    const damaged = new Uint8Array(signed[3]!.signature);
    damaged[damaged.length - 1]! ^= 1;
    expect(errorCode(() => verifyServerSignatures(suite, server.publicKey, [{ ...signed[3]!, signature: damaged }]))).toBe('invalid_server_signature');
    const truncated = signed[3]!.signature.subarray(0, signed[3]!.signature.length - 32);
    expect(errorCode(() => verifyServerSignatures(suite, server.publicKey, [{ ...signed[3]!, signature: truncated }]))).toBe('invalid_server_signature');
  });

  it('a batch signature is not a per-message signature and vice versa', () => {
    const fps = fingerprints(2);
    const [batch] = signBatch(server.secretKey, fps);
    expect(errorCode(() => verifyServerSignatures(suite, server.publicKey, [{ ...batch!, version: 1 }]))).toBe('invalid_server_signature');
    const single: ServerSignedSignature = { version: BATCH_SIGNATURE_VERSION, signingAlg: 17, hashAlg: 1, msgFingerprint: fps[0]!, signature: suite.sign.sign(server.secretKey, fps[0]!, random) };
    expect(errorCode(() => verifyServerSignatures(suite, server.publicKey, [single]))).toBe('invalid_server_signature');
  });

  it('the cache of verified batches never accepts what verification would refuse', () => {
    const cache = new VerifiedBatches();
    const fps = fingerprints(4);
    const signed = signBatch(server.secretKey, fps);
    expect(verifyServerSignatures(suite, server.publicKey, [signed[0]!], fps[0], cache)).toBe(signed[0]);
    expect(verifyServerSignatures(suite, server.publicKey, [signed[2]!], fps[2], cache)).toBe(signed[2]);
    // Same root, different signature bytes: not a cache hit, and a forged signature fails.
    const forged = new Uint8Array(signed[1]!.signature);
    forged[10]! ^= 1;
    expect(errorCode(() => verifyServerSignatures(suite, server.publicKey, [{ ...signed[1]!, signature: forged }], fps[1], cache))).toBe('invalid_server_signature');
    // A cached batch is still tied to the pinned key it was verified with only through its bytes: wrong proof fails.
    expect(errorCode(() => verifyServerSignatures(suite, server.publicKey, [{ ...signed[1]!, msgFingerprint: fps[3]! }], undefined, cache))).toBe('invalid_server_signature');
  });
});
