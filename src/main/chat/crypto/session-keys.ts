import { concatBytes } from './bytes';
import type { CipherSuite } from './cipher-suite';

/** Derivations both sides of the key agreement compute identically. */

const INFO_FINGERPRINT = new TextEncoder().encode('Fingerprint');
const FINGERPRINT_LENGTH = 64;

/** AD = IK_A.asym_pub ‖ IK_B.asym_pub, inviter first on both sides. */
export function sessionAssociatedData(inviterIdentityKem: Uint8Array, accepterIdentityKem: Uint8Array): Uint8Array {
  return concatBytes(inviterIdentityKem, accepterIdentityKem);
}

/**
 * HKDF(IK_A ‖ IK_B ‖ SPK_B [‖ OPK_B], salt = 0^32, "Fingerprint", 64). Both sides use the SPK and OPK that the
 * invite actually used (SKISSM's accepter uses its *current* SPK, which disagrees after an SPK rotation).
 */
export function sessionFingerprint(
  suite: CipherSuite,
  inviterIdentityKem: Uint8Array,
  accepterIdentityKem: Uint8Array,
  accepterSignedPreKey: Uint8Array,
  accepterOneTimePreKey: Uint8Array | undefined,
): Uint8Array {
  const parts = [inviterIdentityKem, accepterIdentityKem, accepterSignedPreKey];
  if (accepterOneTimePreKey) parts.push(accepterOneTimePreKey);
  return suite.hash.hkdf(concatBytes(...parts), new Uint8Array(suite.sizes.hash), INFO_FINGERPRINT, FINGERPRINT_LENGTH);
}

/** secret = k1 ‖ k2 ‖ k3 [‖ k4]: 96 bytes, or 128 with a one-time pre-key. */
export function combineSharedSecrets(
  k1: Uint8Array,
  k2: Uint8Array,
  k3: Uint8Array,
  k4: Uint8Array | undefined,
): Uint8Array {
  return k4 ? concatBytes(k1, k2, k3, k4) : concatBytes(k1, k2, k3);
}
