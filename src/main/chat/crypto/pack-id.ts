/**
 * An e2ee pack id packs the algorithm ids of a cipher suite into one uint32:
 * bits 31-24 version, 23-16 signature (DsAlgType), 15-8 KEM (KemAlgType), 7-4 symmetric cipher, 3-0 hash.
 */
export interface E2eePackParts {
  readonly version: number;
  readonly ds: number;
  readonly kem: number;
  readonly symKey: number;
  readonly hash: number;
}

export const DS_ALG_ML_DSA_87 = 17;
export const KEM_ALG_ML_KEM_1024 = 49;
export const SYM_KEY_ALG_AES256_GCM = 0;
export const HASH_ALG_SHA2_256 = 1;

export function packE2eePackId(parts: E2eePackParts): number {
  const fits = (value: number, bits: number): boolean => Number.isInteger(value) && value >= 0 && value < 2 ** bits;
  if (
    !fits(parts.version, 8) ||
    !fits(parts.ds, 8) ||
    !fits(parts.kem, 8) ||
    !fits(parts.symKey, 4) ||
    !fits(parts.hash, 4)
  ) {
    throw new RangeError('e2ee pack id part out of range');
  }
  // Multiplication instead of << keeps the result an unsigned number when version >= 128.
  return parts.version * 2 ** 24 + parts.ds * 2 ** 16 + parts.kem * 2 ** 8 + parts.symKey * 2 ** 4 + parts.hash;
}

export function unpackE2eePackId(packId: number): E2eePackParts {
  if (!Number.isInteger(packId) || packId < 0 || packId > 0xffffffff)
    throw new RangeError('e2ee pack id is not a uint32');
  return {
    version: Math.floor(packId / 2 ** 24) & 0xff,
    ds: (packId >>> 16) & 0xff,
    kem: (packId >>> 8) & 0xff,
    symKey: (packId >>> 4) & 0x0f,
    hash: packId & 0x0f,
  };
}
