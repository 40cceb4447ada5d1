import type { SimulatorFactory } from '../demo/simulator';
import { grpcSimulator } from '../demo/sandbox-health';
import { ArmorySandbox, type ArmorySandboxOptions } from './armory-sandbox';
import type { SandboxAccount } from './armory-world';

export const DEMO_ACCOUNT: SandboxAccount = {
  account: 'demo@printdeck.invalid',
  password: 'armory-demo-password',
  second: 'verifyCode',
  uid: 1_000_001,
  devices: [
    { devId: '00M09A350100001', name: 'X1 Carbon (lab)', modelName: 'BL-P001', productName: 'X1 Carbon', online: true, phase: 0.1 },
    { devId: '01P00A451200002', name: 'P1S north', modelName: 'C12', productName: 'P1S', online: true, phase: 0.55 },
    { devId: '01S00C371700003', name: 'P1P corner', modelName: 'C11', productName: 'P1P', online: true, phase: 0.85 },
    { devId: '03919D4A0900004', name: 'A1 mini (home)', modelName: 'N1', productName: 'A1 mini', online: false },
  ],
};

/**
 * The Armory sandbox as a demo-fleet simulator. Its connection carries the account in
 * `options.account`, the password as the connection secret (one-click sign-in) and, in
 * `options.demoOutbox`, the sandbox's outbox file, so the Cloud screen can show the emailed code.
 */
export function armorySimulator(options: Partial<ArmorySandboxOptions> = {}): SimulatorFactory {
  return async (ctx) => {
    const lines: string[] = [];
    const server = new ArmorySandbox({
      accounts: [DEMO_ACCOUNT],
      printMs: 150_000,
      idleMs: 40_000,
      statusCacheMs: 5_000,
      ...options,
      workDir: ctx.workDir,
      log: (line) => {
        lines.push(line);
        if (lines.length > 200) lines.shift();
      },
    });
    await server.start();
    const sim = grpcSimulator(ctx.id, 'armory', 'Armory cloud sandbox', server, {
      kind: 'armory',
      name: 'Armory cloud (demo)',
      address: `grpc://${server.address}`,
      options: { account: DEMO_ACCOUNT.account, ...(server.outboxPath ? { demoOutbox: server.outboxPath } : {}) },
      secret: DEMO_ACCOUNT.password,
    });
    return sim;
  };
}
