import type { KeyPair } from './cipher-suite';
import type { RatchetState } from './ratchet-state';

/** Inputs and outputs of the PQ key agreement GetPreKeyBundle → Invite → Accept. */

export interface SignedPreKeyPublic {
  readonly id: number;
  readonly publicKey: Uint8Array;
  /** Sign(IK.sign_priv, SPK public key bytes). */
  readonly signature: Uint8Array;
}

export interface OneTimePreKeyPublic {
  readonly id: number;
  readonly publicKey: Uint8Array;
}

/** The key material of a PreKeyBundle (its server signature is checked separately, see server-signature.ts). */
export interface PreKeyBundleKeys {
  readonly identityKemPublicKey: Uint8Array;
  readonly identitySignPublicKey: Uint8Array;
  readonly signedPreKey: SignedPreKeyPublic;
  readonly oneTimePreKey?: OneTimePreKeyPublic | undefined;
}

/** The key fields of the InviteMsg the inviter sends (alice_identity_key is filled in by the server). */
export interface OutgoingInvite {
  readonly aliceBaseKey: Uint8Array;
  /** [c2 (to IK_B), c3 (to SPK_B), c4 (to OPK_B, only when an OPK was used)]. */
  readonly preSharedInputs: readonly Uint8Array[];
  readonly bobSignedPreKeyId: number;
  /** 0 when the bundle had no one-time pre-key. */
  readonly bobOneTimePreKeyId: number;
}

/** The InviteMsg as the accepter receives it, with the inviter's identity KEM key added by the server. */
export interface IncomingInvite extends OutgoingInvite {
  readonly aliceIdentityKey: Uint8Array;
}

/** The key fields of AcceptMsg. */
export interface AcceptKeys {
  /** c1 = Encaps(IK_A). */
  readonly encapsCiphertext: Uint8Array;
  /** Label of the accepter's first sending chain. */
  readonly ratchetKey: Uint8Array;
}

/** What the inviter keeps between Invite and Accept (Session with responded = false). */
export interface PendingInvite {
  readonly packId: number;
  /** 32 zero bytes (slot for k1) ‖ k2 ‖ k3 [‖ k4]. */
  readonly tempSharedSecret: Uint8Array;
  readonly baseKeyPair: KeyPair;
  readonly theirSignedPreKey: Uint8Array;
  readonly associatedData: Uint8Array;
  readonly fingerprint: Uint8Array;
}

/** A session both sides can send and receive on. */
export interface EstablishedSession {
  readonly ratchet: RatchetState;
  /** IK_A.asym_pub ‖ IK_B.asym_pub, the AEAD associated data of every message. */
  readonly associatedData: Uint8Array;
  /** HKDF "Fingerprint" over the identity and pre-keys (Session.fingerprint). */
  readonly fingerprint: Uint8Array;
}

/** The accepter's private key material relevant to one invite. */
export interface AccepterKeys {
  readonly identityKemKeyPair: KeyPair;
  readonly signedPreKey: { readonly id: number; readonly keyPair: KeyPair };
  readonly oneTimePreKey?: { readonly id: number; readonly keyPair: KeyPair } | undefined;
}
