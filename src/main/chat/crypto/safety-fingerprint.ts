import { compareBytes, concatBytes } from './bytes';
import { hkdfSha256 } from './hash';

/**
 * Safety fingerprint: 60 decimal digits shown as 12 groups of 5, which two users compare out of band (read
 * aloud or side by side) to rule out a man in the middle. It depends only on the two identities, never on
 * argument order, so both sides display the same string.
 *
 * Construction (Printdeck's own; SKISSM has none): each identity is encoded as
 * len(kem) ‖ kem ‖ len(sign) ‖ sign (4-byte big-endian lengths), the two encodings are sorted bytewise, and
 * HKDF-SHA-256(IKM = first ‖ second, salt = "Printdeck safety fingerprint", info = "v1", L = 60) is cut into
 * twelve 5-byte chunks; each chunk, read as a 40-bit big-endian integer, gives one group as value mod 100000
 * (bias is below 1e-7, negligible for comparison). That is 12 × log2(10^5) ≈ 199 bits of the hash.
 */
export interface IdentityPublicKeys {
  readonly kemPublicKey: Uint8Array;
  readonly signPublicKey: Uint8Array;
}

const SALT = new TextEncoder().encode('Printdeck safety fingerprint');
const INFO = new TextEncoder().encode('v1');
export const SAFETY_FINGERPRINT_GROUPS = 12;
const BYTES_PER_GROUP = 5;

function lengthPrefixed(bytes: Uint8Array): Uint8Array {
  const prefix = new Uint8Array(4);
  new DataView(prefix.buffer).setUint32(0, bytes.length);
  return concatBytes(prefix, bytes);
}

function encodeIdentity(identity: IdentityPublicKeys): Uint8Array {
  return concatBytes(lengthPrefixed(identity.kemPublicKey), lengthPrefixed(identity.signPublicKey));
}

/** Returns the groups, e.g. ["01234", "98765", …]; join with spaces (or 3 rows of 4) for display. */
export function safetyFingerprintGroups(a: IdentityPublicKeys, b: IdentityPublicKeys): string[] {
  const ordered = [encodeIdentity(a), encodeIdentity(b)].sort(compareBytes);
  const digest = hkdfSha256(concatBytes(...ordered), SALT, INFO, SAFETY_FINGERPRINT_GROUPS * BYTES_PER_GROUP);
  const groups: string[] = [];
  for (let group = 0; group < SAFETY_FINGERPRINT_GROUPS; group++) {
    let value = 0;
    for (let i = 0; i < BYTES_PER_GROUP; i++) value = value * 256 + (digest[group * BYTES_PER_GROUP + i] ?? 0);
    groups.push((value % 100_000).toString().padStart(5, '0'));
  }
  return groups;
}

export function safetyFingerprint(a: IdentityPublicKeys, b: IdentityPublicKeys): string {
  return safetyFingerprintGroups(a, b).join(' ');
}
