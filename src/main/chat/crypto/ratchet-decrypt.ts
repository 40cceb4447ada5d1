import { bytesEqual } from './bytes';
import { cipherSuiteForPackId, type CipherSuite } from './cipher-suite';
import { ChatCryptoError, requireLength } from './errors';
import { systemRandom, type RandomSource } from './random';
import { MAX_SEQUENCE, MAX_SKIPPED_KEYS_PER_CHAIN } from './ratchet-limits';
import { deriveMessageKey, kdfRatchet, nextChainKey, openWithMessageKey } from './ratchet-kdf';
import type { ReceiverChain, RatchetHeader, RatchetState } from './ratchet-state';
import { advanceChain, appendSkippedKeys, findSkippedKey, withoutSkippedKey } from './skipped-keys';

export interface RatchetDecryptResult {
  readonly state: RatchetState;
  readonly plaintext: Uint8Array;
}

/**
 * Decrypts one message. Dispatches on the header's root sequence r_in against ours r:
 * r_in = r − 1 is the peer's current chain, r_in = r + 1 starts the peer's next chain (KEM ratchet step),
 * older chains are served from skipped keys only, anything else is rejected. Throws ChatCryptoError and leaves
 * `state` untouched on any failure.
 */
export function ratchetDecrypt(
  state: RatchetState,
  header: RatchetHeader,
  ciphertext: Uint8Array,
  ad: Uint8Array,
  random: RandomSource = systemRandom,
): RatchetDecryptResult {
  const suite = cipherSuiteForPackId(state.packId);
  checkHeader(suite, header);
  const ours = state.rootSequence;
  const theirs = header.rootSequence;
  // The two sides own opposite parities, so a header with our parity was never produced by the peer.
  if (theirs % 2 === ours % 2) {
    throw new ChatCryptoError('unexpected_root_sequence', `root sequence ${theirs} has our parity (ours is ${ours})`);
  }
  if (theirs === ours + 1) return decryptOnNextChain(suite, state, header, ciphertext, ad, random);
  if (theirs === ours - 1) {
    const chain = state.receiverChain;
    if (!chain || !bytesEqual(chain.theirRatchetKey, header.ratchetKey)) {
      throw new ChatCryptoError('unknown_ratchet_key', 'ratchet key does not match the current receiving chain');
    }
    return decryptOnCurrentChain(suite, state, chain, header, ciphertext, ad);
  }
  if (theirs < ours - 1) return decryptWithSkippedKey(suite, state, header, ciphertext, ad);
  throw new ChatCryptoError('unexpected_root_sequence', `root sequence ${theirs} is ahead of ours (${ours})`);
}

function checkHeader(suite: CipherSuite, header: RatchetHeader): void {
  requireLength(header.ratchetKey, suite.sizes.kemCiphertext, 'ratchet key');
  for (const value of [header.sequence, header.rootSequence, header.sendingMessageSequence]) {
    if (!Number.isInteger(value) || value < 0 || value > MAX_SEQUENCE) {
      throw new ChatCryptoError('header_mismatch', `header counter ${value} is not a uint32`);
    }
  }
  // The sender increments its cumulative count before sending, and its chain index can never exceed it.
  if (header.sendingMessageSequence <= header.sequence) {
    throw new ChatCryptoError('header_mismatch', 'sending_message_sequence must exceed sequence');
  }
}

/** A message whose key was stored earlier; the key is consumed, so a replay finds nothing. */
function decryptWithSkippedKey(
  suite: CipherSuite,
  state: RatchetState,
  header: RatchetHeader,
  ciphertext: Uint8Array,
  ad: Uint8Array,
): RatchetDecryptResult {
  const position = findSkippedKey(state.skippedKeys, header.ratchetKey, header.sequence);
  const entry = state.skippedKeys[position];
  if (!entry) throw new ChatCryptoError('replayed_message', 'no message key left (replayed, or evicted as too old)');
  if (entry.rootSequence !== header.rootSequence || entry.sendingMessageSequence !== header.sendingMessageSequence) {
    throw new ChatCryptoError('header_mismatch', 'sending_message_sequence does not match the message position');
  }
  const plaintext = openWithMessageKey(suite, entry.messageKey, ciphertext, ad);
  return { plaintext, state: { ...state, skippedKeys: withoutSkippedKey(state.skippedKeys, position) } };
}

