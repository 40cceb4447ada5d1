import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ChatCryptoError,
  ratchetDecrypt,
  ratchetEncrypt,
  type RatchetEncryptResult,
  type RatchetHeader,
  type RatchetState,
} from '../../../src/main/chat/crypto';
import { establishSession, readText, seededRandom, text } from './crypto-fixtures';

const random = seededRandom('ratchet-properties');
const { alice, bob } = establishSession('ratchet-properties');
const ad = alice.associatedData;

/** Alice after reading two of Bob's messages, so both an in-chain and a next-chain message are at hand. */
const fromBob0 = ratchetEncrypt(bob.ratchet, text('bob 0'), ad);
const fromBob1 = ratchetEncrypt(fromBob0.state, text('bob 1'), ad);
const fromAlice = ratchetEncrypt(alice.ratchet, text('alice 0'), ad);

/**
 * A message served from a stored key: Alice (r = 3 after one KEM step) read Bob's r = 2 message 2 first, so
 * message 1 of that chain waits in her skipped keys.
 */
function storedKeyTarget(): { receiver: RatchetState; message: RatchetEncryptResult } {
  const stepped = ratchetDecrypt(bob.ratchet, fromAlice.header, fromAlice.ciphertext, ad, random).state;
  const c0 = ratchetEncrypt(stepped, text('bob 2/0'), ad);
  const c1 = ratchetEncrypt(c0.state, text('bob 2/1'), ad);
  const c2 = ratchetEncrypt(c1.state, text('bob 2/2'), ad);
  const aliceStepped = ratchetDecrypt(fromAlice.state, c2.header, c2.ciphertext, ad, random).state;
  return { receiver: aliceStepped, message: c1 };
}
const stored = storedKeyTarget();

type Target = { name: string; receiver: RatchetState; message: RatchetEncryptResult; expected: string };
const targets: Target[] = [
  { name: 'in-chain', receiver: alice.ratchet, message: fromBob1, expected: 'bob 1' },
  { name: 'next-chain', receiver: bob.ratchet, message: fromAlice, expected: 'alice 0' },
  { name: 'stored-key', receiver: stored.receiver, message: stored.message, expected: 'bob 2/1' },
];

type Tamper =
  | { field: 'ciphertext' | 'ratchetKey' | 'ad'; position: number; mask: number }
  | { field: 'sequence' | 'rootSequence' | 'sendingMessageSequence'; delta: number };

const tamperArbitrary: fc.Arbitrary<Tamper> = fc.oneof(
  fc.record({
    field: fc.constantFrom('ciphertext' as const, 'ratchetKey' as const, 'ad' as const),
    position: fc.nat(),
    mask: fc.integer({ min: 1, max: 255 }),
  }),
  fc.record({
    field: fc.constantFrom('sequence' as const, 'rootSequence' as const, 'sendingMessageSequence' as const),
    delta: fc.integer({ min: -3, max: 3 }).filter((delta) => delta !== 0),
  }),
);

function xorAt(bytes: Uint8Array, position: number, mask: number): Uint8Array {
  const copy = bytes.slice();
  const index = position % copy.length;
  copy[index] = (copy[index] ?? 0) ^ mask;
  return copy;
}

function applyTamper(
  message: RatchetEncryptResult,
  tamper: Tamper,
): { header: RatchetHeader; ciphertext: Uint8Array; ad: Uint8Array } {
  const base = { header: message.header, ciphertext: message.ciphertext, ad };
  switch (tamper.field) {
    case 'ciphertext':
      return { ...base, ciphertext: xorAt(message.ciphertext, tamper.position, tamper.mask) };
    case 'ad':
      return { ...base, ad: xorAt(ad, tamper.position, tamper.mask) };
    case 'ratchetKey':
      return {
        ...base,
        header: { ...message.header, ratchetKey: xorAt(message.header.ratchetKey, tamper.position, tamper.mask) },
      };
    default:
      return { ...base, header: { ...message.header, [tamper.field]: message.header[tamper.field] + tamper.delta } };
  }
}

describe('property: any single tampering is rejected with a typed error', () => {
  it.each(targets)('$name message', ({ receiver, message, expected }) => {
    fc.assert(
      fc.property(tamperArbitrary, (tamper) => {
        const forged = applyTamper(message, tamper);
        expect(() => ratchetDecrypt(receiver, forged.header, forged.ciphertext, forged.ad, random)).toThrow(
          ChatCryptoError,
        );
      }),
      { numRuns: 150, seed: 0x5eed },
    );
    // The receiver's state was never touched by the forgeries.
    expect(readText(ratchetDecrypt(receiver, message.header, message.ciphertext, ad, random).plaintext)).toBe(expected);
  });
});

describe('property: conversations with reordered delivery decrypt every message exactly once', () => {
  /** A schedule: each step either has one side send, or delivers one in-flight message (chosen by index). */
  const stepArbitrary = fc.oneof(
    fc.record({ kind: fc.constant('send' as const), fromAlice: fc.boolean() }),
    fc.record({ kind: fc.constant('deliver' as const), toAlice: fc.boolean(), pick: fc.nat() }),
  );

  it('holds for random schedules', () => {
    fc.assert(
      fc.property(fc.array(stepArbitrary, { minLength: 1, maxLength: 30 }), (steps) => {
        const states = { alice: alice.ratchet, bob: bob.ratchet };
        const inFlight = {
          alice: [] as { text: string; message: RatchetEncryptResult }[],
          bob: [] as { text: string; message: RatchetEncryptResult }[],
        };
        const delivered: string[] = [];
        let counter = 0;
        const deliver = (to: 'alice' | 'bob', pick: number): void => {
          const queue = inFlight[to];
          if (queue.length === 0) return;
          const [item] = queue.splice(pick % queue.length, 1);
          if (!item) return;
          const result = ratchetDecrypt(states[to], item.message.header, item.message.ciphertext, ad, random);
          expect(readText(result.plaintext)).toBe(item.text);
          states[to] = result.state;
          delivered.push(item.text);
          // Redelivery is a replay and must fail without changing anything.
          expect(() => ratchetDecrypt(states[to], item.message.header, item.message.ciphertext, ad, random)).toThrow(
            ChatCryptoError,
          );
        };
        for (const step of steps) {
          if (step.kind === 'send') {
            const from = step.fromAlice ? 'alice' : 'bob';
            const body = `${from} ${counter++}`;
            const sent = ratchetEncrypt(states[from], text(body), ad);
            states[from] = sent.state;
            inFlight[step.fromAlice ? 'bob' : 'alice'].push({ text: body, message: sent });
          } else {
            deliver(step.toAlice ? 'alice' : 'bob', step.pick);
          }
        }
        while (inFlight.alice.length > 0) deliver('alice', 0);
        while (inFlight.bob.length > 0) deliver('bob', 0);
        expect(delivered).toHaveLength(counter);
        expect(states.alice.skippedKeys).toHaveLength(0);
        expect(states.bob.skippedKeys).toHaveLength(0);
      }),
      { numRuns: 40, seed: 0xc0ffee },
    );
  });
});
