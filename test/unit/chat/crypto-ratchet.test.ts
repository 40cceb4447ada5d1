import { describe, expect, it } from 'vitest';
import {
  deserializeRatchetState,
  MAX_SKIPPED_KEYS_PER_CHAIN,
  MAX_SKIPPED_KEYS_TOTAL,
  ratchetDecrypt,
  ratchetEncrypt,
  ratchetStateToJson,
  serializeRatchetState,
  type RatchetEncryptResult,
  type RatchetState,
} from '../../../src/main/chat/crypto';
import { errorCode, establishSession, readText, seededRandom, text } from './crypto-fixtures';

const random = seededRandom('ratchet');
const { alice, bob } = establishSession('ratchet');
const ad = alice.associatedData;

/** Encrypts `count` messages in a row, returning the messages and the sender's final state. */
function sendMany(
  state: RatchetState,
  prefix: string,
  count: number,
): { state: RatchetState; messages: RatchetEncryptResult[] } {
  const messages: RatchetEncryptResult[] = [];
  let current = state;
  for (let i = 0; i < count; i++) {
    const sent = ratchetEncrypt(current, text(`${prefix} ${i}`), ad);
    messages.push(sent);
    current = sent.state;
  }
  return { state: current, messages };
}

function receive(state: RatchetState, message: RatchetEncryptResult): { state: RatchetState; text: string } {
  const result = ratchetDecrypt(state, message.header, message.ciphertext, ad, random);
  return { state: result.state, text: readText(result.plaintext) };
}

function at<T>(items: readonly T[], index: number): T {
  const item = items[index];
  if (item === undefined) throw new Error(`no item ${index}`);
  return item;
}

describe('double ratchet conversations', () => {
  it('alternating senders with bursts: every message decrypts and each turn is a KEM step', () => {
    let [a, b] = [alice.ratchet, bob.ratchet];
    for (let turn = 0; turn < 8; turn++) {
      const bobTurn = turn % 2 === 0;
      const burst = sendMany(bobTurn ? b : a, `turn ${turn}`, 1 + (turn % 3));
      if (bobTurn) b = burst.state;
      else a = burst.state;
      for (const [i, message] of burst.messages.entries()) {
        const received = receive(bobTurn ? a : b, message);
        expect(received.text).toBe(`turn ${turn} ${i}`);
        if (bobTurn) a = received.state;
        else b = received.state;
      }
    }
    // Alice owns odd root sequences, Bob even ones; each received new chain moves the receiver by 2.
    // Bob steps on Alice's 4 turns (0 → 8); Alice steps on Bob's turns 2, 4, 6 (1 → 7).
    expect(a.rootSequence).toBe(7);
    expect(b.rootSequence).toBe(8);
    expect(a.skippedKeys).toHaveLength(0);
    expect(b.skippedKeys).toHaveLength(0);
  });

  it('headers carry chain index, chain label, root sequence and the cumulative count', () => {
    const first = ratchetEncrypt(bob.ratchet, text('a'), ad);
    const second = ratchetEncrypt(first.state, text('b'), ad);
    expect(first.header).toMatchObject({ sequence: 0, rootSequence: 0, sendingMessageSequence: 1 });
    expect(second.header).toMatchObject({ sequence: 1, rootSequence: 0, sendingMessageSequence: 2 });
    expect(second.header.ratchetKey).toEqual(bob.ratchet.senderChain.ourRatchetKey);
    expect(second.ciphertext).toHaveLength(1 + 16);
  });

  it('the same plaintext never encrypts to the same ciphertext twice', () => {
    const first = ratchetEncrypt(bob.ratchet, text('same'), ad);
    const second = ratchetEncrypt(first.state, text('same'), ad);
    expect(second.ciphertext).not.toEqual(first.ciphertext);
  });
});

