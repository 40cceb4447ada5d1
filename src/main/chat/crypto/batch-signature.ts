import { concatBytes } from './bytes';
import type { CipherSuite } from './cipher-suite';
import { ChatCryptoError } from './errors';

/**
 * Batch server signatures (ServerSignedSignature version 2, a Printdeck extension): one ML-DSA signature
 * covers the Merkle root of several msg_fingerprints, and each message carries the signature followed by its
 * inclusion proof. A server signing every message at ~2 ms each cannot reach 1,000 messages a second; a batch
 * costs one signature and, on the client, one verification however many messages it holds.
 *
 * Security rests on the signature scheme and on SHA-256 collision resistance, as a per-message signature
 * over a SHA-256 fingerprint already does. Leaves and inner nodes are hashed under different prefixes (as in
 * RFC 6962), so a leaf can never be passed off as a node, and the signed digest carries its own label, so a
 * batch signature can never be replayed as a version-1 signature over a message fingerprint or vice versa.
 */

export const BATCH_SIGNATURE_VERSION = 2;
const LEAF = Uint8Array.of(0);
const NODE = Uint8Array.of(1);
const LABEL = new TextEncoder().encode('skissm batch server signature v2');
/** 2^16 messages in one batch is far above what a server should hold back before signing. */
const MAX_BATCH = 1 << 16;

export interface BatchProof {
  index: number;
  count: number;
  siblings: Uint8Array[];
}

function leafHash(suite: CipherSuite, fingerprint: Uint8Array): Uint8Array {
  return suite.hash.digest(concatBytes(LEAF, fingerprint));
}

function nodeHash(suite: CipherSuite, left: Uint8Array, right: Uint8Array): Uint8Array {
  return suite.hash.digest(concatBytes(NODE, left, right));
}

/** The 32 bytes the server signs for a batch: label ‖ count ‖ root, hashed. */
export function batchDigest(suite: CipherSuite, root: Uint8Array, count: number): Uint8Array {
  const n = new Uint8Array(4);
  new DataView(n.buffer).setUint32(0, count);
  return suite.hash.digest(concatBytes(LABEL, n, root));
}

/**
 * Builds the tree over `fingerprints` (in order): returns the digest to sign and each leaf's proof. A level
 * with an odd node count carries its last node up unchanged.
 */
export function buildBatch(suite: CipherSuite, fingerprints: readonly Uint8Array[]): { digest: Uint8Array; proofs: BatchProof[] } {
  if (fingerprints.length === 0 || fingerprints.length > MAX_BATCH) throw new RangeError(`a batch holds 1 to ${MAX_BATCH} messages`);
  const proofs: BatchProof[] = fingerprints.map((_, index) => ({ index, count: fingerprints.length, siblings: [] }));
  // positions[i] = index of leaf i's ancestor within the current level
  const positions = fingerprints.map((_, i) => i);
  let level = fingerprints.map((f) => leafHash(suite, f));
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? nodeHash(suite, level[i]!, level[i + 1]!) : level[i]!);
    for (let leaf = 0; leaf < positions.length; leaf++) {
      const at = positions[leaf]!;
      const sibling = at ^ 1;
      if (sibling < level.length) proofs[leaf]!.siblings.push(level[sibling]!);
      positions[leaf] = at >> 1;
    }
    level = next;
  }
  return { digest: batchDigest(suite, level[0]!, fingerprints.length), proofs };
}

/** Recomputes the signed digest from one fingerprint and its proof; throws on a malformed proof. */
export function batchDigestFromProof(suite: CipherSuite, fingerprint: Uint8Array, proof: BatchProof): Uint8Array {
  const { index, count, siblings } = proof;
  if (count < 1 || count > MAX_BATCH || index < 0 || index >= count) throw new ChatCryptoError('invalid_server_signature', 'batch proof names an impossible position');
  let hash = leafHash(suite, fingerprint);
  let at = index;
  let width = count;
  let used = 0;
  while (width > 1) {
    const sibling = at ^ 1;
    if (sibling < width) {
      const other = siblings[used++];
      if (!other || other.length !== suite.sizes.hash) throw new ChatCryptoError('invalid_server_signature', 'batch proof is too short');
      hash = at % 2 === 0 ? nodeHash(suite, hash, other) : nodeHash(suite, other, hash);
    }
    at >>= 1;
    width = Math.ceil(width / 2);
  }
  if (used !== siblings.length) throw new ChatCryptoError('invalid_server_signature', 'batch proof is too long');
  return batchDigest(suite, hash, count);
}

/** signature field of a version-2 ServerSignedSignature: ML-DSA signature ‖ index (u32) ‖ count (u32) ‖ siblings. */
export function encodeBatchSignature(signature: Uint8Array, proof: BatchProof): Uint8Array {
  const head = new Uint8Array(8);
  const view = new DataView(head.buffer);
  view.setUint32(0, proof.index);
  view.setUint32(4, proof.count);
  return concatBytes(signature, head, ...proof.siblings);
}

export function decodeBatchSignature(suite: CipherSuite, bytes: Uint8Array): { signature: Uint8Array; proof: BatchProof } {
  const sigLength = suite.sizes.signature;
  const rest = bytes.length - sigLength - 8;
  if (rest < 0 || rest % suite.sizes.hash !== 0) throw new ChatCryptoError('invalid_server_signature', 'batch signature has the wrong length');
  const view = new DataView(bytes.buffer, bytes.byteOffset + sigLength, 8);
  const siblings: Uint8Array[] = [];
  for (let at = sigLength + 8; at < bytes.length; at += suite.sizes.hash) siblings.push(bytes.subarray(at, at + suite.sizes.hash));
  return { signature: bytes.subarray(0, sigLength), proof: { index: view.getUint32(0), count: view.getUint32(4), siblings } };
}
