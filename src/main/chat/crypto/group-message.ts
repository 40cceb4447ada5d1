import type { CipherSuite } from './cipher-suite';
import { ChatCryptoError, requireLength } from './errors';
import { deriveGroupChainKey, groupAssociatedData } from './group-keys';
import { systemRandom, type RandomSource } from './random';
import { MAX_SEQUENCE } from './ratchet-limits';
import { deriveMessageKey, nextChainKey, openWithMessageKey, sealWithMessageKey } from './ratchet-kdf';

/**
 * One member device's sending chain in a group, held by the sender (outbound) and by every other member
 * (inbound). Immutable like the 1:1 ratchet state.
 */
export interface GroupChainState {
  readonly packId: number;
  /** The sending device's identity signature key; verifies its messages and forms the AD. */
  readonly senderSignPublicKey: Uint8Array;
  /** Sequence of the next message on this chain. */
  readonly sequence: number;
  readonly chainKey: Uint8Array;
}

/** The fields of GroupMsgPayload. */
export interface GroupMessage {
  readonly sequence: number;
  /** AES-256-GCM ciphertext ‖ tag. */
  readonly ciphertext: Uint8Array;
  /** Sign(sender IK.sign_priv, ciphertext ‖ tag). */
  readonly signature: Uint8Array;
}

/**
 * Groups keep no skipped keys (as in SKISSM), but a receiver still has to step over messages it never got;
 * this bounds how far one message may move the chain.
 */
export const MAX_GROUP_CHAIN_GAP = 1000;

export function createGroupChain(
  suite: CipherSuite,
  groupSeed: Uint8Array,
  senderSignPublicKey: Uint8Array,
): GroupChainState {
  return {
    packId: suite.packId,
    senderSignPublicKey: senderSignPublicKey.slice(),
    sequence: 0,
    chainKey: deriveGroupChainKey(suite, groupSeed, senderSignPublicKey),
  };
}

/**
 * Encrypts and signs one group message. SKISSM advances the chain only once the server accepted the message,
 * so the caller should persist the returned state only after a successful SendGroupMsg.
 */
export function groupEncrypt(
  suite: CipherSuite,
  chain: GroupChainState,
  signSecretKey: Uint8Array,
  plaintext: Uint8Array,
  random: RandomSource = systemRandom,
): { chain: GroupChainState; message: GroupMessage } {
  if (chain.packId !== suite.packId) throw new ChatCryptoError('unsupported_suite', 'group chain uses another suite');
  if (chain.sequence >= MAX_SEQUENCE) throw new ChatCryptoError('invalid_state', 'group chain exhausted');
  const ciphertext = sealWithMessageKey(
    suite,
    deriveMessageKey(suite, chain.chainKey),
    plaintext,
    groupAssociatedData(chain.senderSignPublicKey),
  );
  return {
    chain: { ...chain, sequence: chain.sequence + 1, chainKey: nextChainKey(suite, chain.chainKey) },
    message: { sequence: chain.sequence, ciphertext, signature: suite.sign.sign(signSecretKey, ciphertext, random) },
  };
}

/**
 * Verifies the signature first (a forged message must not move the chain), then steps the chain to the message's
 * sequence, decrypts, and steps once more. Older sequences cannot be decrypted, which also rejects replays.
 */
export function groupDecrypt(
  suite: CipherSuite,
  chain: GroupChainState,
  message: GroupMessage,
): { chain: GroupChainState; plaintext: Uint8Array } {
  if (chain.packId !== suite.packId) throw new ChatCryptoError('unsupported_suite', 'group chain uses another suite');
  requireLength(message.signature, suite.sizes.signature, 'group message signature');
  if (!suite.sign.verify(chain.senderSignPublicKey, message.ciphertext, message.signature)) {
    throw new ChatCryptoError('invalid_signature', 'group message signature does not verify');
  }
  if (!Number.isInteger(message.sequence) || message.sequence < 0 || message.sequence > MAX_SEQUENCE) {
    throw new ChatCryptoError('header_mismatch', 'group message sequence is not a uint32');
  }
  if (message.sequence < chain.sequence) {
    throw new ChatCryptoError(
      'replayed_message',
      `group message ${message.sequence} is behind the chain (${chain.sequence})`,
    );
  }
  if (message.sequence - chain.sequence > MAX_GROUP_CHAIN_GAP) {
    throw new ChatCryptoError('too_many_skipped_keys', `group message ${message.sequence} is too far ahead`);
  }
  let chainKey = chain.chainKey;
  for (let sequence = chain.sequence; sequence < message.sequence; sequence++) chainKey = nextChainKey(suite, chainKey);
  const plaintext = openWithMessageKey(
    suite,
    deriveMessageKey(suite, chainKey),
    message.ciphertext,
    groupAssociatedData(chain.senderSignPublicKey),
  );
  return { plaintext, chain: { ...chain, sequence: message.sequence + 1, chainKey: nextChainKey(suite, chainKey) } };
}