describe('out-of-order delivery', () => {
  it('within one chain, in any order, and each stored key is consumed', () => {
    const burst = sendMany(bob.ratchet, 'm', 5);
    let a = alice.ratchet;
    for (const index of [4, 2, 0, 3, 1]) {
      const received = receive(a, at(burst.messages, index));
      expect(received.text).toBe(`m ${index}`);
      a = received.state;
    }
    expect(a.skippedKeys).toHaveLength(0);
  });

  it('across a KEM step: late messages of the old chain are served from stored keys', () => {
    const early = sendMany(bob.ratchet, 'early', 3);
    let a = receive(alice.ratchet, at(early.messages, 0)).state;
    const reply = ratchetEncrypt(a, text('reply'), ad);
    a = reply.state;
    const b = receive(early.state, reply).state;
    const late = ratchetEncrypt(b, text('new chain'), ad);
    expect(late.header.rootSequence).toBe(2);

    const afterStep = receive(a, late);
    expect(afterStep.text).toBe('new chain');
    expect(afterStep.state.skippedKeys).toHaveLength(2);
    let current = afterStep.state;
    for (const index of [2, 1]) {
      const received = receive(current, at(early.messages, index));
      expect(received.text).toBe(`early ${index}`);
      current = received.state;
    }
    expect(current.skippedKeys).toHaveLength(0);
  });

  it(`accepts a gap of exactly ${MAX_SKIPPED_KEYS_PER_CHAIN} keys and rejects one more`, () => {
    const burst = sendMany(bob.ratchet, 'far', MAX_SKIPPED_KEYS_PER_CHAIN + 2);
    const edge = receive(alice.ratchet, at(burst.messages, MAX_SKIPPED_KEYS_PER_CHAIN));
    expect(edge.text).toBe(`far ${MAX_SKIPPED_KEYS_PER_CHAIN}`);
    expect(edge.state.skippedKeys).toHaveLength(MAX_SKIPPED_KEYS_PER_CHAIN);
    const beyond = at(burst.messages, MAX_SKIPPED_KEYS_PER_CHAIN + 1);
    expect(errorCode(() => receive(alice.ratchet, beyond))).toBe('too_many_skipped_keys');
  });

  it('rejects a new chain whose first message lies beyond the bound', () => {
    const reply = sendMany(alice.ratchet, 'far', MAX_SKIPPED_KEYS_PER_CHAIN + 2);
    expect(errorCode(() => receive(bob.ratchet, at(reply.messages, MAX_SKIPPED_KEYS_PER_CHAIN + 1)))).toBe(
      'too_many_skipped_keys',
    );
  });

  it(`caps stored keys at ${MAX_SKIPPED_KEYS_TOTAL}, evicting the oldest`, () => {
    let [a, b] = [alice.ratchet, bob.ratchet];
    const firstChain = sendMany(b, 'x', MAX_SKIPPED_KEYS_PER_CHAIN + 1);
    b = firstChain.state;
    a = receive(a, at(firstChain.messages, MAX_SKIPPED_KEYS_PER_CHAIN)).state;
    for (let round = 0; round < 2; round++) {
      const reply = ratchetEncrypt(a, text('ack'), ad);
      a = reply.state;
      b = receive(b, reply).state;
      const chain = sendMany(b, `round ${round}`, MAX_SKIPPED_KEYS_PER_CHAIN + 1);
      b = chain.state;
      a = receive(a, at(chain.messages, MAX_SKIPPED_KEYS_PER_CHAIN)).state;
    }
    expect(a.skippedKeys).toHaveLength(MAX_SKIPPED_KEYS_TOTAL);
    // The very first skipped message was evicted; one from the latest chain is still readable.
    expect(errorCode(() => receive(a, at(firstChain.messages, 0)))).toBe('replayed_message');
  });
});

