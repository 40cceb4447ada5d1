import { base64OfKey, bytesEqual, fromBase64, toBase64 } from './bytes';
import { cipherSuiteForPackId, type CipherSuite } from './cipher-suite';
import { ChatCryptoError } from './errors';
import { MAX_SEQUENCE, MAX_SKIPPED_KEYS_TOTAL } from './ratchet-limits';
import type { ChainKey, RatchetState, ReceiverChain, SkippedMessageKey } from './ratchet-state';

/**
 * Storage form of RatchetState: JSON with base64 byte fields. Skipped keys are stored as runs per ratchet key,
 * because each ratchet key is a 1568-byte KEM ciphertext shared by many skipped keys. Parsing re-checks every
 * length and counter, so a corrupted or hand-edited record is refused instead of producing a broken session.
 */

const FORMAT_VERSION = 1;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export function ratchetStateToJson(state: RatchetState): Json {
  const chainKey = (chain: ChainKey): Json => ({ index: chain.index, key: toBase64(chain.key) });
  const runs: { ratchetKey: string; rootSequence: number; keys: Json[] }[] = [];
  let runKey: Uint8Array | undefined;
  for (const entry of state.skippedKeys) {
    const last = runs[runs.length - 1];
    if (!last || !runKey || !bytesEqual(runKey, entry.ratchetKey)) {
      runs.push({ ratchetKey: base64OfKey(entry.ratchetKey), rootSequence: entry.rootSequence, keys: [] });
      runKey = entry.ratchetKey;
    }
    runs[runs.length - 1]?.keys.push({
      index: entry.index,
      messageKey: toBase64(entry.messageKey),
      sendingMessageSequence: entry.sendingMessageSequence,
    });
  }
  return {
    version: FORMAT_VERSION,
    packId: state.packId,
    rootKey: toBase64(state.rootKey),
    rootSequence: state.rootSequence,
    sendingMessageSequence: state.sendingMessageSequence,
    receivedMessageSequence: state.receivedMessageSequence,
    senderChain: {
      ourRatchetKey: base64OfKey(state.senderChain.ourRatchetKey),
      theirRatchetPublicKey: base64OfKey(state.senderChain.theirRatchetPublicKey),
      chainKey: chainKey(state.senderChain.chainKey),
    },
    ourRatchetSecretKey: base64OfKey(state.ourRatchetSecretKey),
    receiverChain: state.receiverChain
      ? {
          theirRatchetKey: base64OfKey(state.receiverChain.theirRatchetKey),
          chainKey: chainKey(state.receiverChain.chainKey),
          startOffset: state.receiverChain.startOffset,
        }
      : null,
    skippedKeys: runs,
  };
}

export function serializeRatchetState(state: RatchetState): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(ratchetStateToJson(state)));
}

export function deserializeRatchetState(bytes: Uint8Array): RatchetState {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new ChatCryptoError('invalid_state', 'stored ratchet state is not valid JSON');
  }
  return ratchetStateFromJson(parsed);
}

function fail(what: string): never {
  throw new ChatCryptoError('invalid_state', `stored ratchet state: ${what}`);
}

function record(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(`${what} is not an object`);
  return value as Record<string, unknown>;
}

function counter(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_SEQUENCE)
    fail(`${what} is not a uint32`);
  return value;
}

function bytes(value: unknown, length: number, what: string): Uint8Array {
  if (typeof value !== 'string') fail(`${what} is not a string`);
  let decoded: Uint8Array;
  try {
    decoded = fromBase64(value);
  } catch {
    fail(`${what} is not base64`);
  }
  if (decoded.length !== length) fail(`${what} has length ${decoded.length}, expected ${length}`);
  return decoded;
}

function chainKeyFrom(value: unknown, suite: CipherSuite, what: string): ChainKey {
  const chain = record(value, what);
  return { index: counter(chain.index, `${what}.index`), key: bytes(chain.key, suite.sizes.chainKey, `${what}.key`) };
}

function receiverChainFrom(value: unknown, suite: CipherSuite): ReceiverChain | null {
  if (value === null) return null;
  const chain = record(value, 'receiverChain');
  return {
    theirRatchetKey: bytes(chain.theirRatchetKey, suite.sizes.kemCiphertext, 'receiverChain.theirRatchetKey'),
    chainKey: chainKeyFrom(chain.chainKey, suite, 'receiverChain.chainKey'),
    startOffset: counter(chain.startOffset, 'receiverChain.startOffset'),
  };
}

function skippedKeysFrom(value: unknown, suite: CipherSuite): SkippedMessageKey[] {
  if (!Array.isArray(value)) fail('skippedKeys is not an array');
  const keys: SkippedMessageKey[] = [];
  for (const runValue of value) {
    const run = record(runValue, 'skipped key run');
    const ratchetKey = bytes(run.ratchetKey, suite.sizes.kemCiphertext, 'skipped ratchetKey');
    const rootSequence = counter(run.rootSequence, 'skipped key run rootSequence');
    if (!Array.isArray(run.keys)) fail('skipped key run has no keys array');
    for (const keyValue of run.keys) {
      const entry = record(keyValue, 'skipped key');
      keys.push({
        ratchetKey,
        rootSequence,
        index: counter(entry.index, 'skipped key index'),
        messageKey: bytes(entry.messageKey, suite.sizes.messageKey, 'skipped message key'),
        sendingMessageSequence: counter(entry.sendingMessageSequence, 'skipped key sendingMessageSequence'),
      });
    }
  }
  if (keys.length > MAX_SKIPPED_KEYS_TOTAL) fail('too many skipped keys');
  return keys;
}

export function ratchetStateFromJson(value: unknown): RatchetState {
  const root = record(value, 'state');
  if (root.version !== FORMAT_VERSION) fail(`unknown format version ${String(root.version)}`);
  const packId = counter(root.packId, 'packId');
  let suite: CipherSuite;
  try {
    suite = cipherSuiteForPackId(packId);
  } catch {
    fail(`unsupported pack id ${packId}`);
  }
  const sender = record(root.senderChain, 'senderChain');
  return {
    packId,
    rootKey: bytes(root.rootKey, suite.sizes.chainKey, 'rootKey'),
    rootSequence: counter(root.rootSequence, 'rootSequence'),
    sendingMessageSequence: counter(root.sendingMessageSequence, 'sendingMessageSequence'),
    receivedMessageSequence: counter(root.receivedMessageSequence, 'receivedMessageSequence'),
    senderChain: {
      ourRatchetKey: bytes(sender.ourRatchetKey, suite.sizes.kemCiphertext, 'senderChain.ourRatchetKey'),
      theirRatchetPublicKey: bytes(
        sender.theirRatchetPublicKey,
        suite.sizes.kemPublicKey,
        'senderChain.theirRatchetPublicKey',
      ),
      chainKey: chainKeyFrom(sender.chainKey, suite, 'senderChain.chainKey'),
    },
    ourRatchetSecretKey: bytes(root.ourRatchetSecretKey, suite.sizes.kemSecretKey, 'ourRatchetSecretKey'),
    receiverChain: receiverChainFrom(root.receiverChain, suite),
    skippedKeys: skippedKeysFrom(root.skippedKeys, suite),
  };
}
