/**
 * Recipient devices (bob, the session-setup peers) in a process of their own for bench/chat.bench.ts: a
 * receiving device is another machine than the sender and the server, so it gets its own event loop. The bench
 * drives them over IPC; auth codes come from the sandbox's process through the bench.
 */
import { benchDevice, authenticatorOf, type BenchDevice } from './chat-device';
import { serveParent } from './child-rpc';

const address = process.argv[2]!;
const devices = new Map<string, BenchDevice>();
const device = (userId: string): BenchDevice => {
  const d = devices.get(userId);
  if (!d) throw new Error(`no device ${userId}`);
  return d;
};

serveParent({
  /** Creates the device and asks the server for an auth code (the bench reads it from the sandbox). */
  requestCode: async (userId: string) => {
    const d = benchDevice(address, userId);
    devices.set(userId, d);
    await d.conn.requestCode(authenticatorOf(userId));
  },
  register: async (userId: string, authCode: string) => {
    await device(userId).conn.register({ userId, userName: userId, authenticator: authenticatorOf(userId), authCode });
  },
  count: (userId: string) => device(userId).inbox.size,
  /** Resolves once the device has stored `n` incoming messages. */
  received: (userId: string, n: number) => device(userId).received(n),
  stop: (userId: string) => device(userId).conn.stop(),
  start: (userId: string) => device(userId).conn.start(),
  /** CPU time this process used so far (user + system), in µs. */
  cpu: () => { const u = process.cpuUsage(); return u.user + u.system; },
  close: () => {
    for (const d of devices.values()) d.conn.close();
  },
});