describe('rejections', () => {
  const burst = sendMany(bob.ratchet, 'r', 3);
  const first = at(burst.messages, 0);

  it('rejects a replayed message, also after it was delivered out of order', () => {
    const once = receive(alice.ratchet, first).state;
    expect(errorCode(() => receive(once, first))).toBe('replayed_message');
    const skippedAhead = receive(alice.ratchet, at(burst.messages, 2)).state;
    const viaStoredKey = receive(skippedAhead, first).state;
    expect(errorCode(() => receive(viaStoredKey, first))).toBe('replayed_message');
  });

  it('rejects a replayed first message of a new chain', () => {
    const reply = ratchetEncrypt(alice.ratchet, text('first'), ad);
    const stepped = receive(bob.ratchet, reply).state;
    expect(errorCode(() => receive(stepped, reply))).toBe('replayed_message');
  });

  it('rejects tampering with ciphertext, AD and every header field, leaving the state usable', () => {
    const flip = (bytes: Uint8Array, at: number): Uint8Array => {
      const copy = bytes.slice();
      copy[at] = (copy[at] ?? 0) ^ 1;
      return copy;
    };
    const attempt = (header: typeof first.header, ciphertext: Uint8Array, associated = ad): string =>
      errorCode(() => ratchetDecrypt(alice.ratchet, header, ciphertext, associated, random));
    expect(attempt(first.header, flip(first.ciphertext, 0))).toBe('decrypt_failed');
    expect(attempt(first.header, flip(first.ciphertext, first.ciphertext.length - 1))).toBe('decrypt_failed');
    expect(attempt(first.header, first.ciphertext, flip(ad, 5))).toBe('decrypt_failed');
    expect(attempt({ ...first.header, ratchetKey: flip(first.header.ratchetKey, 9) }, first.ciphertext)).toBe(
      'unknown_ratchet_key',
    );
    expect(attempt({ ...first.header, sequence: 1 }, first.ciphertext)).toBe('header_mismatch');
    expect(attempt({ ...first.header, sequence: 1, sendingMessageSequence: 2 }, first.ciphertext)).toBe(
      'decrypt_failed',
    );
    expect(attempt({ ...first.header, sendingMessageSequence: 5 }, first.ciphertext)).toBe('header_mismatch');
    // r + 1 is taken as the peer's next chain: the KEM step yields unrelated keys.
    expect(attempt({ ...first.header, rootSequence: 2 }, first.ciphertext)).toBe('decrypt_failed');
    expect(attempt({ ...first.header, rootSequence: 4 }, first.ciphertext)).toBe('unexpected_root_sequence');
    expect(attempt({ ...first.header, rootSequence: 1 }, first.ciphertext)).toBe('unexpected_root_sequence');
    expect(attempt({ ...first.header, ratchetKey: first.header.ratchetKey.subarray(1) }, first.ciphertext)).toBe(
      'invalid_length',
    );
    expect(receive(alice.ratchet, first).text).toBe('r 0');
  });

  it('rejects a tampered ratchet key on a new chain (implicit KEM rejection → authentication failure)', () => {
    const reply = ratchetEncrypt(alice.ratchet, text('x'), ad);
    const ratchetKey = reply.header.ratchetKey.slice();
    ratchetKey[0] = (ratchetKey[0] ?? 0) ^ 1;
    expect(
      errorCode(() => ratchetDecrypt(bob.ratchet, { ...reply.header, ratchetKey }, reply.ciphertext, ad, random)),
    ).toBe('decrypt_failed');
  });

  it('a forged count on the first message of a later chain cannot be detected, but the session recovers', () => {
    // SKISSM's header is not covered by the AEAD, so sending_message_sequence of a chain's first message is
    // taken on trust; later messages of that chain then disagree with it and are refused until the next step.
    const a0 = ratchetEncrypt(alice.ratchet, text('a0'), ad);
    let a = a0.state;
    const c0 = ratchetEncrypt(receive(bob.ratchet, a0).state, text('c0'), ad);
    const c1 = ratchetEncrypt(c0.state, text('c1'), ad);
    const forged = { ...c0, header: { ...c0.header, sendingMessageSequence: c0.header.sendingMessageSequence + 5 } };
    a = receive(a, forged).state;
    // Five useless keys for the "missing" old-chain messages: bounded by the per-chain limit.
    expect(a.skippedKeys).toHaveLength(5);
    expect(errorCode(() => receive(a, c1))).toBe('header_mismatch');
    // Next KEM step: Alice replies, Bob steps, and Bob's new chain is accepted again.
    const reply = ratchetEncrypt(a, text('a1'), ad);
    a = reply.state;
    const bobNext = receive(c1.state, reply).state;
    const d0 = ratchetEncrypt(bobNext, text('d0'), ad);
    const d1 = ratchetEncrypt(d0.state, text('d1'), ad);
    const afterD0 = receive(a, d0);
    expect(afterD0.text).toBe('d0');
    expect(receive(afterD0.state, d1).text).toBe('d1');
  });

  it('never mutates the state it is given', () => {
    const before = JSON.stringify(ratchetStateToJson(alice.ratchet));
    receive(alice.ratchet, first);
    errorCode(() => ratchetDecrypt(alice.ratchet, first.header, first.ciphertext.subarray(1), ad, random));
    ratchetEncrypt(alice.ratchet, text('x'), ad);
    expect(JSON.stringify(ratchetStateToJson(alice.ratchet))).toBe(before);
  });
});

describe('state serialisation', () => {
  it('round-trips mid-conversation, stored keys included, and the conversation continues', () => {
    let [a, b] = [alice.ratchet, bob.ratchet];
    const burst = sendMany(b, 'before', 4);
    b = burst.state;
    a = receive(a, at(burst.messages, 3)).state;
    expect(a.skippedKeys).toHaveLength(3);

    const restoredA = deserializeRatchetState(serializeRatchetState(a));
    const restoredB = deserializeRatchetState(serializeRatchetState(b));
    expect(restoredA).toEqual(a);
    expect(restoredB).toEqual(b);

    expect(receive(restoredA, at(burst.messages, 1)).text).toBe('before 1');
    const reply = ratchetEncrypt(restoredA, text('after restore'), ad);
    expect(receive(restoredB, reply).text).toBe('after restore');
  });

  it('refuses corrupted records with invalid_state', () => {
    const json = ratchetStateToJson(alice.ratchet) as Record<string, unknown>;
    const encode = (value: unknown): Uint8Array => text(JSON.stringify(value));
    expect(errorCode(() => deserializeRatchetState(text('{not json')))).toBe('invalid_state');
    expect(errorCode(() => deserializeRatchetState(encode({ ...json, rootKey: 'AAAA' })))).toBe('invalid_state');
    expect(errorCode(() => deserializeRatchetState(encode({ ...json, rootSequence: -1 })))).toBe('invalid_state');
    expect(errorCode(() => deserializeRatchetState(encode({ ...json, packId: 1 })))).toBe('invalid_state');
    expect(errorCode(() => deserializeRatchetState(encode({ ...json, version: 2 })))).toBe('invalid_state');
    expect(errorCode(() => deserializeRatchetState(encode({ ...json, skippedKeys: {} })))).toBe('invalid_state');
  });
});
