import {
  acceptInvite,
  completeInvite,
  createInvite,
  ratchetDecrypt,
  ratchetEncrypt,
  SUITE_MLDSA87_MLKEM1024_AES256GCM_SHA256 as suite,
  systemRandom,
  type EstablishedSession,
  type KeyPair,
  type RatchetState,
} from '../src/main/chat/crypto';
import type { BenchResult, BenchSuite } from './lib/types';

/**
 * SKISSM crypto core figures (ML-KEM-1024, ML-DSA-87 in pure JS; AES/HKDF/HMAC native):
 * - chat.ratchet_msgs_per_sec: 200-byte messages encrypted and decrypted within an established session, steady
 *   state on one chain (no KEM step).
 * - chat.ratchet_alternating_msgs_per_sec (info): every message changes direction, so each decrypt is a KEM
 *   ratchet step (decapsulate + encapsulate) — the worst case of a chat.
 * - chat.session_setup_ms: median of createInvite + acceptInvite + completeInvite (both sides; the bundle's
 *   signed pre-key signature is verified; account keys exist beforehand).
 */

const MESSAGE_BYTES = 200;
/** Each throughput figure runs for this long (message loop), keeping the whole suite well under 15 s. */
const MEASURE_MS = 2000;
const SETUP_ROUNDS = 40;

interface Devices {
  aliceIdentity: KeyPair;
  bobIdentity: KeyPair;
  bobSign: KeyPair;
  bobSignedPreKey: KeyPair;
  bobSignature: Uint8Array;
  bobOneTimePreKey: KeyPair;
}

function createDevices(): Devices {
  const bobSign = suite.sign.generateKeyPair(systemRandom);
  const bobSignedPreKey = suite.kem.generateKeyPair(systemRandom);
  return {
    aliceIdentity: suite.kem.generateKeyPair(systemRandom),
    bobIdentity: suite.kem.generateKeyPair(systemRandom),
    bobSign,
    bobSignedPreKey,
    bobSignature: suite.sign.sign(bobSign.secretKey, bobSignedPreKey.publicKey, systemRandom),
    bobOneTimePreKey: suite.kem.generateKeyPair(systemRandom),
  };
}

function establish(devices: Devices): { alice: EstablishedSession; bob: EstablishedSession } {
  const { invite, pending } = createInvite(suite, devices.aliceIdentity.publicKey, {
    identityKemPublicKey: devices.bobIdentity.publicKey,
    identitySignPublicKey: devices.bobSign.publicKey,
    signedPreKey: { id: 1, publicKey: devices.bobSignedPreKey.publicKey, signature: devices.bobSignature },
    oneTimePreKey: { id: 1, publicKey: devices.bobOneTimePreKey.publicKey },
  });
  const { accept, session: bob } = acceptInvite(
    suite,
    {
      identityKemKeyPair: devices.bobIdentity,
      signedPreKey: { id: 1, keyPair: devices.bobSignedPreKey },
      oneTimePreKey: { id: 1, keyPair: devices.bobOneTimePreKey },
    },
    { ...invite, aliceIdentityKey: devices.aliceIdentity.publicKey },
  );
  return { alice: completeInvite(suite, pending, devices.aliceIdentity.secretKey, accept), bob };
}

function elapsedMs(run: () => void): number {
  const started = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** Encrypt + decrypt round trips per second, for `budgetMs` of wall time. */
function messagesPerSecond(
  sessions: { alice: EstablishedSession; bob: EstablishedSession },
  budgetMs: number,
  alternate: boolean,
): number {
  const ad = sessions.alice.associatedData;
  const plaintext = systemRandom(MESSAGE_BYTES);
  let states: [RatchetState, RatchetState] = [sessions.bob.ratchet, sessions.alice.ratchet];
  let count = 0;
  const started = process.hrtime.bigint();
  let ms = 0;
  while (ms < budgetMs) {
    // Check the clock every 50 messages so timing overhead stays negligible.
    for (let i = 0; i < 50; i++) {
      const [sender, receiver] = states;
      const sent = ratchetEncrypt(sender, plaintext, ad);
      const received = ratchetDecrypt(receiver, sent.header, sent.ciphertext, ad);
      states = alternate ? [received.state, sent.state] : [sent.state, received.state];
    }
    count += 50;
    ms = Number(process.hrtime.bigint() - started) / 1e6;
  }
  return (count / ms) * 1000;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

const chatCryptoBench: BenchSuite = {
  prefix: 'chat',
  async run(): Promise<BenchResult[]> {
    const devices = createDevices();
    establish(devices); // warm-up (JIT, lazily built tables)
    const setupTimes = Array.from({ length: SETUP_ROUNDS }, () => elapsedMs(() => establish(devices)));

    messagesPerSecond(establish(devices), 200, false); // warm-up
    const steady = messagesPerSecond(establish(devices), MEASURE_MS, false);
    const alternating = messagesPerSecond(establish(devices), MEASURE_MS, true);

    return [
      { name: 'chat.ratchet_msgs_per_sec', value: Math.round(steady), unit: 'msg/s', target: 2000, better: 'higher' },
      {
        name: 'chat.ratchet_alternating_msgs_per_sec',
        value: Math.round(alternating),
        unit: 'msg/s',
        target: null,
        better: 'higher',
      },
      {
        name: 'chat.session_setup_ms',
        value: Number(median(setupTimes).toFixed(2)),
        unit: 'ms',
        target: 50,
        better: 'lower',
      },
    ];
  },
};

export default chatCryptoBench;
