import { afterEach, describe, expect, it } from 'vitest';
import { serverKeyFingerprint } from '../../../src/main/chat/protocol/server-pin';
import type { SkiserverSandbox } from '../../../sim/skiserver/skiserver-sandbox';
import { device, register, startSandbox, type TestDevice } from './chat-harness';

describe('server-certificate pinning beside trust on first use', () => {
  let server: SkiserverSandbox;
  const devices: TestDevice[] = [];
  afterEach(async () => {
    for (const d of devices.splice(0)) d.conn.close();
    await server?.stop();
  });

  it('registers when the pin matches the certificate key (hex or base64) and refuses, storing nothing, when it does not', async () => {
    server = await startSandbox();
    const key = server.signer.certificate.cert!.publicKey;
    const pin = serverKeyFingerprint(key);

    const wrong = device(server, 'wrong', { serverKeyPin: 'a'.repeat(64) });
    devices.push(wrong);
    await expect(register(server, wrong, 'mallory')).rejects.toThrow(/not the pinned one/);
    expect(wrong.conn.engine).toBeNull();
    expect(wrong.conn.store.loadAccount()).toBeNull();

    const hex = device(server, 'hex', { serverKeyPin: pin.toUpperCase() });
    const base64 = device(server, 'base64', { serverKeyPin: Buffer.from(pin, 'hex').toString('base64') });
    devices.push(hex, base64);
    await register(server, hex, 'alice');
    await register(server, base64, 'bob');
    expect(hex.conn.engine?.serverKey).toEqual(new Uint8Array(key));
    expect(base64.conn.store.loadAccount()?.serverKey).toEqual(new Uint8Array(key));
  }, 60_000);

  it('a pin that is not a SHA-256 is refused in words before anything is sent', async () => {
    server = await startSandbox();
    const bad = device(server, 'bad', { serverKeyPin: 'not-a-hash' });
    devices.push(bad);
    await expect(register(server, bad, 'eve')).rejects.toThrow(/64 hex digits or 44 base64/);
    expect(server.state.users.has('eve')).toBe(false);
  }, 30_000);
});
