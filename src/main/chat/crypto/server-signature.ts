import { bytesEqual, concatBytes } from './bytes';
import type { CipherSuite } from './cipher-suite';
import { ChatCryptoError } from './errors';

/** The fields of skissm.ServerSignedSignature that take part in verification (spec §1.3, §2.8). */
export interface ServerSignedSignature {
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
 * Checks the server signatures of a ProtoMsg or PreKeyBundle against the pinned server certificate key and
 * returns the signature that verified. Stricter than SKISSM, which accepts an empty list and never relates
 * msg_fingerprint to the message: an empty list is refused, at least one signature must use this suite's
 * algorithms and verify, and when `expectedMsgFingerprint` is given the verified fingerprint must equal it.
 * Signatures by other keys (e.g. other federated servers) are ignored rather than fatal.
 */
export function verifyServerSignatures(
  suite: CipherSuite,
  serverSigningPublicKey: Uint8Array,
  signatures: readonly ServerSignedSignature[],
  expectedMsgFingerprint?: Uint8Array,
): ServerSignedSignature {
  if (signatures.length === 0)
    throw new ChatCryptoError('missing_server_signature', 'message carries no server signature');
  for (const candidate of signatures) {
    if (candidate.signingAlg !== suite.dsAlgId || candidate.hashAlg !== suite.hashAlgId) continue;
    if (candidate.msgFingerprint.length !== suite.sizes.hash) continue;
    if (expectedMsgFingerprint && !bytesEqual(candidate.msgFingerprint, expectedMsgFingerprint)) continue;
    if (suite.sign.verify(serverSigningPublicKey, candidate.msgFingerprint, candidate.signature)) return candidate;
  }
  throw new ChatCryptoError('invalid_server_signature', 'no server signature verifies with the pinned server key');
}
