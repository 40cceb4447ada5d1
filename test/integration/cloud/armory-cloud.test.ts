import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CloudAccount, DeviceStatus, MethodName, RequestOf, ResponseOf } from '../../../src/shared/contract';
import type { RpcErrorShape } from '../../../src/shared/rpc/result';
import { ArmorySandbox } from '../../../sim/armory/armory-sandbox';
import type { SandboxAccount } from '../../../sim/armory/armory-world';
import { createTestHub, tempDir, type TestHub } from '../../support/test-hub';

const ACCOUNT: SandboxAccount = {
  account: 'maker@example.invalid',
  password: 'correct horse',
  second: 'verifyCode',
  uid: 42,
  devices: [
    { devId: 'SN0001', name: 'X1C bench', modelName: 'BL-P001', productName: 'X1 Carbon', online: true, phase: 0.2 },
    { devId: 'SN0002', name: 'P1S shelf', modelName: 'C12', productName: 'P1S', online: true, phase: 0.9 },
    { devId: 'SN0003', name: 'A1 mini', modelName: 'N1', productName: 'A1 mini', online: false },
  ],
};
const TFA: SandboxAccount = { account: 'tfa@example.invalid', password: 'pw', second: 'tfa', uid: 43, devices: [] };

let sandbox: ArmorySandbox;
let t: TestHub;
let dataDir: string;
let connectionId: string;
const events: { name: string; payload: unknown }[] = [];

async function call<M extends MethodName>(method: M, payload: RequestOf<M>): Promise<ResponseOf<M>> {
  const r = await t.hub.registrar.dispatch(method, payload, { transport: 'memory', clientId: 'test' });
  if (!r.ok) throw Object.assign(new Error(r.error.message), { shape: r.error });
  return r.value as ResponseOf<M>;
}

async function failure<M extends MethodName>(method: M, payload: RequestOf<M>): Promise<RpcErrorShape> {
  const r = await t.hub.registrar.dispatch(method, payload, { transport: 'memory', clientId: 'test' });
  if (r.ok) throw new Error(`${method} unexpectedly succeeded`);
  return r.error;
}

function cloudDevices(): DeviceStatus[] {
  return t.hub.fleet.list().filter((d) => d.family === 'cloud');
}

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false> | T | null | undefined | false, ms = 8000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function signIn(): Promise<CloudAccount> {
  const first = await call('cloud.signIn', { connectionId, account: ACCOUNT.account });
  expect(first.state).toBe('code-required');
  const code = sandbox.world.lastCodeFor(ACCOUNT.account);
  expect(code).toMatch(/^\d{6}$/);
  return call('cloud.submitCode', { connectionId, code: code! });
}

beforeAll(async () => {
  const workDir = tempDir('armory-sandbox-');
  sandbox = new ArmorySandbox({ accounts: [ACCOUNT, TFA], workDir, printMs: 1200, idleMs: 600, failEvery: 2, seedTasks: 25, codeTtlMs: 60_000 });
  await sandbox.start();
  dataDir = tempDir('printdeck-cloud-');
  t = await createTestHub({ dataDir });
  t.hub.events.addSink({ deliver: (batch) => batch.forEach((e) => events.push({ name: e.name, payload: e.payload })) });
  const added = t.hub.connections.add({
    kind: 'armory',
    name: 'My cloud',
    address: `grpc://${sandbox.address}`,
    options: {},
    secret: ACCOUNT.password,
  });
  connectionId = added.id;
});

