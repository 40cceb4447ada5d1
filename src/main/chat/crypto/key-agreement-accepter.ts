import type { CipherSuite } from './cipher-suite';
import { ChatCryptoError, requireLength } from './errors';
import type { AcceptKeys, AccepterKeys, EstablishedSession, IncomingInvite } from './key-agreement-types';
import { systemRandom, type RandomSource } from './random';
import { initialiseAccepterRatchet } from './ratchet-init';
import { combineSharedSecrets, sessionAssociatedData, sessionFingerprint } from './session-keys';

/** The accepter ("Bob") side of the PQ key agreement */

function checkInvite(suite: CipherSuite, keys: AccepterKeys, invite: IncomingInvite): void {
  const { sizes } = suite;
  requireLength(invite.aliceIdentityKey, sizes.kemPublicKey, 'invite alice_identity_key');
  requireLength(invite.aliceBaseKey, sizes.kemPublicKey, 'invite alice_base_key');
  for (const input of invite.preSharedInputs) requireLength(input, sizes.kemCiphertext, 'invite pre-shared input');
  if (invite.bobSignedPreKeyId !== keys.signedPreKey.id) {
    throw new ChatCryptoError(
      'invalid_invite',
      `invite targets signed pre-key ${invite.bobSignedPreKeyId}, not ${keys.signedPreKey.id}`,
    );
  }
  const usesOneTimePreKey = invite.bobOneTimePreKeyId !== 0;
  if (invite.preSharedInputs.length !== (usesOneTimePreKey ? 3 : 2)) {
    throw new ChatCryptoError('invalid_invite', `invite carries ${invite.preSharedInputs.length} pre-shared inputs`);
  }
  if (usesOneTimePreKey && keys.oneTimePreKey?.id !== invite.bobOneTimePreKeyId) {
    throw new ChatCryptoError('invalid_invite', `one-time pre-key ${invite.bobOneTimePreKeyId} is not available`);
  }
}

/**
 * Answers an InviteMsg: c1 = Encaps(IK_A), k2..k4 by decapsulation, then initialise_as_bob. The caller marks the
 * one-time pre-key used and sends AcceptMsg{encaps_ciphertext, ratchet_key}.
 */
export function acceptInvite(
  suite: CipherSuite,
  keys: AccepterKeys,
  invite: IncomingInvite,
  random: RandomSource = systemRandom,
): { accept: AcceptKeys; session: EstablishedSession } {
  checkInvite(suite, keys, invite);
  const [toIdentity, toSignedPreKey, toOneTimePreKey] = invite.preSharedInputs;
  if (!toIdentity || !toSignedPreKey) throw new ChatCryptoError('invalid_invite', 'missing pre-shared inputs');
  const oneTimePreKey = invite.bobOneTimePreKeyId !== 0 ? keys.oneTimePreKey : undefined;

  const toInviter = suite.kem.encapsulate(invite.aliceIdentityKey, random);
  const k2 = suite.kem.decapsulate(toIdentity, keys.identityKemKeyPair.secretKey);
  const k3 = suite.kem.decapsulate(toSignedPreKey, keys.signedPreKey.keyPair.secretKey);
  const k4 =
    oneTimePreKey && toOneTimePreKey
      ? suite.kem.decapsulate(toOneTimePreKey, oneTimePreKey.keyPair.secretKey)
      : undefined;
  const secret = combineSharedSecrets(toInviter.sharedSecret, k2, k3, k4);

  const ratchet = initialiseAccepterRatchet(suite, secret, keys.signedPreKey.keyPair, invite.aliceBaseKey, random);
  return {
    accept: { encapsCiphertext: toInviter.ciphertext, ratchetKey: ratchet.senderChain.ourRatchetKey.slice() },
    session: {
      ratchet,
      associatedData: sessionAssociatedData(invite.aliceIdentityKey, keys.identityKemKeyPair.publicKey),
      fingerprint: sessionFingerprint(
        suite,
        invite.aliceIdentityKey,
        keys.identityKemKeyPair.publicKey,
        keys.signedPreKey.keyPair.publicKey,
        oneTimePreKey?.keyPair.publicKey,
      ),
    },
  };
}
