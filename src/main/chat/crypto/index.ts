/** Public surface of the SKISSM-compatible cryptographic core (pure functions, no I/O). */
export { base64OfKey, bytesEqual, concatBytes, fromBase64, fromHex, toBase64, toHex } from './bytes';
export { ChatCryptoError, isChatCryptoError, type ChatCryptoErrorCode } from './errors';
export { systemRandom, type RandomSource } from './random';
export { mlDsa87Backend, setMlDsa87Backend, type MlDsa87BackendChoice } from './ml-dsa-87-native';
export { mlKem1024Backend, setMlKem1024Backend, type MlKem1024BackendChoice } from './ml-kem-1024-native';
export {
  cipherSuiteForPackId,
  PACK_ID_MLDSA87_MLKEM1024_AES256GCM_SHA256,
  SUITE_MLDSA87_MLKEM1024_AES256GCM_SHA256,
  type CipherSuite,
  type CipherSuiteSizes,
  type Encapsulation,
  type KeyPair,
} from './cipher-suite';
export { packE2eePackId, unpackE2eePackId, type E2eePackParts } from './pack-id';
export { createInvite, completeInvite } from './key-agreement-inviter';
export { acceptInvite } from './key-agreement-accepter';
export type {
  AcceptKeys,
  AccepterKeys,
  EstablishedSession,
  IncomingInvite,
  OneTimePreKeyPublic,
  OutgoingInvite,
  PendingInvite,
  PreKeyBundleKeys,
  SignedPreKeyPublic,
} from './key-agreement-types';
export { generateSessionId } from './session-id';
export { ratchetEncrypt, type RatchetEncryptResult } from './ratchet-encrypt';
export { ratchetDecrypt, type RatchetDecryptResult } from './ratchet-decrypt';
export type { RatchetHeader, RatchetState } from './ratchet-state';
export { MAX_SKIPPED_KEYS_PER_CHAIN, MAX_SKIPPED_KEYS_TOTAL } from './ratchet-limits';
export {
  deserializeRatchetState,
  ratchetStateFromJson,
  ratchetStateToJson,
  serializeRatchetState,
} from './ratchet-serialize';
export {
  createGroupChain,
  groupDecrypt,
  groupEncrypt,
  MAX_GROUP_CHAIN_GAP,
  type GroupChainState,
  type GroupMessage,
} from './group-message';
export { deriveGroupChainKey, groupAddKey, groupAssociatedData, groupSeedAfterAdd, groupSessionIdOf, groupWelcomeKey, GROUP_SEED_LENGTH } from './group-keys';
export { computeMsgFingerprint, verifyServerSignatures, VerifiedBatches, type ServerSignedSignature } from './server-signature';
export { BATCH_SIGNATURE_VERSION, buildBatch, encodeBatchSignature, type BatchProof } from './batch-signature';
export { safetyFingerprint, safetyFingerprintGroups, type IdentityPublicKeys } from './safety-fingerprint';
