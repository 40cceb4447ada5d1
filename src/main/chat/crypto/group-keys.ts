import { concatBytes, toBase64 } from './bytes';
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

const encoder = new TextEncoder();
const SALT_WELCOME = encoder.encode('welcome');
const SALT_ADD = encoder.encode('add');
const INFO_STEP = new Uint8Array([0x02]);
const INFO_SESSION_ID = encoder.encode('GroupSessionId');

/**
 * SKISSM's "welcome" step when members are added: welcome = HKDF(IKM = key, salt "welcome", info 0x02, 32).
 * It is what the newcomers are given; being one-way, it does not reveal the key it came from.
 */
export function groupWelcomeKey(suite: CipherSuite, key: Uint8Array): Uint8Array {
  requireLength(key, GROUP_SEED_LENGTH, 'group key');
  return suite.hash.hkdf(key, SALT_WELCOME, INFO_STEP, GROUP_SEED_LENGTH);
}

/** SKISSM's "add" step that follows: next = HKDF(IKM = welcome, salt "add", info 0x02, 32). */
export function groupAddKey(suite: CipherSuite, welcome: Uint8Array): Uint8Array {
  requireLength(welcome, GROUP_SEED_LENGTH, 'group welcome key');
  return suite.hash.hkdf(welcome, SALT_ADD, INFO_STEP, GROUP_SEED_LENGTH);
}

/**
 * The seed of the group session that follows an add: add(welcome(seed)). Every member who holds `seed` derives
 * it alone; newcomers get only welcome(seed) and so can read nothing sent before they joined.
 */
export function groupSeedAfterAdd(suite: CipherSuite, seed: Uint8Array): Uint8Array {
  return groupAddKey(suite, groupWelcomeKey(suite, seed));
}

/**
 * A session id every holder of a derived seed computes alike (base64 of 16 bytes, the shape of SKISSM's
 * random ids), so the members who derive the session after an add agree on its id without a message.
 */
export function groupSessionIdOf(suite: CipherSuite, seed: Uint8Array): string {
  requireLength(seed, GROUP_SEED_LENGTH, 'group seed');
  return toBase64(suite.hash.hkdf(seed, new Uint8Array(suite.sizes.hash), INFO_SESSION_ID, 16));
}
