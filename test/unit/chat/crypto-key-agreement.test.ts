import { describe, expect, it } from 'vitest';
import {
  acceptInvite,
  completeInvite,
  concatBytes,
  createInvite,
  generateSessionId,
  ratchetDecrypt,
  ratchetEncrypt,
  SUITE_MLDSA87_MLKEM1024_AES256GCM_SHA256 as suite,
} from '../../../src/main/chat/crypto';
import { bundleOf, createDevice, errorCode, readText, seededRandom, text } from './crypto-fixtures';

const random = seededRandom('key-agreement');
const alice = createDevice(random);
const bob = createDevice(random);
const bobKeys = {
  identityKemKeyPair: bob.identityKem,
  signedPreKey: { id: bob.signedPreKey.id, keyPair: bob.signedPreKey.keyPair },
  oneTimePreKey: bob.oneTimePreKey,
};

describe.each([
  { withOneTimePreKey: true, inputs: 3, secretLength: 128 },
  { withOneTimePreKey: false, inputs: 2, secretLength: 96 },
])('PQ key agreement (one-time pre-key: $withOneTimePreKey)', ({ withOneTimePreKey, inputs, secretLength }) => {
  const { invite, pending } = createInvite(
    suite,
    alice.identityKem.publicKey,
    bundleOf(bob, withOneTimePreKey),
    random,
  );
  const accepted = acceptInvite(suite, bobKeys, { ...invite, aliceIdentityKey: alice.identityKem.publicKey }, random);
  const aliceSession = completeInvite(suite, pending, alice.identityKem.secretKey, accepted.accept, random);
  const bobSession = accepted.session;

  it('the invite carries one ciphertext per encapsulated pre-key and the pre-key ids', () => {
    expect(invite.preSharedInputs).toHaveLength(inputs);
    expect(invite.bobSignedPreKeyId).toBe(1);
    expect(invite.bobOneTimePreKeyId).toBe(withOneTimePreKey ? 7 : 0);
    expect(pending.tempSharedSecret).toHaveLength(secretLength);
    expect(pending.tempSharedSecret.subarray(0, 32)).toEqual(new Uint8Array(32));
  });

  it('both sides derive the same AD (inviter first), fingerprint and root/chain keys', () => {
    expect(aliceSession.associatedData).toEqual(concatBytes(alice.identityKem.publicKey, bob.identityKem.publicKey));
    expect(bobSession.associatedData).toEqual(aliceSession.associatedData);
    expect(aliceSession.fingerprint).toHaveLength(64);
    expect(bobSession.fingerprint).toEqual(aliceSession.fingerprint);
    // Bob's first sending chain is Alice's first receiving chain (both from KDF_root_init).
    expect(aliceSession.ratchet.receiverChain?.chainKey.key).toEqual(bobSession.ratchet.senderChain.chainKey.key);
    expect(aliceSession.ratchet.receiverChain?.theirRatchetKey).toEqual(accepted.accept.ratchetKey);
    expect(aliceSession.ratchet.rootSequence).toBe(1);
    expect(bobSession.ratchet.rootSequence).toBe(0);
  });

  it('messages flow both ways on the agreed keys', () => {
    const ad = aliceSession.associatedData;
    const fromBob = ratchetEncrypt(bobSession.ratchet, text('hi alice'), ad);
    expect(
      readText(ratchetDecrypt(aliceSession.ratchet, fromBob.header, fromBob.ciphertext, ad, random).plaintext),
    ).toBe('hi alice');
    const fromAlice = ratchetEncrypt(aliceSession.ratchet, text('hi bob'), ad);
    expect(
      readText(ratchetDecrypt(bobSession.ratchet, fromAlice.header, fromAlice.ciphertext, ad, random).plaintext),
    ).toBe('hi bob');
  });
});

describe('key agreement refusals', () => {
  it('refuses a bundle whose signed pre-key signature does not verify', () => {
    const bundle = bundleOf(bob);
    const forged = {
      ...bundle,
      signedPreKey: { ...bundle.signedPreKey, publicKey: alice.signedPreKey.keyPair.publicKey },
    };
    expect(errorCode(() => createInvite(suite, alice.identityKem.publicKey, forged, random))).toBe('invalid_signature');
  });

  it('refuses wrongly sized bundle keys', () => {
    const bundle = { ...bundleOf(bob), identityKemPublicKey: new Uint8Array(32) };
    expect(errorCode(() => createInvite(suite, alice.identityKem.publicKey, bundle, random))).toBe('invalid_length');
  });

  it('refuses invites for an unknown signed pre-key, a missing one-time pre-key or a wrong input count', () => {
    const { invite } = createInvite(suite, alice.identityKem.publicKey, bundleOf(bob), random);
    const incoming = { ...invite, aliceIdentityKey: alice.identityKem.publicKey };
    expect(errorCode(() => acceptInvite(suite, bobKeys, { ...incoming, bobSignedPreKeyId: 2 }, random))).toBe(
      'invalid_invite',
    );
    expect(errorCode(() => acceptInvite(suite, { ...bobKeys, oneTimePreKey: undefined }, incoming, random))).toBe(
      'invalid_invite',
    );
    expect(
      errorCode(() =>
        acceptInvite(suite, bobKeys, { ...incoming, preSharedInputs: incoming.preSharedInputs.slice(0, 2) }, random),
      ),
    ).toBe('invalid_invite');
  });

  it('a forged accept (wrong encaps ciphertext) gives Alice keys that cannot read Bob', () => {
    const { invite, pending } = createInvite(suite, alice.identityKem.publicKey, bundleOf(bob), random);
    const { accept, session } = acceptInvite(
      suite,
      bobKeys,
      { ...invite, aliceIdentityKey: alice.identityKem.publicKey },
      random,
    );
    const forgedCiphertext = suite.kem.encapsulate(alice.identityKem.publicKey, random).ciphertext;
    const aliceSession = completeInvite(
      suite,
      pending,
      alice.identityKem.secretKey,
      { ...accept, encapsCiphertext: forgedCiphertext },
      random,
    );
    const message = ratchetEncrypt(session.ratchet, text('secret'), session.associatedData);
    expect(
      errorCode(() =>
        ratchetDecrypt(aliceSession.ratchet, message.header, message.ciphertext, aliceSession.associatedData, random),
      ),
    ).toBe('decrypt_failed');
  });
});

describe('session ids', () => {
  it('are padded standard base64 of 16 random bytes', () => {
    expect(generateSessionId(random)).toMatch(/^[A-Za-z0-9+/]{22}==$/);
  });
});
