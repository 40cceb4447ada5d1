import { concatBytes } from './bytes';
import type { CipherSuite } from './cipher-suite';
import { ChatCryptoError, requireLength } from './errors';
import type {
  AcceptKeys,
  EstablishedSession,
  OutgoingInvite,
  PendingInvite,
  PreKeyBundleKeys,
} from './key-agreement-types';
import { systemRandom, type RandomSource } from './random';
import { initialiseInviterRatchet } from './ratchet-init';
import { sessionAssociatedData, sessionFingerprint } from './session-keys';

/** The inviter ("Alice") side of the PQ key agreement */

function checkBundle(suite: CipherSuite, bundle: PreKeyBundleKeys): void {
  const { sizes } = suite;
  requireLength(bundle.identityKemPublicKey, sizes.kemPublicKey, 'bundle identity KEM public key');
  requireLength(bundle.identitySignPublicKey, sizes.signPublicKey, 'bundle identity signature public key');
  requireLength(bundle.signedPreKey.publicKey, sizes.kemPublicKey, 'bundle signed pre-key');
  if (bundle.oneTimePreKey) {
    requireLength(bundle.oneTimePreKey.publicKey, sizes.kemPublicKey, 'bundle one-time pre-key');
    // Id 0 means "no one-time pre-key" on the wire, so a real OPK can never carry it.
    if (bundle.oneTimePreKey.id === 0) throw new ChatCryptoError('invalid_invite', 'one-time pre-key id 0 is reserved');
  }
  const signed = suite.sign.verify(
    bundle.identitySignPublicKey,
    bundle.signedPreKey.publicKey,
    bundle.signedPreKey.signature,
  );
  if (!signed) throw new ChatCryptoError('invalid_signature', 'signed pre-key signature does not verify');
}

/**
 * Builds the InviteMsg key fields from a peer device's pre-key bundle: encapsulates to IK_B, SPK_B and (if
 * present) OPK_B, and keeps the shared secrets with an empty slot for k1, which only arrives with the Accept.
 */
export function createInvite(
  suite: CipherSuite,
  inviterIdentityKemPublicKey: Uint8Array,
  bundle: PreKeyBundleKeys,
  random: RandomSource = systemRandom,
): { invite: OutgoingInvite; pending: PendingInvite } {
  requireLength(inviterIdentityKemPublicKey, suite.sizes.kemPublicKey, 'own identity KEM public key');
  checkBundle(suite, bundle);

  const toIdentity = suite.kem.encapsulate(bundle.identityKemPublicKey, random);
  const toSignedPreKey = suite.kem.encapsulate(bundle.signedPreKey.publicKey, random);
  const toOneTimePreKey = bundle.oneTimePreKey
    ? suite.kem.encapsulate(bundle.oneTimePreKey.publicKey, random)
    : undefined;
  const baseKeyPair = suite.kem.generateKeyPair(random);

  const sharedSecrets = [
    new Uint8Array(suite.sizes.kemSharedSecret),
    toIdentity.sharedSecret,
    toSignedPreKey.sharedSecret,
  ];
  const preSharedInputs = [toIdentity.ciphertext, toSignedPreKey.ciphertext];
  if (toOneTimePreKey) {
    sharedSecrets.push(toOneTimePreKey.sharedSecret);
    preSharedInputs.push(toOneTimePreKey.ciphertext);
  }

  return {
    invite: {
      aliceBaseKey: baseKeyPair.publicKey,
      preSharedInputs,
      bobSignedPreKeyId: bundle.signedPreKey.id,
      bobOneTimePreKeyId: bundle.oneTimePreKey?.id ?? 0,
    },
    pending: {
      packId: suite.packId,
      tempSharedSecret: concatBytes(...sharedSecrets),
      baseKeyPair,
      theirSignedPreKey: bundle.signedPreKey.publicKey,
      associatedData: sessionAssociatedData(inviterIdentityKemPublicKey, bundle.identityKemPublicKey),
      fingerprint: sessionFingerprint(
        suite,
        inviterIdentityKemPublicKey,
        bundle.identityKemPublicKey,
        bundle.signedPreKey.publicKey,
        bundle.oneTimePreKey?.publicKey,
      ),
    },
  };
}

/** On AcceptMsg: k1 = Decaps(IK_A, encaps_ciphertext) fills the empty slot, then initialise_as_alice. */
export function completeInvite(
  suite: CipherSuite,
  pending: PendingInvite,
  inviterIdentityKemSecretKey: Uint8Array,
  accept: AcceptKeys,
  random: RandomSource = systemRandom,
): EstablishedSession {
  if (pending.packId !== suite.packId)
    throw new ChatCryptoError('unsupported_suite', 'pending invite uses another suite');
  requireLength(accept.encapsCiphertext, suite.sizes.kemCiphertext, 'accept encaps ciphertext');
  requireLength(accept.ratchetKey, suite.sizes.kemCiphertext, 'accept ratchet key');
  const k1 = suite.kem.decapsulate(accept.encapsCiphertext, inviterIdentityKemSecretKey);
  const secret = concatBytes(k1, pending.tempSharedSecret.subarray(suite.sizes.kemSharedSecret));
  return {
    ratchet: initialiseInviterRatchet(
      suite,
      secret,
      pending.baseKeyPair,
      pending.theirSignedPreKey,
      accept.ratchetKey,
      random,
    ),
    associatedData: pending.associatedData,
    fingerprint: pending.fingerprint,
  };
}
