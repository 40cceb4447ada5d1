import { cipherSuiteForPackId } from './cipher-suite';
import { ChatCryptoError } from './errors';
import { MAX_SEQUENCE } from './ratchet-limits';
import { deriveMessageKey, nextChainKey, sealWithMessageKey } from './ratchet-kdf';
import type { RatchetHeader, RatchetState } from './ratchet-state';

export interface RatchetEncryptResult {
  readonly state: RatchetState;
  readonly header: RatchetHeader;
  /** AES-256-GCM ciphertext with the 16-byte tag appended. */
  readonly ciphertext: Uint8Array;
}

/**
 * Encrypts one message on the current sending chain. Sending never performs a KEM step;
 * the chain is renewed when a message of the peer's next chain is decrypted.
 */
export function ratchetEncrypt(state: RatchetState, plaintext: Uint8Array, ad: Uint8Array): RatchetEncryptResult {
  const suite = cipherSuiteForPackId(state.packId);
  const { chainKey } = state.senderChain;
  if (chainKey.index >= MAX_SEQUENCE || state.sendingMessageSequence >= MAX_SEQUENCE) {
    throw new ChatCryptoError('invalid_state', 'sending chain exhausted; build a new session');
  }
  const messageKey = deriveMessageKey(suite, chainKey.key);
  const sendingMessageSequence = state.sendingMessageSequence + 1;
  return {
    state: {
      ...state,
      sendingMessageSequence,
      senderChain: {
        ...state.senderChain,
        chainKey: { index: chainKey.index + 1, key: nextChainKey(suite, chainKey.key) },
      },
    },
    header: {
      sequence: chainKey.index,
      // A copy: callers own the header they are handed and may reuse its buffers.
      ratchetKey: state.senderChain.ourRatchetKey.slice(),
      rootSequence: state.rootSequence,
      sendingMessageSequence,
    },
    ciphertext: sealWithMessageKey(suite, messageKey, plaintext, ad),
  };
}
