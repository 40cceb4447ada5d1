import { bytesEqual } from './bytes';
import type { CipherSuite } from './cipher-suite';
import { MAX_SKIPPED_KEYS_TOTAL } from './ratchet-limits';
import { deriveMessageKey, nextChainKey } from './ratchet-kdf';
import type { ChainKey, SkippedMessageKey } from './ratchet-state';

/** Helpers that derive, find and bound the message keys kept for out-of-order messages. */

/** What the peer's messages on one chain carry in their headers besides the index. */
export interface ChainIdentity {
  readonly ratchetKey: Uint8Array;
  readonly rootSequence: number;
  readonly startOffset: number;
}

/**
 * Steps `chainKey` forward to `untilIndex`, returning the message keys it passes (for later out-of-order
 * messages) and the chain key positioned at `untilIndex`.
 */
export function advanceChain(
  suite: CipherSuite,
  chainKey: ChainKey,
  untilIndex: number,
  chain: ChainIdentity,
): { skipped: SkippedMessageKey[]; chainKey: ChainKey } {
  const skipped: SkippedMessageKey[] = [];
  let key = chainKey.key;
  for (let index = chainKey.index; index < untilIndex; index++) {
    skipped.push({
      ratchetKey: chain.ratchetKey,
      rootSequence: chain.rootSequence,
      index,
      messageKey: deriveMessageKey(suite, key),
      sendingMessageSequence: chain.startOffset + index + 1,
    });
    key = nextChainKey(suite, key);
  }
  return { skipped, chainKey: { index: Math.max(untilIndex, chainKey.index), key } };
}

export function findSkippedKey(keys: readonly SkippedMessageKey[], ratchetKey: Uint8Array, index: number): number {
  return keys.findIndex((entry) => entry.index === index && bytesEqual(entry.ratchetKey, ratchetKey));
}

export function withoutSkippedKey(keys: readonly SkippedMessageKey[], position: number): SkippedMessageKey[] {
  return [...keys.slice(0, position), ...keys.slice(position + 1)];
}

/** Appends and then evicts the oldest keys beyond the overall cap (those messages become undecryptable). */
export function appendSkippedKeys(
  keys: readonly SkippedMessageKey[],
  additions: readonly SkippedMessageKey[],
): readonly SkippedMessageKey[] {
  if (additions.length === 0) return keys;
  const combined = [...keys, ...additions];
  return combined.length > MAX_SKIPPED_KEYS_TOTAL ? combined.slice(combined.length - MAX_SKIPPED_KEYS_TOTAL) : combined;
}
