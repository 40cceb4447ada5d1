import { generateKeyPairSync, sign as nativeSign, type KeyObject } from 'node:crypto';
import { BATCH_SIGNATURE_VERSION, buildBatch, encodeBatchSignature, SUITE_MLDSA87_MLKEM1024_AES256GCM_SHA256 as suite, systemRandom } from '../../src/main/chat/crypto';
import { preKeyBundleFingerprint, protoMsgFingerprint } from '../../src/main/chat/protocol/fingerprints';
import { Cert, Certificate, DsAlgType, HashAlgType, type PreKeyBundle, type ServerSignedSignature } from '../../src/main/gen/skissm/crypto';
import type { ProtoMsg } from '../../src/main/gen/skissm/proto_msg';

/**
 * The sandbox server's ML-DSA-87 identity: a self-signed certificate in the shape of SKISSM's test
 * certificate (version 1, hash_alg SHA2_256, signing_alg 17) and the signatures it puts on every ProtoMsg
 * and PreKeyBundle (msg_fingerprint built as in src/main/chat/protocol/fingerprints.ts).
 */
/**
 * Signs with Node's native ML-DSA-87 (OpenSSL, ~12× faster than pure JS) when available, since the server
 * signs every message; falls back to the client's @noble implementation. Both are FIPS 204 ML-DSA-87.
 */
function signer(): { publicKey: Uint8Array; sign(message: Uint8Array): Uint8Array } {
  try {
    const { publicKey, privateKey }: { publicKey: KeyObject; privateKey: KeyObject } = generateKeyPairSync('ml-dsa-87' as never);
    const jwk = publicKey.export({ format: 'jwk' }) as { pub?: string };
    if (!jwk.pub) throw new Error('no raw public key');
    return { publicKey: new Uint8Array(Buffer.from(jwk.pub, 'base64url')), sign: (m) => new Uint8Array(nativeSign(null, m, privateKey)) };
  } catch {
    const keys = suite.sign.generateKeyPair(systemRandom);
    return { publicKey: keys.publicKey, sign: (m) => suite.sign.sign(keys.secretKey, m, systemRandom) };
  }
}

export class SandboxSigner {
  private readonly keys: { publicKey: Uint8Array; sign(message: Uint8Array): Uint8Array };
  readonly certificate: Certificate;

  constructor(readonly domain: string) {
    this.keys = signer();
    const subject = { cn: 'Printdeck Sandbox Skiserver', domain, o: 'Printdeck', ou: ['sandbox'] };
    const cert: Cert = {
      issuee: subject,
      publicKeyAlg: DsAlgType.DS_ALG_TYPE_DILITHIUM_5,
      publicKey: Buffer.from(this.keys.publicKey),
      issuer: subject,
      notBefore: String(Date.now() - 60_000),
      notAfter: String(Date.now() + 365 * 86_400_000),
    };
    const certBytes = Cert.encode(cert).finish();
    const certFingerprint = suite.hash.digest(certBytes);
    this.certificate = {
      version: 1,
      hashAlg: HashAlgType.HASH_ALG_TYPE_SHA2_256,
      signingAlg: DsAlgType.DS_ALG_TYPE_DILITHIUM_5,
      cert,
      certFingerprint: Buffer.from(certFingerprint),
      signingPublicKeyFingerprint: Buffer.from(suite.hash.digest(this.keys.publicKey)),
      signature: Buffer.from(this.keys.sign(certFingerprint)),
      ts: String(Date.now()),
      valid: true,
    };
  }

  private signature(fingerprint: Uint8Array): ServerSignedSignature {
    return {
      version: 1,
      hashAlg: HashAlgType.HASH_ALG_TYPE_SHA2_256,
      signingAlg: DsAlgType.DS_ALG_TYPE_DILITHIUM_5,
      signer: this.certificate.cert?.issuee,
      signingPublicKeyFingerprint: this.certificate.signingPublicKeyFingerprint,
      msgFingerprint: Buffer.from(fingerprint),
      signature: Buffer.from(this.keys.sign(fingerprint)),
    };
  }

  signProtoMsg(msg: ProtoMsg): ProtoMsg {
    return { ...msg, signatureList: [this.signature(protoMsgFingerprint(msg))] };
  }

  /**
   * One ML-DSA signature for several messages (version 2: Merkle root of their fingerprints, each message
   * carrying its inclusion proof). A single message gets an ordinary version-1 signature.
   */
  signProtoMsgs(msgs: readonly ProtoMsg[]): ProtoMsg[] {
    if (msgs.length === 1) return [this.signProtoMsg(msgs[0]!)];
    const fingerprints = msgs.map((m) => protoMsgFingerprint(m));
    const { digest, proofs } = buildBatch(suite, fingerprints);
    const signature = this.keys.sign(digest);
    return msgs.map((msg, i) => ({
      ...msg,
      signatureList: [
        {
          version: BATCH_SIGNATURE_VERSION,
          hashAlg: HashAlgType.HASH_ALG_TYPE_SHA2_256,
          signingAlg: DsAlgType.DS_ALG_TYPE_DILITHIUM_5,
          signer: this.certificate.cert?.issuee,
          signingPublicKeyFingerprint: this.certificate.signingPublicKeyFingerprint,
          msgFingerprint: Buffer.from(fingerprints[i]!),
          signature: Buffer.from(encodeBatchSignature(signature, proofs[i]!)),
        },
      ],
    }));
  }

  signBundle(bundle: PreKeyBundle): PreKeyBundle {
    return { ...bundle, signature: this.signature(preKeyBundleFingerprint(bundle)) };
  }
}
