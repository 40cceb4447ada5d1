/**
 * State of the SKISSM PQC double ratchet. Treated as immutable: every ratchet
 * operation returns a new state object and never mutates the one it was given, so a failed decrypt leaves the
 * caller's state untouched and a state can be persisted before the message is acknowledged.
 */

export interface ChainKey {
  /** Index of the next message key this chain key yields. */
  readonly index: number;
  readonly key: Uint8Array;
}

export interface SenderChain {
  /** The KEM ciphertext that labels this chain; sent as `ratchet_key` in every message header. */
  readonly ourRatchetKey: Uint8Array;
  /** The peer's static ratchet KEM public key (SPK_B for the inviter, alice_base_key for the accepter). */
  readonly theirRatchetPublicKey: Uint8Array;
  readonly chainKey: ChainKey;
}

/** The peer's current sending chain as we see it; absent until the accepter receives the first message. */
export interface ReceiverChain {
  /** The peer's KEM ciphertext labelling the chain. */
  readonly theirRatchetKey: Uint8Array;
  readonly chainKey: ChainKey;
  /**
   * How many messages the peer had sent in the session before this chain's first message. Lets us check the
   * header's cumulative `sending_message_sequence` and size the skipped keys of this chain once it ends.
   */
  readonly startOffset: number;
}

/** A message key kept for a message that has not arrived yet (out-of-order delivery). */
export interface SkippedMessageKey {
  readonly ratchetKey: Uint8Array;
  /** Root sequence of the chain the key belongs to; the genuine message's header carries it. */
  readonly rootSequence: number;
  readonly index: number;
  readonly messageKey: Uint8Array;
  /** The `sending_message_sequence` the genuine message must carry. */
  readonly sendingMessageSequence: number;
}

export interface RatchetState {
  readonly packId: number;
  readonly rootKey: Uint8Array;
  /** Even for the accepter's chains, odd for the inviter's (the inviter's first chain is 1). */
  readonly rootSequence: number;
  /** How many messages we have sent in this session (cumulative across chains). */
  readonly sendingMessageSequence: number;
  /** Highest `sending_message_sequence` seen from the peer. */
  readonly receivedMessageSequence: number;
  readonly senderChain: SenderChain;
  /** Our static ratchet KEM secret key (SPK_B for the accepter, alice_base_key for the inviter). */
  readonly ourRatchetSecretKey: Uint8Array;
  readonly receiverChain: ReceiverChain | null;
  /** Oldest first; bounded by the limits in ratchet-limits.ts. */
  readonly skippedKeys: readonly SkippedMessageKey[];
}

/** The fields of One2oneMsgPayload other than the ciphertext. */
export interface RatchetHeader {
  /** Index of the message key in the sender's chain. */
  readonly sequence: number;
  readonly ratchetKey: Uint8Array;
  readonly rootSequence: number;
  /** Sender's cumulative message count including this message. */
  readonly sendingMessageSequence: number;
}
