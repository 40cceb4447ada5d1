import {
  AES_256_GCM_IV_LENGTH,
  AES_256_GCM_KEY_LENGTH,
  AES_256_GCM_TAG_LENGTH,
  aes256GcmOpen,
  aes256GcmSeal,
} from './aead';
import { ChatCryptoError } from './errors';
import { hkdfSha256, hmacSha256, sha256 } from './hash';
import { mlDsa87KeyPair, mlDsa87Sign, mlDsa87Verify, ML_DSA_87_SIZES } from './ml-dsa-87';
import { mlKem1024Decapsulate, mlKem1024Encapsulate, mlKem1024KeyPair, ML_KEM_1024_SIZES } from './ml-kem-1024';
import type { Encapsulation, KeyPair } from './ml-kem-1024';
import {
  DS_ALG_ML_DSA_87,
  HASH_ALG_SHA2_256,
  KEM_ALG_ML_KEM_1024,
  packE2eePackId,
  SYM_KEY_ALG_AES256_GCM,
} from './pack-id';
import type { RandomSource } from './random';

export type { Encapsulation, KeyPair } from './ml-kem-1024';

/** Every length the chat code needs, so nothing outside the suite hard-codes a key or signature size. */
export interface CipherSuiteSizes {
  readonly kemPublicKey: number;
  readonly kemSecretKey: number;
  readonly kemCiphertext: number;
  readonly kemSharedSecret: number;
  readonly signPublicKey: number;
  readonly signSecretKey: number;
  readonly signature: number;
  readonly aeadKey: number;
  readonly aeadIv: number;
  readonly aeadTag: number;
  readonly hash: number;
  /** Root and chain keys of the ratchet and of group chains. */
  readonly chainKey: number;
  /** AEAD key followed by IV. */
  readonly messageKey: number;
}

export interface CipherSuite {
  readonly packId: number;
  readonly name: string;
  /** DsAlgType / HashAlgType ids, matched against ServerSignedSignature.signing_alg / hash_alg. */
  readonly dsAlgId: number;
  readonly hashAlgId: number;
  readonly sizes: CipherSuiteSizes;
  readonly kem: {
    generateKeyPair(random: RandomSource): KeyPair;
    encapsulate(publicKey: Uint8Array, random: RandomSource): Encapsulation;
    decapsulate(ciphertext: Uint8Array, secretKey: Uint8Array): Uint8Array;
  };
  readonly sign: {
    generateKeyPair(random: RandomSource): KeyPair;
    sign(secretKey: Uint8Array, message: Uint8Array, random: RandomSource): Uint8Array;
    verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean;
  };
  readonly aead: {
    seal(key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array, ad: Uint8Array): Uint8Array;
    /** Throws ChatCryptoError('decrypt_failed') when authentication fails. */
    open(key: Uint8Array, iv: Uint8Array, sealed: Uint8Array, ad: Uint8Array): Uint8Array;
  };
  readonly hash: {
    digest(data: Uint8Array): Uint8Array;
    hmac(key: Uint8Array, data: Uint8Array): Uint8Array;
    hkdf(ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Uint8Array;
  };
}

/** SKISSM's E2EE_PACK_ID_V_0_DEFAULT = 0x113101 (whitepaper: E2EE_CIPHER_MLDSA87_MLKEM1024_AES256_GCM_SHA2_256). */
export const PACK_ID_MLDSA87_MLKEM1024_AES256GCM_SHA256 = packE2eePackId({
  version: 0,
  ds: DS_ALG_ML_DSA_87,
  kem: KEM_ALG_ML_KEM_1024,
  symKey: SYM_KEY_ALG_AES256_GCM,
  hash: HASH_ALG_SHA2_256,
});

export const SUITE_MLDSA87_MLKEM1024_AES256GCM_SHA256: CipherSuite = Object.freeze({
  packId: PACK_ID_MLDSA87_MLKEM1024_AES256GCM_SHA256,
  name: 'E2EE_CIPHER_MLDSA87_MLKEM1024_AES256_GCM_SHA2_256',
  dsAlgId: DS_ALG_ML_DSA_87,
  hashAlgId: HASH_ALG_SHA2_256,
  sizes: Object.freeze({
    kemPublicKey: ML_KEM_1024_SIZES.publicKey,
    kemSecretKey: ML_KEM_1024_SIZES.secretKey,
    kemCiphertext: ML_KEM_1024_SIZES.ciphertext,
    kemSharedSecret: ML_KEM_1024_SIZES.sharedSecret,
    signPublicKey: ML_DSA_87_SIZES.publicKey,
    signSecretKey: ML_DSA_87_SIZES.secretKey,
    signature: ML_DSA_87_SIZES.signature,
    aeadKey: AES_256_GCM_KEY_LENGTH,
    aeadIv: AES_256_GCM_IV_LENGTH,
    aeadTag: AES_256_GCM_TAG_LENGTH,
    hash: 32,
    chainKey: 32,
    messageKey: AES_256_GCM_KEY_LENGTH + AES_256_GCM_IV_LENGTH,
  }),
  kem: Object.freeze({
    generateKeyPair: mlKem1024KeyPair,
    encapsulate: mlKem1024Encapsulate,
    decapsulate: mlKem1024Decapsulate,
  }),
  sign: Object.freeze({ generateKeyPair: mlDsa87KeyPair, sign: mlDsa87Sign, verify: mlDsa87Verify }),
  aead: Object.freeze({ seal: aes256GcmSeal, open: aes256GcmOpen }),
  hash: Object.freeze({ digest: sha256, hmac: hmacSha256, hkdf: hkdfSha256 }),
});

/** The suites this client implements; SKISSM's other packs (ECC session suite, HQC, McEliece…) are out of scope. */
const SUITES: ReadonlyMap<number, CipherSuite> = new Map([
  [SUITE_MLDSA87_MLKEM1024_AES256GCM_SHA256.packId, SUITE_MLDSA87_MLKEM1024_AES256GCM_SHA256],
]);

export function cipherSuiteForPackId(packId: number): CipherSuite {
  const suite = SUITES.get(packId);
  if (!suite) throw new ChatCryptoError('unsupported_suite', `e2ee pack id 0x${packId.toString(16)} is not supported`);
  return suite;
}
