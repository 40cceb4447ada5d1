import { createHash } from 'node:crypto';
import {
  acceptInvite,
  ChatCryptoError,
  completeInvite,
  createInvite,
  SUITE_MLDSA87_MLKEM1024_AES256GCM_SHA256 as suite,
  type EstablishedSession,
  type KeyPair,
  type RandomSource,
} from '../../../src/main/chat/crypto';

/** Shared test set-up for the chat crypto tests: deterministic randomness and ready-made sessions. */

/** SHA-256 in counter mode over a label: reproducible "random" bytes so failures can be replayed. */
export function seededRandom(label: string): RandomSource {
  let counter = 0;
  return (length) => {
    const out = new Uint8Array(length);
    for (let offset = 0; offset < length; offset += 32) {
      const block = createHash('sha256').update(`${label}/${counter++}`).digest();
      out.set(block.subarray(0, Math.min(32, length - offset)), offset);
    }
    return out;
  };
}

export interface DeviceKeys {
  identityKem: KeyPair;
  identitySign: KeyPair;
  signedPreKey: { id: number; keyPair: KeyPair; signature: Uint8Array };
  oneTimePreKey: { id: number; keyPair: KeyPair };
}

export function createDevice(random: RandomSource): DeviceKeys {
  const identitySign = suite.sign.generateKeyPair(random);
  const spk = suite.kem.generateKeyPair(random);
  return {
    identityKem: suite.kem.generateKeyPair(random),
    identitySign,
    signedPreKey: { id: 1, keyPair: spk, signature: suite.sign.sign(identitySign.secretKey, spk.publicKey, random) },
    oneTimePreKey: { id: 7, keyPair: suite.kem.generateKeyPair(random) },
  };
}

export function bundleOf(device: DeviceKeys, withOneTimePreKey = true) {
  return {
    identityKemPublicKey: device.identityKem.publicKey,
    identitySignPublicKey: device.identitySign.publicKey,
    signedPreKey: {
      id: device.signedPreKey.id,
      publicKey: device.signedPreKey.keyPair.publicKey,
      signature: device.signedPreKey.signature,
    },
    oneTimePreKey: withOneTimePreKey
      ? { id: device.oneTimePreKey.id, publicKey: device.oneTimePreKey.keyPair.publicKey }
      : undefined,
  };
}

export interface Conversation {
  alice: EstablishedSession;
  bob: EstablishedSession;
}

/** Runs the full invite/accept exchange between two fresh devices. */
export function establishSession(label: string, withOneTimePreKey = true): Conversation {
  const random = seededRandom(label);
  const aliceDevice = createDevice(random);
  const bobDevice = createDevice(random);
  const { invite, pending } = createInvite(
    suite,
    aliceDevice.identityKem.publicKey,
    bundleOf(bobDevice, withOneTimePreKey),
    random,
  );
  const { accept, session: bob } = acceptInvite(
    suite,
    {
      identityKemKeyPair: bobDevice.identityKem,
      signedPreKey: { id: bobDevice.signedPreKey.id, keyPair: bobDevice.signedPreKey.keyPair },
      oneTimePreKey: bobDevice.oneTimePreKey,
    },
    { ...invite, aliceIdentityKey: aliceDevice.identityKem.publicKey },
    random,
  );
  const alice = completeInvite(suite, pending, aliceDevice.identityKem.secretKey, accept, random);
  return { alice, bob };
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
export const text = (value: string): Uint8Array => encoder.encode(value);
export const readText = (value: Uint8Array): string => decoder.decode(value);

/** The typed error code a crypto call throws, or 'no error'; anything else is rethrown. */
export function errorCode(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof ChatCryptoError) return error.code;
    throw error;
  }
  return 'no error';
}