function decryptOnCurrentChain(
  suite: CipherSuite,
  state: RatchetState,
  chain: ReceiverChain,
  header: RatchetHeader,
  ciphertext: Uint8Array,
  ad: Uint8Array,
): RatchetDecryptResult {
  if (header.sequence < chain.chainKey.index) return decryptWithSkippedKey(suite, state, header, ciphertext, ad);
  if (header.sendingMessageSequence !== chain.startOffset + header.sequence + 1) {
    throw new ChatCryptoError('header_mismatch', 'sending_message_sequence does not match the message position');
  }
  if (header.sequence - chain.chainKey.index > MAX_SKIPPED_KEYS_PER_CHAIN) {
    throw new ChatCryptoError(
      'too_many_skipped_keys',
      `message ${header.sequence} skips more than ${MAX_SKIPPED_KEYS_PER_CHAIN} keys`,
    );
  }
  const advanced = advanceChain(suite, chain.chainKey, header.sequence, {
    ratchetKey: chain.theirRatchetKey,
    rootSequence: header.rootSequence,
    startOffset: chain.startOffset,
  });
  const plaintext = openWithMessageKey(suite, deriveMessageKey(suite, advanced.chainKey.key), ciphertext, ad);
  return {
    plaintext,
    state: {
      ...state,
      receivedMessageSequence: Math.max(state.receivedMessageSequence, header.sendingMessageSequence),
      receiverChain: {
        ...chain,
        chainKey: { index: header.sequence + 1, key: nextChainKey(suite, advanced.chainKey.key) },
      },
      skippedKeys: appendSkippedKeys(state.skippedKeys, advanced.skipped),
    },
  };
}

/**
 * The first message we see of the peer's next chain: decapsulate its ratchet key with our static ratchet secret,
 * KDF_ratchet into a new receiving chain, trial-decrypt, and only then keep the rest of the old chain's keys,
 * install the new chain and start our own next sending chain by encapsulating again to the peer's static key.
 */
function decryptOnNextChain(
  suite: CipherSuite,
  state: RatchetState,
  header: RatchetHeader,
  ciphertext: Uint8Array,
  ad: Uint8Array,
  random: RandomSource,
): RatchetDecryptResult {
  if (state.rootSequence + 2 > MAX_SEQUENCE) throw new ChatCryptoError('invalid_state', 'root sequence exhausted');
  // The peer's cumulative count tells how many messages preceded this chain, i.e. where the old chain ended.
  // SKISSM does not authenticate headers, so this count is trusted only within bounds. A count that claims fewer
  // old-chain messages than we already read is clamped rather than refused: refusing would make a single forged
  // count (or an earlier one that skewed old.startOffset) block every later chain of the session for good.
  const startOffset = header.sendingMessageSequence - 1 - header.sequence;
  const old = state.receiverChain;
  if (!old && startOffset !== 0) throw new ChatCryptoError('header_mismatch', "the peer's first chain must start at 0");
  const oldChainLength = old ? Math.max(startOffset - old.startOffset, old.chainKey.index) : 0;
  const oldChainKeys = old ? oldChainLength - old.chainKey.index : 0;
  if (header.sequence > MAX_SKIPPED_KEYS_PER_CHAIN || oldChainKeys > MAX_SKIPPED_KEYS_PER_CHAIN) {
    throw new ChatCryptoError('too_many_skipped_keys', 'chain step would skip more keys than allowed');
  }

  // Copied so that later changes to the caller's header buffer cannot reach into the stored state.
  const theirRatchetKey = header.ratchetKey.slice();
  const sharedSecret = suite.kem.decapsulate(theirRatchetKey, state.ourRatchetSecretKey);
  const receiving = kdfRatchet(suite, sharedSecret, state.rootKey);
  const advanced = advanceChain(suite, { index: 0, key: receiving.chainKey }, header.sequence, {
    ratchetKey: theirRatchetKey,
    rootSequence: header.rootSequence,
    startOffset,
  });
  const plaintext = openWithMessageKey(suite, deriveMessageKey(suite, advanced.chainKey.key), ciphertext, ad);

  const oldSkipped = old
    ? advanceChain(suite, old.chainKey, oldChainLength, {
        ratchetKey: old.theirRatchetKey,
        rootSequence: state.rootSequence - 1,
        startOffset: old.startOffset,
      }).skipped
    : [];
  const next = suite.kem.encapsulate(state.senderChain.theirRatchetPublicKey, random);
  const sending = kdfRatchet(suite, next.sharedSecret, receiving.rootKey);
  return {
    plaintext,
    state: {
      ...state,
      rootKey: sending.rootKey,
      rootSequence: state.rootSequence + 2,
      receivedMessageSequence: Math.max(state.receivedMessageSequence, header.sendingMessageSequence),
      senderChain: {
        ourRatchetKey: next.ciphertext,
        theirRatchetPublicKey: state.senderChain.theirRatchetPublicKey,
        chainKey: { index: 0, key: sending.chainKey },
      },
      receiverChain: {
        theirRatchetKey,
        chainKey: { index: header.sequence + 1, key: nextChainKey(suite, advanced.chainKey.key) },
        startOffset,
      },
      skippedKeys: appendSkippedKeys(state.skippedKeys, [...oldSkipped, ...advanced.skipped]),
    },
  };
}