afterAll(async () => {
  await t?.close();
  await sandbox?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('Armory cloud account against the sandbox over real gRPC', () => {
  it('refuses a wrong password and a wrong code with clear errors, and TFA accounts', async () => {
    const wrong = await failure('cloud.signIn', { connectionId, account: ACCOUNT.account, password: 'nope' });
    expect(wrong).toMatchObject({ code: 'AUTH_REQUIRED', detail: 'bad-credentials', message: 'The account or password is wrong.' });

    const pending = await call('cloud.signIn', { connectionId, account: ACCOUNT.account });
    expect(pending.state).toBe('code-required');
    expect(pending.demoHint).toBeNull(); // a user's connection gets no peek into the outbox
    const bad = await failure('cloud.submitCode', { connectionId, code: '000000' === sandbox.world.lastCodeFor(ACCOUNT.account) ? '111111' : '000000' });
    expect(bad).toMatchObject({ code: 'AUTH_REQUIRED', detail: 'code-wrong' });

    const tfaConn = t.hub.connections.add({ kind: 'armory', name: 'TFA', address: `grpc://${sandbox.address}`, options: {} });
    const tfa = await failure('cloud.signIn', { connectionId: tfaConn.id, account: TFA.account, password: 'pw' });
    expect(tfa.code).toBe('UNSUPPORTED');
    t.hub.connections.remove(tfaConn.id);
  });

  it('says wrong password / wrong code in its own words when the server refuses with PERMISSION_DENIED', async () => {
    sandbox.world.signInRefusal = 'permission-denied';
    try {
      const wrong = await failure('cloud.signIn', { connectionId, account: ACCOUNT.account, password: 'nope' });
      expect(wrong).toMatchObject({ code: 'AUTH_REQUIRED', detail: 'bad-credentials', message: 'The account or password is wrong.' });
      await call('cloud.signIn', { connectionId, account: ACCOUNT.account });
      const real = sandbox.world.lastCodeFor(ACCOUNT.account);
      const bad = await failure('cloud.submitCode', { connectionId, code: real === '000000' ? '111111' : '000000' });
      expect(bad).toMatchObject({ code: 'AUTH_REQUIRED', detail: 'code-wrong', message: expect.stringMatching(/^The verification code is not right/) });
      expect(`${wrong.message} ${bad.message}`).not.toMatch(/permission denied|incorrect/i);
    } finally {
      sandbox.world.signInRefusal = 'bambu';
    }
  });

  it('signs in with password then emailed code; tokens are secrets, never in answers', async () => {
    const account = await signIn();
    expect(account).toMatchObject({ state: 'signed-in', account: ACCOUNT.account, passwordSaved: true });
    expect(account.expiresAt).toBeGreaterThan(Date.now() + 80 * 86_400_000);
    const stored = t.hub.connections.get(connectionId);
    expect(stored.options.account).toBe(ACCOUNT.account);
    t.hub.events.flush();
    const everything = JSON.stringify([await call('cloud.accounts', {}), await call('connections.list', {}), events]);
    expect(everything).not.toContain(ACCOUNT.password);
    expect(everything).not.toMatch(/[0-9a-f]{48}/); // no access or refresh token anywhere
    expect(events.some((e) => e.name === 'cloud.account' && (e.payload as CloudAccount).state === 'signed-in')).toBe(true);
  });

  it('brings the account printers into the fleet with progress and task id', async () => {
    const devices = await until('three cloud printers', () => (cloudDevices().length === 3 ? cloudDevices() : null));
    const byName = Object.fromEntries(devices.map((d) => [d.name, d]));
    expect(byName['X1C bench']).toMatchObject({
      deviceId: `armory:${connectionId}:SN0001`,
      model: 'X1 Carbon',
      serial: 'SN0001',
      link: 'online',
      capabilities: expect.objectContaining({ print: false, pause: false, cancel: false, camera: false }),
    });
    expect(byName['A1 mini']).toMatchObject({ link: 'offline', state: 'offline' });
    const printing = await until('a printing cloud printer', async () => {
      await call('cloud.refresh', { connectionId });
      return cloudDevices().find((d) => d.state === 'printing' && d.job?.taskId);
    });
    expect(printing.job!.progress).toBeGreaterThanOrEqual(0);
    expect(printing.job!.name).not.toContain(printing.job!.taskId!); // ids are not for people
    await expect(t.hub.registrar.dispatch('printers.pause', { deviceId: printing.deviceId }, { transport: 'memory', clientId: 't' })).resolves.toMatchObject({
      ok: false,
      error: { code: 'UNSUPPORTED' },
    });
  });

  it('announces finished and failed prints through the generic print watcher', async () => {
    await until(
      'a finished and a failed cloud print notice',
      async () => {
        await call('cloud.refresh', { connectionId });
        const notes = await call('notifications.list', {});
        const finished = notes.some((n) => /finished$/.test(n.title));
        const failed = notes.some((n) => /print failed/.test(n.title));
        return finished && failed;
      },
      15_000,
    );
  });

  it('pages the history per device and overall, with status words and cached covers', async () => {
    const seen = new Set<string>();
    let after: string | undefined;
    let pages = 0;
    let total: number | undefined;
    do {
      const page = await call('cloud.history', { connectionId, devId: 'SN0001', limit: 10, ...(after ? { after } : {}) });
      total = page.total;
      for (const task of page.tasks) {
        expect(seen.has(task.id)).toBe(false);
        seen.add(task.id);
        expect(task.devId).toBe('SN0001');
        expect(task.deviceName).toBe('X1C bench');
      }
      after = page.nextCursor ?? undefined;
      pages++;
    } while (after && pages < 20);
    expect(seen.size).toBe(total);
    expect(pages).toBeGreaterThanOrEqual(3);

    const overall = await call('cloud.history', { connectionId, limit: 50 });
    const labels = new Set(overall.tasks.map((x) => x.status.label));
    expect(labels).toContain('Finished');
    expect(labels).toContain('Failed or aborted');
    expect(labels).toContain('Printing');
    expect([...labels].some((l) => /unknown/.test(l))).toBe(false);
    // A task running for an hour (the cloud shows end = start) has taken an hour so far, not 0 s.
    const running = overall.tasks.find((x) => x.status.code === 4 && x.startTime && Date.parse(x.startTime) < Date.now() - 3_600_000)!;
    expect(running.durationSec).toBeGreaterThanOrEqual(3600);
    expect(new Set(overall.tasks.map((x) => x.devId)).size).toBeGreaterThan(1);

    const finished = overall.tasks.find((x) => x.status.code === 2 && x.coverId)!;
    expect(finished.durationSec).not.toBeNull();
    const before = sandbox.covers.requests;
    const cover = await call('cloud.cover', { connectionId, coverId: finished.coverId! });
    expect(cover.dataUrl).toMatch(/^data:image\/jpeg;base64,\/9j\//);
    await call('cloud.cover', { connectionId, coverId: finished.coverId! });
    expect(sandbox.covers.requests).toBe(before + 1);
    // An id main never issued is not fetched at all.
    expect((await call('cloud.cover', { connectionId, coverId: 'ab'.repeat(16) })).dataUrl).toBeNull();
  });

  it('refuses oversized cover pictures', async () => {
    sandbox.world.addTask(ACCOUNT.account, { deviceId: 'SN0002', title: 'Huge picture', cover: `${sandbox.covers.base}/covers/huge.jpg` });
    const page = await call('cloud.history', { connectionId, devId: 'SN0002', limit: 5 });
    const huge = page.tasks.find((x) => x.title === 'Huge picture')!;
    expect((await call('cloud.cover', { connectionId, coverId: huge.coverId! })).dataUrl).toBeNull();
  });

  it('keeps an inbox of task messages; new ones raise cloud.inbox', async () => {
    const first = await call('cloud.messages', { connectionId, limit: 5 });
    expect(first.messages.length).toBeGreaterThan(0);
    expect(first.messages[0]!.task).toMatchObject({ status: expect.objectContaining({ label: expect.any(String) }) });
    const inboxEvents = await until(
      'a cloud.inbox event',
      async () => {
        await call('cloud.refresh', { connectionId });
        t.hub.events.flush();
        return events.filter((e) => e.name === 'cloud.inbox').length > 0;
      },
      15_000,
    );
    expect(inboxEvents).toBe(true);
  });

  it('lists updates, flagging forced ones, and says whether a remote camera exists', async () => {
    const { updates } = await call('cloud.updates', { connectionId });
    expect(updates.find((u) => u.type === 'software')).toMatchObject({ version: '2.3.1.5', forceUpdate: false });
    expect(updates.find((u) => u.type === 'slicer/plugins/cloud')).toMatchObject({ forceUpdate: true });
    const cam = await call('cloud.camera', { connectionId, devId: 'SN0001' });
    expect(cam.available).toBe(true);
    expect(cam.explanation).toMatch(/SDK/);
    expect(JSON.stringify(cam)).not.toContain('sandbox-pass');
    const off = await call('cloud.camera', { connectionId, devId: 'SN0003' });
    expect(off.available).toBe(false);
  });

  it('rides out UNAVAILABLE bursts and a server restart', async () => {
    sandbox.faults.unavailableBurst = 2;
    await expect(call('cloud.history', { connectionId, limit: 5 })).resolves.toMatchObject({ total: expect.any(Number) });
    const restart = sandbox.restart(400);
    const page = await call('cloud.history', { connectionId, limit: 5 });
    await restart;
    expect(page.tasks.length).toBe(5);
    await call('cloud.refresh', { connectionId });
    expect((await call('cloud.accounts', {}))[0]).toMatchObject({ state: 'signed-in', syncProblem: null });
  });

  it('with the cloud unreachable, printers keep their last state marked stale ("last seen"), then go live again', async () => {
    await call('cloud.refresh', { connectionId });
    const live = cloudDevices();
    expect(live.every((d) => d.lastSeenAt == null)).toBe(true);
    const offlineNotices = (await call('notifications.list', {})).filter((n) => /went offline/.test(n.title)).length;
    sandbox.faults.unavailableBurst = 1_000_000;
    try {
      await call('cloud.refresh', { connectionId });
      const stale = cloudDevices();
      expect(stale).toHaveLength(live.length);
      for (const d of stale) {
        const before = live.find((x) => x.deviceId === d.deviceId)!;
        expect(d).toMatchObject({ link: before.link, state: before.state, problem: { code: 'cloud-unreachable' } });
        expect(d.lastSeenAt).toBeGreaterThan(0);
        expect(d.lastSeenAt).toBeLessThanOrEqual(Date.now());
      }
      expect((await call('notifications.list', {})).filter((n) => /went offline/.test(n.title))).toHaveLength(offlineNotices);
    } finally {
      sandbox.faults.unavailableBurst = 0;
    }
    await call('cloud.refresh', { connectionId });
    expect(cloudDevices().every((d) => d.lastSeenAt == null && d.problem?.code !== 'cloud-unreachable')).toBe(true);
  });

  it('renews an expired token mid-session, and asks to sign in again when renewal is refused', async () => {
    const before = sandbox.world.calls.get('RefreshToken') ?? 0;
    sandbox.world.expireAccessTokens();
    await call('cloud.refresh', { connectionId });
    expect(sandbox.world.calls.get('RefreshToken')).toBe(before + 1);
    expect((await call('cloud.accounts', {}))[0]!.state).toBe('signed-in');

    const printing = await until('a printing cloud printer', async () => {
      await call('cloud.refresh', { connectionId });
      return cloudDevices().find((d) => d.state === 'printing');
    });
    const notices = async (re: RegExp) => (await call('notifications.list', {})).filter((n) => re.test(n.title));
    const offlineBefore = (await notices(/went offline/)).length;
    const signInBefore = (await notices(/sign in again/)).length;
    sandbox.world.refreshFails = true;
    sandbox.world.expireAccessTokens();
    const err = await failure('cloud.history', { connectionId, limit: 5 });
    expect(err.code).toBe('AUTH_REQUIRED');
    const [acc] = await call('cloud.accounts', {});
    expect(acc).toMatchObject({ state: 'expired', message: expect.stringMatching(/Sign in again/) });
    // The rest of the app keeps its state: the connection, the printers (marked), other calls.
    expect(t.hub.connections.list().some((c) => c.id === connectionId)).toBe(true);
    expect(cloudDevices().every((d) => d.problem?.code === 'cloud-sign-in')).toBe(true);
    // An account problem: one "sign in again" notice; the printers are not offline, only not live.
    await call('cloud.refresh', { connectionId }).catch(() => undefined);
    expect(await notices(/sign in again/)).toHaveLength(signInBefore + 1);
    expect(await notices(/went offline/)).toHaveLength(offlineBefore);
    const stillPrinting = cloudDevices().find((d) => d.deviceId === printing.deviceId)!;
    expect(stillPrinting).toMatchObject({ link: 'online', state: 'printing', lastSeenAt: expect.any(Number) });
    expect(cloudDevices().some((d) => d.link === 'error')).toBe(false);
    await expect(call('devices.list', {})).resolves.toBeInstanceOf(Array);

    sandbox.world.refreshFails = false;
    expect((await signIn()).state).toBe('signed-in');
    await call('cloud.refresh', { connectionId });
    expect(cloudDevices().some((d) => d.problem?.code === 'cloud-sign-in')).toBe(false);
  });

  it('an expired code sends the user back to the password step', async () => {
    const conn = t.hub.connections.add({ kind: 'armory', name: 'Short codes', address: `grpc://${sandbox.address}`, options: {}, secret: ACCOUNT.password });
    const quick = new ArmorySandbox({ accounts: [ACCOUNT], codeTtlMs: 1 });
    await quick.start();
    // Pointing a connection elsewhere forgets its saved password unless it is given again.
    t.hub.connections.update({ id: conn.id, address: `grpc://${quick.address}`, secret: ACCOUNT.password });
    try {
      await call('cloud.signIn', { connectionId: conn.id, account: ACCOUNT.account });
      await new Promise((r) => setTimeout(r, 10));
      const err = await failure('cloud.submitCode', { connectionId: conn.id, code: quick.world.lastCodeFor(ACCOUNT.account)! });
      expect(err).toMatchObject({ code: 'AUTH_REQUIRED', detail: 'code-expired' });
      const acc = (await call('cloud.accounts', {})).find((a) => a.connectionId === conn.id);
      expect(acc).toMatchObject({ state: 'signed-out', message: expect.stringMatching(/expired/) });
    } finally {
      t.hub.connections.remove(conn.id);
      await quick.stop();
    }
  });

  it('keeps the sign-in across a Printdeck restart (tokens are stored as secrets)', async () => {
    await t.close();
    t = await createTestHub({ dataDir });
    const [acc] = await call('cloud.accounts', {});
    expect(acc).toMatchObject({ state: 'signed-in', account: ACCOUNT.account });
    await until('the cloud printers again', () => cloudDevices().length === 3);
  });

  it('signs out: tokens deleted, cloud printers leave the fleet', async () => {
    const out = await call('cloud.signOut', { connectionId });
    expect(out.state).toBe('signed-out');
    expect(cloudDevices()).toHaveLength(0);
    expect(await failure('cloud.history', { connectionId, limit: 5 })).toMatchObject({ code: 'AUTH_REQUIRED' });
    await t.close();
    t = await createTestHub({ dataDir });
    expect((await call('cloud.accounts', {}))[0]!.state).toBe('signed-out');
  });
});
