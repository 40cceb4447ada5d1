import type { CipherSuite, KeyPair } from './cipher-suite';
import type { RandomSource } from './random';
import { kdfRatchet, kdfRootInit } from './ratchet-kdf';
import type { RatchetState } from './ratchet-state';

/**
 * initialise_as_bob: the accepter's first sending chain comes straight from the root KDF; the
 * encapsulation to the inviter's base key only produces the label c_B (its shared secret is discarded).
 */
export function initialiseAccepterRatchet(
  suite: CipherSuite,
  secret: Uint8Array,
  accepterSignedPreKey: KeyPair,
  inviterBaseKey: Uint8Array,
  random: RandomSource,
): RatchetState {
  const { rootKey, chainKey } = kdfRootInit(suite, secret);
  const { ciphertext: label } = suite.kem.encapsulate(inviterBaseKey, random);
  return {
    packId: suite.packId,
    rootKey,
    rootSequence: 0,
    sendingMessageSequence: 0,
    receivedMessageSequence: 0,
    senderChain: {
      ourRatchetKey: label,
      theirRatchetPublicKey: inviterBaseKey.slice(),
      chainKey: { index: 0, key: chainKey },
    },
    // Copies: the state must not alias buffers the caller may later wipe or reuse.
    ourRatchetSecretKey: accepterSignedPreKey.secretKey.slice(),
    receiverChain: null,
    skippedKeys: [],
  };
}

/**
 * initialise_as_alice: the root KDF's chain key receives the accepter's first chain (labelled by
 * AcceptMsg.ratchet_key); the inviter's own first sending chain comes from a fresh encapsulation to SPK_B.
 */
export function initialiseInviterRatchet(
  suite: CipherSuite,
  secret: Uint8Array,
  inviterBaseKey: KeyPair,
  accepterSignedPreKey: Uint8Array,
  accepterRatchetKey: Uint8Array,
  random: RandomSource,
): RatchetState {
  const initial = kdfRootInit(suite, secret);
  const { ciphertext, sharedSecret } = suite.kem.encapsulate(accepterSignedPreKey, random);
  const sending = kdfRatchet(suite, sharedSecret, initial.rootKey);
  return {
    packId: suite.packId,
    rootKey: sending.rootKey,
    rootSequence: 1,
    sendingMessageSequence: 0,
    receivedMessageSequence: 0,
    senderChain: {
      ourRatchetKey: ciphertext,
      theirRatchetPublicKey: accepterSignedPreKey.slice(),
      chainKey: { index: 0, key: sending.chainKey },
    },
    ourRatchetSecretKey: inviterBaseKey.secretKey.slice(),
    receiverChain: {
      theirRatchetKey: accepterRatchetKey.slice(),
      chainKey: { index: 0, key: initial.chainKey },
      startOffset: 0,
    },
    skippedKeys: [],
  };
}
