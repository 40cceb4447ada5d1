/**
 * The sandbox Skiserver in a process of its own for bench/chat.bench.ts (the server is another machine in
 * reality, so it must not share the devices' event loop). Answers the bench over IPC: its address and domain,
 * auth codes from its outbox, how many messages it holds for a user, and its own metered work.
 */
import { SkiserverSandbox } from '../../sim/skiserver/skiserver-sandbox';
import { serveParent } from './child-rpc';

const server = new SkiserverSandbox({ heartbeatMs: 5000 });
const started = server.start();

async function queued(userId: string, atLeast: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const n = server.queuedFor(userId);
    if (n >= atLeast) return n;
    if (Date.now() > deadline) throw new Error(`only ${n} of ${atLeast} messages queued for ${userId}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

serveParent({
  info: async () => {
    await started;
    return { address: server.address, domain: server.domain };
  },
  authCode: (authenticator: string) => server.lastAuthCode(authenticator),
  /** Resolves once at least `atLeast` messages wait for `userId` (polled here, in the server's own process). */
  queued,
  meterTake: () => server.meter.take(),
  /** CPU time this process used so far (user + system), in µs. */
  cpu: () => { const u = process.cpuUsage(); return u.user + u.system; },
  close: () => server.stop(),
});
