import { concatBytes } from './bytes';
import type { CipherSuite } from './cipher-suite';
import { requireLength } from './errors';
import { INFO_ROOT } from './ratchet-kdf';

/** Key derivations of SKISSM group sessions. */

export const GROUP_SEED_LENGTH = 32;

/** CK_M,0 = HKDF(IKM = group_seed ‖ M.sign_public_key, salt = 0^32, info "ROOT", L = 32): one chain per member device. */
export function deriveGroupChainKey(
  suite: CipherSuite,
  groupSeed: Uint8Array,
  memberSignPublicKey: Uint8Array,
): Uint8Array {
  requireLength(groupSeed, GROUP_SEED_LENGTH, 'group seed');
  requireLength(memberSignPublicKey, suite.sizes.signPublicKey, 'member sign public key');
  return suite.hash.hkdf(
    concatBytes(groupSeed, memberSignPublicKey),
    new Uint8Array(suite.sizes.hash),
    INFO_ROOT,
    suite.sizes.chainKey,
  );
}

/** AD_M = M.sign_public_key ‖ M.sign_public_key (SKISSM's layout; the first half is the signer's key). */
export function groupAssociatedData(senderSignPublicKey: Uint8Array): Uint8Array {
  return concatBytes(senderSignPublicKey, senderSignPublicKey);
}
