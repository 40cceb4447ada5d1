import { afterEach, describe, expect, it, vi } from 'vitest';
import { ArmorySandbox } from '../../../sim/armory/armory-sandbox';
import type { SandboxAccount } from '../../../sim/armory/armory-world';
import type { PrintRecord } from '../../../src/shared/contract';
import { createTestHub, tempDir, type TestHub } from '../../support/test-hub';

const ACCOUNT: SandboxAccount = {
  account: 'history@example.invalid',
  password: 'pw-history',
  second: 'verifyCode',
  uid: 77,
  devices: [
    { devId: 'SN0101', name: 'X1C bench', modelName: 'BL-P001', productName: 'X1 Carbon', online: true },
    { devId: 'SN0102', name: 'P1S shelf', modelName: 'C12', productName: 'P1S', online: true },
  ],
};
const ctx = { transport: 'memory' as const, clientId: 't' };

describe('the Armory task list → Printdeck history (sandbox over real gRPC)', () => {
  let sandbox: ArmorySandbox | null = null;
  let t: TestHub | null = null;
  afterEach(async () => {
    await t?.close();
    await sandbox?.stop();
    t = null;
    sandbox = null;
  });

  it('imports the finished and failed tasks of each cloud printer once', async () => {
    // Prints so long that no task ends during the test: the task list stays as seeded.
    sandbox = new ArmorySandbox({
      accounts: [ACCOUNT],
      workDir: tempDir('armory-'),
      printMs: 3_600_000,
      idleMs: 3_600_000,
      seedTasks: 25,
    });
    await sandbox.start();
    t = await createTestHub();
    const hub = t.hub;
    const call = async <T>(m: string, p: unknown): Promise<T> => {
      const r = await hub.registrar.dispatch(m, p, ctx);
      if (!r.ok) throw new Error(`${m}: ${r.error.message}`);
      return r.value as T;
    };
    const { id: connectionId } = hub.connections.add({
      kind: 'armory',
      name: 'Cloud',
      address: `grpc://${sandbox.address}`,
      options: {},
      secret: ACCOUNT.password,
    });
    await call('cloud.signIn', { connectionId, account: ACCOUNT.account });
    await call('cloud.submitCode', { connectionId, code: sandbox.world.lastCodeFor(ACCOUNT.account) });
    await vi.waitFor(
      () => expect(hub.fleet.list().filter((d) => d.family === 'cloud' && d.link === 'online')).toHaveLength(2),
      { timeout: 15_000 },
    );

    const all = async () =>
      (await call<{ records: PrintRecord[] }>('history.list', { from: 0, to: Date.now() + 86_400_000, limit: 500 }))
        .records;
    await hub.importHistory();
    const first = (await all()).filter((r) => r.importedFrom === 'armory');
    expect(new Set(first.map((r) => r.printerName))).toEqual(new Set(['X1C bench', 'P1S shelf']));
    // Finished (2) and aborted-or-failed (3) only; the seeded running (4) and unknown (1) codes stay out.
    expect(new Set(first.map((r) => r.outcome))).toEqual(new Set(['success', 'failed']));
    for (const name of ['X1C bench', 'P1S shelf']) {
      const n = first.filter((r) => r.printerName === name).length;
      expect(n).toBeGreaterThan(20);
      expect(n).toBeLessThan(25);
    }
    for (const r of first) expect(r.durationSec).toBe(2400);

    await hub.importHistory();
    const again = (await all()).filter((r) => r.importedFrom === 'armory');
    expect(again.map((r) => r.id).sort()).toEqual(first.map((r) => r.id).sort());
  }, 60_000);
});
