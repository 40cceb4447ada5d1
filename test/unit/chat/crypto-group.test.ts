import { describe, expect, it } from 'vitest';
import {
  concatBytes,
  createGroupChain,
  deriveGroupChainKey,
  groupAssociatedData,
  groupDecrypt,
  groupAddKey,
  groupEncrypt,
  groupSeedAfterAdd,
  groupSessionIdOf,
  groupWelcomeKey,
  MAX_GROUP_CHAIN_GAP,
  SUITE_MLDSA87_MLKEM1024_AES256GCM_SHA256 as suite,
  type GroupChainState,
  type GroupMessage,
} from '../../../src/main/chat/crypto';
import { INFO_ROOT } from '../../../src/main/chat/crypto/ratchet-kdf';
import { errorCode, readText, seededRandom, text } from './crypto-fixtures';

const random = seededRandom('group');
const seed = random(32);
const alice = suite.sign.generateKeyPair(random);
const bob = suite.sign.generateKeyPair(random);

function sendAll(chain: GroupChainState, count: number): { chain: GroupChainState; messages: GroupMessage[] } {
  const messages: GroupMessage[] = [];
  let current = chain;
  for (let i = 0; i < count; i++) {
    const sent = groupEncrypt(suite, current, alice.secretKey, text(`group ${i}`), random);
    messages.push(sent.message);
    current = sent.chain;
  }
  return { chain: current, messages };
}

describe('group chain keys', () => {
  it('CK = HKDF(seed ‖ member sign pk, 0^32, "ROOT", 32), distinct per member device', () => {
    const expected = suite.hash.hkdf(concatBytes(seed, alice.publicKey), new Uint8Array(32), INFO_ROOT, 32);
    expect(deriveGroupChainKey(suite, seed, alice.publicKey)).toEqual(expected);
    expect(deriveGroupChainKey(suite, seed, bob.publicKey)).not.toEqual(expected);
    expect(groupAssociatedData(alice.publicKey)).toEqual(concatBytes(alice.publicKey, alice.publicKey));
    expect(groupAssociatedData(alice.publicKey)).toHaveLength(5184);
  });

  it('refuses a seed or key of the wrong size', () => {
    expect(errorCode(() => deriveGroupChainKey(suite, seed.subarray(1), alice.publicKey))).toBe('invalid_length');
    expect(errorCode(() => deriveGroupChainKey(suite, seed, alice.publicKey.subarray(1)))).toBe('invalid_length');
  });
});

describe('group messages', () => {
  // Sender's outbound chain and a member's inbound copy of it come from the same seed.
  const outbound = createGroupChain(suite, seed, alice.publicKey);
  const inbound = createGroupChain(suite, seed, alice.publicKey);
  const { messages } = sendAll(outbound, 3);
  const [first, second, third] = messages as [GroupMessage, GroupMessage, GroupMessage];

  it('every message is signed with ML-DSA-87 over ciphertext ‖ tag and decrypts in order', () => {
    expect(suite.sign.verify(alice.publicKey, first.ciphertext, first.signature)).toBe(true);
    let chain = inbound;
    for (const [i, message] of messages.entries()) {
      const result = groupDecrypt(suite, chain, message);
      expect(readText(result.plaintext)).toBe(`group ${i}`);
      chain = result.chain;
    }
    expect(chain.sequence).toBe(3);
  });

  it('skips forward over missed messages, but older ones are gone (no skipped keys for groups)', () => {
    const jumped = groupDecrypt(suite, inbound, third);
    expect(readText(jumped.plaintext)).toBe('group 2');
    expect(errorCode(() => groupDecrypt(suite, jumped.chain, second))).toBe('replayed_message');
  });

  it('rejects a replay', () => {
    const once = groupDecrypt(suite, inbound, first).chain;
    expect(errorCode(() => groupDecrypt(suite, once, first))).toBe('replayed_message');
  });

  it('rejects a bad signature, another signer, a tampered ciphertext or sequence', () => {
    const flipped = first.signature.slice();
    flipped[10] = (flipped[10] ?? 0) ^ 1;
    expect(errorCode(() => groupDecrypt(suite, inbound, { ...first, signature: flipped }))).toBe('invalid_signature');
    const bobSigned = { ...first, signature: suite.sign.sign(bob.secretKey, first.ciphertext, random) };
    expect(errorCode(() => groupDecrypt(suite, inbound, bobSigned))).toBe('invalid_signature');
    const tampered = first.ciphertext.slice();
    tampered[0] = (tampered[0] ?? 0) ^ 1;
    expect(errorCode(() => groupDecrypt(suite, inbound, { ...first, ciphertext: tampered }))).toBe('invalid_signature');
    // The signature does not cover the sequence; a moved sequence selects the wrong key instead.
    expect(errorCode(() => groupDecrypt(suite, inbound, { ...first, sequence: 1 }))).toBe('decrypt_failed');
  });

  it('a chain from another member key cannot decrypt (AD and chain key are per sender)', () => {
    const wrongChain = { ...createGroupChain(suite, seed, bob.publicKey), senderSignPublicKey: alice.publicKey };
    expect(errorCode(() => groupDecrypt(suite, wrongChain, first))).toBe('decrypt_failed');
  });

  it(`rejects a message more than ${MAX_GROUP_CHAIN_GAP} steps ahead`, () => {
    const far = groupEncrypt(
      suite,
      { ...outbound, sequence: MAX_GROUP_CHAIN_GAP + 1 },
      alice.secretKey,
      text('far'),
      random,
    ).message;
    expect(errorCode(() => groupDecrypt(suite, inbound, far))).toBe('too_many_skipped_keys');
  });
});

describe('group membership additions (welcome → add)', () => {
  const enc = new TextEncoder();
  it('welcome = HKDF(key, salt "welcome", info 0x02, 32) and add = HKDF(welcome, salt "add", info 0x02, 32)', () => {
    const welcome = groupWelcomeKey(suite, seed);
    expect(welcome).toEqual(suite.hash.hkdf(seed, enc.encode('welcome'), new Uint8Array([2]), 32));
    expect(groupAddKey(suite, welcome)).toEqual(suite.hash.hkdf(welcome, enc.encode('add'), new Uint8Array([2]), 32));
    expect(groupSeedAfterAdd(suite, seed)).toEqual(groupAddKey(suite, welcome));
  });

  it('a newcomer given welcome(seed) reads what is sent on the next session, not what was sent before it', () => {
    const before = sendAll(createGroupChain(suite, seed, alice.publicKey), 2).messages;
    const nextSeed = groupSeedAfterAdd(suite, seed);
    const newcomerSeed = groupAddKey(suite, groupWelcomeKey(suite, seed));
    const after = sendAll(createGroupChain(suite, nextSeed, alice.publicKey), 1).messages;
    const newcomer = createGroupChain(suite, newcomerSeed, alice.publicKey);
    expect(readText(groupDecrypt(suite, newcomer, after[0]!).plaintext)).toBe('group 0');
    // Nothing the newcomer holds is the old seed, and the old messages do not open with its chain.
    expect(newcomerSeed).not.toEqual(seed);
    expect(errorCode(() => groupDecrypt(suite, newcomer, before[1]!))).not.toBe('no error');
  });

  it('the session id after an add is the same for every holder of the seed and differs per seed', () => {
    const id = groupSessionIdOf(suite, groupSeedAfterAdd(suite, seed));
    expect(id).toBe(groupSessionIdOf(suite, groupSeedAfterAdd(suite, seed.slice())));
    expect(Buffer.from(id, 'base64')).toHaveLength(16);
    expect(groupSessionIdOf(suite, seed)).not.toBe(id);
  });
});
