import { BATCH_SIGNATURE_VERSION, batchDigestFromProof, decodeBatchSignature } from './batch-signature';
import { bytesEqual, concatBytes, toHex } from './bytes';
import type { CipherSuite } from './cipher-suite';
import { ChatCryptoError } from './errors';

/** The fields of skissm.ServerSignedSignature that take part in verification. */
export interface ServerSignedSignature {
  /** 1 (or absent): signature over msg_fingerprint; 2: batch signature (see batch-signature.ts). */
  readonly version?: number;
  readonly signingAlg: number;
  readonly hashAlg: number;
  readonly msgFingerprint: Uint8Array;
  readonly signature: Uint8Array;
}

/**
 * msg_fingerprint as SKISSM's mock server builds it: SHA-256 over the concatenated protobuf encodings of the
 * signed parts (ProtoMsg: tag ‖ from ‖ to ‖ payload sub-message; PreKeyBundle: address ‖ IK ‖ SPK ‖ OPK).
 * Whether the real server does the same is a GUESS, hence recomputation is optional in the verifier.
 */
export function computeMsgFingerprint(suite: CipherSuite, encodedParts: readonly Uint8Array[]): Uint8Array {
  return suite.hash.digest(concatBytes(...encodedParts));
}

/**
 * Batch digests whose signature already verified, so the other messages of a batch cost hashes only. A hit
 * requires the identical signature bytes too: the cache saves work, it never widens what is accepted.
 */
export class VerifiedBatches {
  private readonly entries = new Map<string, Uint8Array>();

  constructor(private readonly capacity = 64) {}

  /** Keyed by the verifying key too, so a batch verified under one pinned key never passes under another. */
  has(publicKey: Uint8Array, digest: Uint8Array, signature: Uint8Array): boolean {
    const known = this.entries.get(`${toHex(publicKey.subarray(0, 32))}:${toHex(digest)}`);
    return known !== undefined && bytesEqual(known, signature);
  }

  add(publicKey: Uint8Array, digest: Uint8Array, signature: Uint8Array): void {
    const key = `${toHex(publicKey.subarray(0, 32))}:${toHex(digest)}`;
    this.entries.delete(key);
    this.entries.set(key, new Uint8Array(signature));
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }
}

function verifies(suite: CipherSuite, key: Uint8Array, candidate: ServerSignedSignature, batches?: VerifiedBatches): boolean {
  if ((candidate.version ?? 1) !== BATCH_SIGNATURE_VERSION) return suite.sign.verify(key, candidate.msgFingerprint, candidate.signature);
  const { signature, proof } = decodeBatchSignature(suite, candidate.signature);
  const digest = batchDigestFromProof(suite, candidate.msgFingerprint, proof);
  if (batches?.has(key, digest, signature)) return true;
  if (!suite.sign.verify(key, digest, signature)) return false;
  batches?.add(key, digest, signature);
  return true;
}

/**
 * Checks the server signatures of a ProtoMsg or PreKeyBundle against the pinned server certificate key and
 * returns the signature that verified. Stricter than SKISSM, which accepts an empty list and never relates
 * msg_fingerprint to the message: an empty list is refused, at least one signature must use this suite's
 * algorithms and verify, and when `expectedMsgFingerprint` is given the verified fingerprint must equal it.
 * Signatures by other keys (e.g. other federated servers) are ignored rather than fatal. Version-2 (batch)
 * signatures verify the Merkle proof of msg_fingerprint and the signature over the batch digest, once per
 * batch when `batches` is given.
 */
export function verifyServerSignatures(
  suite: CipherSuite,
  serverSigningPublicKey: Uint8Array,
  signatures: readonly ServerSignedSignature[],
  expectedMsgFingerprint?: Uint8Array,
  batches?: VerifiedBatches,
): ServerSignedSignature {
  if (signatures.length === 0)
    throw new ChatCryptoError('missing_server_signature', 'message carries no server signature');
  for (const candidate of signatures) {
    if (candidate.signingAlg !== suite.dsAlgId || candidate.hashAlg !== suite.hashAlgId) continue;
    if (candidate.msgFingerprint.length !== suite.sizes.hash) continue;
    if (expectedMsgFingerprint && !bytesEqual(candidate.msgFingerprint, expectedMsgFingerprint)) continue;
    try {
      if (verifies(suite, serverSigningPublicKey, candidate, batches)) return candidate;
    } catch {
      // A malformed batch proof is just a signature that does not verify.
    }
  }
  throw new ChatCryptoError('invalid_server_signature', 'no server signature verifies with the pinned server key');
}
