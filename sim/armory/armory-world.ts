import { randomBytes, randomInt } from 'node:crypto';
import type {
  Device,
  GetSlicerResourcesResponse,
  PrintDeviceStatus,
  PrintTask,
  UserMessage,
} from '../../src/main/gen/armory/v1/armory';

/** A sandbox account: password sign-in, optionally followed by an emailed code (or TFA, refused by Printdeck). */
export interface SandboxAccount {
  account: string;
  password: string;
  /** 'verifyCode' sends a code to the outbox and asks for it; 'tfa' asks for a TOTP (unsupported by Printdeck). */
  second: 'none' | 'verifyCode' | 'tfa';
  uid: number;
  devices: SandboxPrinterSpec[];
}

export interface SandboxPrinterSpec {
  devId: string;
  name: string;
  modelName: string;
  productName: string;
  online: boolean;
  /** Where in its print/idle cycle the printer starts, 0..1. */
  phase?: number;
}

export interface WorldOptions {
  now?: () => number;
  accessTtlSec?: number;
  refreshTtlSec?: number;
  codeTtlMs?: number;
  printMs?: number;
  idleMs?: number;
  /** Every Nth job fails (status 3) at 60 %; 0 never. */
  failEvery?: number;
  /** Past tasks seeded per printer, for pagination. */
  seedTasks?: number;
  /** Non-forced GetPrintStatus answers may be this stale (the cloud caches). */
  statusCacheMs?: number;
  coverBase?: () => string;
  /** Where the "emails" with codes go; each is also passed to `onOutbox`. */
  onOutbox?: (mail: OutboxMail) => void;
}

export interface OutboxMail {
  to: string;
  subject: string;
  code: string;
  at: number;
}

interface Printer {
  spec: SandboxPrinterSpec;
  owner: string;
  online: boolean;
  /** The running job or null while idle. */
  job: { taskId: string; title: string; startedAt: number; fails: boolean } | null;
  /** When the printer changes phase next (job starts or ends). */
  nextAt: number;
  jobsDone: number;
}

interface Token {
  account: string;
  expiresAt: number;
  kind: 'access' | 'refresh';
}

export type WorldError =
  | { kind: 'unauthenticated'; message: string }
  | { kind: 'invalid'; message: string; armoryCode?: number }
  | { kind: 'not-found'; message: string }
  | { kind: 'denied'; message: string; armoryCode?: number };

export class WorldFailure extends Error {
  constructor(readonly failure: WorldError) {
    super(failure.message);
  }
}

const TITLES = ['Benchy', 'Calibration cube', 'Cable clip', 'Phone stand', 'Planetary gear', 'Lamp shade', 'Hinge box', 'Articulated dragon'];

/**
 * The state behind the sandbox Armory: accounts, codes, tokens, printers whose jobs advance with
 * the clock, the task history, the inbox and the slicer resources. Time is read lazily on each
 * request, so a paused test clock freezes the world and a jump forward plays every job in between.
 */
export class ArmoryWorld {
  readonly now: () => number;
  readonly outbox: OutboxMail[] = [];
  /** Switch RefreshToken to answer UNAUTHENTICATED, as the real cloud now does. */
  refreshFails = false;
  /**
   * How a wrong password or code is refused: 'bambu' as the real cloud (UNAUTHENTICATED /
   * INVALID_ARGUMENT), 'permission-denied' as an independent Armory server did.
   */
  signInRefusal: 'bambu' | 'permission-denied' = 'bambu';
  /** How many calls each RPC received (for tests and benchmarks). */
  readonly calls = new Map<string, number>();
  private readonly accounts = new Map<string, SandboxAccount>();
  private readonly printers = new Map<string, Printer>();
  private readonly tasks: (PrintTask & { owner: string })[] = [];
  private readonly messages: (UserMessage & { owner: string })[] = [];
  private readonly codes = new Map<string, { code: string; expiresAt: number; attempts: number }>();
  private readonly tokens = new Map<string, Token>();
  private readonly statusCache = new Map<string, { at: number; devices: PrintDeviceStatus[] }>();
  private nextTaskId = 7_000_000_000;
  private nextMessageId = 9_100_000_000;
  private readonly o: Required<Omit<WorldOptions, 'now' | 'coverBase' | 'onOutbox'>>;

  constructor(
    accounts: SandboxAccount[],
    private readonly options: WorldOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.o = {
      accessTtlSec: options.accessTtlSec ?? 7_776_000,
      refreshTtlSec: options.refreshTtlSec ?? 7_776_000,
      codeTtlMs: options.codeTtlMs ?? 5 * 60_000,
      printMs: options.printMs ?? 180_000,
      idleMs: options.idleMs ?? 45_000,
      failEvery: options.failEvery ?? 4,
      seedTasks: options.seedTasks ?? 25,
      statusCacheMs: options.statusCacheMs ?? 0,
    };
    for (const a of accounts) this.addAccount(a);
  }

  addAccount(a: SandboxAccount): void {
    this.accounts.set(a.account.toLowerCase(), a);
    const now = this.now();
    // History first, so the running jobs get the newest task ids.
    for (const spec of a.devices) this.seedHistory(spec, a.account, now);
    for (const spec of a.devices) {
      const phase = spec.phase ?? 0;
      const cycle = this.o.printMs + this.o.idleMs;
      const into = phase * cycle;
      const printer: Printer = { spec, owner: a.account, online: spec.online, job: null, nextAt: now, jobsDone: 0 };
      if (into < this.o.printMs && spec.online) {
        printer.job = { taskId: this.newTaskId(), title: this.titleFor(spec.devId, 0), startedAt: now - into, fails: false };
        printer.nextAt = now - into + this.o.printMs;
        this.recordRunning(printer, now - into);
      } else {
        printer.nextAt = now + (cycle - into);
      }
      this.printers.set(spec.devId, printer);
    }
    this.seedMessages(a.account, now);
  }

  count(rpc: string): void {
    this.calls.set(rpc, (this.calls.get(rpc) ?? 0) + 1);
  }

  // ---------- auth ----------

  login(account: string, password: string, code: string): { accessToken: string; refreshToken: string; loginType: string; expiresIn: number } {
    try {
      return this.loginAs(account, password, code);
    } catch (err) {
      if (this.signInRefusal !== 'permission-denied' || !(err instanceof WorldFailure)) throw err;
      const f = err.failure;
      throw new WorldFailure({ kind: 'denied', message: `permission denied: ${f.message}`, ...('armoryCode' in f && f.armoryCode !== undefined ? { armoryCode: f.armoryCode } : {}) });
    }
  }

  private loginAs(account: string, password: string, code: string): { accessToken: string; refreshToken: string; loginType: string; expiresIn: number } {
    const a = this.accounts.get(account.trim().toLowerCase());
    if (password && code) throw new WorldFailure({ kind: 'invalid', message: 'send either password or code, not both' });
    if (code) {
      const pending = a ? this.codes.get(a.account) : undefined;
      if (!a || !pending) throw new WorldFailure({ kind: 'invalid', message: 'verification code incorrect', armoryCode: 2 });
      if (pending.expiresAt <= this.now()) {
        this.codes.delete(a.account);
        throw new WorldFailure({ kind: 'invalid', message: 'verification code expired', armoryCode: 1 });
      }
      if (pending.code !== code.trim()) {
        pending.attempts += 1;
        if (pending.attempts >= 5) this.codes.delete(a.account);
        throw new WorldFailure({ kind: 'invalid', message: 'verification code incorrect', armoryCode: 2 });
      }
      this.codes.delete(a.account);
      return { ...this.issue(a.account), loginType: '' };
    }
    if (!a || a.password !== password) throw new WorldFailure({ kind: 'unauthenticated', message: 'account or password incorrect' });
    if (a.second === 'tfa') return { accessToken: '', refreshToken: '', loginType: 'tfa', expiresIn: 0 };
    if (a.second === 'verifyCode') {
      const sent = String(randomInt(0, 1_000_000)).padStart(6, '0');
      this.codes.set(a.account, { code: sent, expiresAt: this.now() + this.o.codeTtlMs, attempts: 0 });
      const mail: OutboxMail = { to: a.account, subject: 'Your Armory verification code', code: sent, at: this.now() };
      this.outbox.push(mail);
      this.options.onOutbox?.(mail);
      return { accessToken: '', refreshToken: '', loginType: 'verifyCode', expiresIn: 0 };
    }
    return { ...this.issue(a.account), loginType: '' };
  }

  refresh(refreshToken: string): { accessToken: string; refreshToken: string; expiresIn: number; refreshExpiresIn: number } {
    if (this.refreshFails) throw new WorldFailure({ kind: 'unauthenticated', message: 'refresh token rejected (401)' });
    const t = this.tokens.get(refreshToken);
    if (!t || t.kind !== 'refresh' || t.expiresAt <= this.now()) {
      throw new WorldFailure({ kind: 'unauthenticated', message: 'refresh token invalid or expired' });
    }
    this.tokens.delete(refreshToken);
    const issued = this.issue(t.account);
    return { ...issued, refreshExpiresIn: this.o.refreshTtlSec };
  }

  /** The account an `authorization: Bearer …` value belongs to, or a failure. */
  authenticate(authorization: string | undefined): string {
    const m = /^Bearer ([0-9a-f]{16,128})$/.exec(authorization ?? '');
    if (!m?.[1]) throw new WorldFailure({ kind: 'unauthenticated', message: 'missing bearer token' });
    const t = this.tokens.get(m[1]);
    if (!t || t.kind !== 'access') throw new WorldFailure({ kind: 'unauthenticated', message: 'token invalid' });
    if (t.expiresAt <= this.now()) throw new WorldFailure({ kind: 'unauthenticated', message: 'token expired' });
    return t.account;
  }

  /** Test hook: every access token of the account is now past its expiry. */
  expireAccessTokens(): void {
    const now = this.now();
    for (const t of this.tokens.values()) if (t.kind === 'access') t.expiresAt = now;
  }

  lastCodeFor(account: string): string | null {
    const mails = this.outbox.filter((m) => m.to.toLowerCase() === account.toLowerCase());
    return mails.at(-1)?.code ?? null;
  }

  // ---------- data ----------

  devices(account: string): Device[] {
    this.advance();
    return this.printersOf(account).map((p) => ({
      devId: p.spec.devId,
      name: p.spec.name,
      online: p.online,
      devModelName: p.spec.modelName,
      devProductName: p.spec.productName,
    }));
  }

  printStatus(account: string, force: boolean): PrintDeviceStatus[] {
    const cached = this.statusCache.get(account);
    if (!force && cached && this.now() - cached.at < this.o.statusCacheMs) return cached.devices;
    this.advance();
    const now = this.now();
    const devices = this.printersOf(account).map((p) => ({
      devId: p.spec.devId,
      devName: p.spec.name,
      devOnline: p.online,
      progress: p.job ? Math.min(99, Math.floor(((now - p.job.startedAt) / this.o.printMs) * 100)) : 0,
      taskId: p.job?.taskId ?? '',
    }));
    this.statusCache.set(account, { at: now, devices });
    return devices;
  }

  listTasks(account: string, deviceId: string, after: string, limit: number): { total: number; hits: PrintTask[] } {
    this.advance();
    const mine = this.tasks.filter((t) => t.owner === account && (!deviceId || t.deviceId === deviceId));
    const afterId = after ? BigInt(after) : null;
    const page = mine.filter((t) => afterId === null || BigInt(t.id) < afterId).slice(0, clampLimit(limit));
    return { total: mine.length, hits: page.map(({ owner: _o, ...t }) => ({ ...t, cover: this.absolute(t.cover) })) };
  }

  listMessages(account: string, type: number, after: string, limit: number): UserMessage[] {
    this.advance();
    const afterId = after ? BigInt(after) : null;
    return this.messages
      .filter((m) => m.owner === account && (type === 0 || m.type === type) && (afterId === null || BigInt(m.id) < afterId))
      .slice(0, clampLimit(limit))
      .map(({ owner: _o, ...m }) => ({
        ...m,
        taskMessage: m.taskMessage ? { ...m.taskMessage, cover: this.absolute(m.taskMessage.cover) } : undefined,
      }));
  }

  ttcode(account: string, devId: string): { ttcode: string; passwd: string; authkey: string } {
    const p = this.printers.get(devId);
    if (!p || p.owner !== account) throw new WorldFailure({ kind: 'not-found', message: `no device ${devId} on this account` });
    // Like the cloud, a printer that is not reachable has no camera session to offer.
    if (!p.online) return { ttcode: '', passwd: '', authkey: '' };
    return { ttcode: `TUTK${devId.slice(-8).toUpperCase()}SANDBOX`, passwd: 'sandbox-pass', authkey: 'sandbox-authkey' };
  }

  slicerResources(type: string): Omit<GetSlicerResourcesResponse, 'base'> {
    const resources = [
      { type: 'slicer/plugins/cloud', version: '02.03.00.07', description: 'Network plugin: cloud printing and remote camera.', url: 'https://downloads.printdeck.invalid/plugins/02.03.00.07.zip', forceUpdate: true },
      { type: 'slicer/cameratools/cloud', version: '02.03.00.01', description: 'Camera tools for remote viewing.', url: 'https://downloads.printdeck.invalid/cameratools/02.03.00.01.zip', forceUpdate: false },
    ].filter((r) => !type || r.type === type);
    return {
      software: { version: '2.3.1.5', description: 'Bambu Studio 2.3.1: faster slicing, new printer profiles.', url: 'https://downloads.printdeck.invalid/studio/2.3.1.5', forceUpdate: false },
      resources,
    };
  }

  /** Test hook: adds a finished task to the history (e.g. with an unusual status or cover). */
  addTask(owner: string, task: Partial<PrintTask> & { deviceId: string }): PrintTask {
    const now = this.now();
    const t: PrintTask & { owner: string } = {
      id: this.newTaskId(),
      modelId: 'US-sandbox',
      title: 'Extra task',
      cover: '',
      status: 2,
      startTime: new Date(now - 3_600_000).toISOString(),
      endTime: new Date(now).toISOString(),
      weight: 12.5,
      costTime: '3600',
      mode: 'cloud_file',
      ...task,
      owner,
    };
    this.tasks.unshift(t);
    return t;
  }

  /** Test hook: a printer goes on- or offline. */
  setOnline(devId: string, online: boolean): void {
    const p = this.printers.get(devId);
    if (p) p.online = online;
  }

  // ---------- internals ----------

  private issue(account: string): { accessToken: string; refreshToken: string; expiresIn: number } {
    const now = this.now();
    const accessToken = randomBytes(24).toString('hex');
    const refreshToken = randomBytes(24).toString('hex');
    this.tokens.set(accessToken, { account, kind: 'access', expiresAt: now + this.o.accessTtlSec * 1000 });
    this.tokens.set(refreshToken, { account, kind: 'refresh', expiresAt: now + this.o.refreshTtlSec * 1000 });
    return { accessToken, refreshToken, expiresIn: this.o.accessTtlSec };
  }

  private printersOf(account: string): Printer[] {
    return [...this.printers.values()].filter((p) => p.owner === account);
  }

  /** Plays every job start and end up to now, so results, history and messages follow the clock. */
  private advance(): void {
    const now = this.now();
    for (const p of this.printers.values()) {
      let guard = 0;
      while (p.nextAt <= now && guard++ < 1000) {
        if (!p.online) {
          p.nextAt += this.o.idleMs;
          continue;
        }
        if (p.job) this.finish(p, p.nextAt);
        else this.begin(p, p.nextAt);
      }
    }
  }

  private begin(p: Printer, at: number): void {
    const n = p.jobsDone + 1;
    const fails = this.o.failEvery > 0 && n % this.o.failEvery === 0;
    p.job = { taskId: this.newTaskId(), title: this.titleFor(p.spec.devId, n), startedAt: at, fails };
    p.nextAt = at + (fails ? Math.round(this.o.printMs * 0.6) : this.o.printMs);
    this.recordRunning(p, at);
  }

  /** New ids are the highest, so unshifting keeps the history newest first. A running job is in the history with status 4 and end = start, as the cloud shows it. */
  private recordRunning(p: Printer, at: number): void {
    const job = p.job;
    if (!job) return;
    this.tasks.unshift({
      id: job.taskId,
      modelId: `US${job.taskId.slice(-6)}`,
      title: job.title,
      cover: this.coverUrl(job.taskId),
      status: 4,
      startTime: new Date(at).toISOString(),
      endTime: new Date(at).toISOString(),
      weight: 8 + (Number(job.taskId) % 40),
      costTime: String(Math.round(this.o.printMs / 1000)),
      deviceId: p.spec.devId,
      mode: 'cloud_file',
      owner: p.owner,
    });
  }

  private sortTasks(): void {
    this.tasks.sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : BigInt(b.id) < BigInt(a.id) ? -1 : 0));
  }

  private finish(p: Printer, at: number): void {
    const job = p.job;
    if (!job) return;
    p.job = null;
    p.jobsDone += 1;
    p.nextAt = at + this.o.idleMs;
    const status = job.fails ? 3 : 2;
    const task: PrintTask & { owner: string } = {
      id: job.taskId,
      modelId: `US${job.taskId.slice(-6)}`,
      title: job.title,
      cover: this.coverUrl(job.taskId),
      status,
      startTime: new Date(job.startedAt).toISOString(),
      endTime: new Date(at).toISOString(),
      weight: 8 + (Number(job.taskId) % 40),
      costTime: String(Math.round(this.o.printMs / 1000)),
      deviceId: p.spec.devId,
      mode: 'cloud_file',
      owner: p.owner,
    };
    const running = this.tasks.findIndex((t) => t.id === task.id);
    if (running >= 0) this.tasks[running] = task;
    else this.tasks.unshift(task);
    this.pushMessage(p.owner, task, at);
  }

  private pushMessage(owner: string, task: PrintTask, at: number): void {
    this.messages.unshift({
      id: String(this.nextMessageId++),
      type: 6,
      taskMessage: { id: task.id, title: task.title, cover: task.cover, status: task.status, deviceId: task.deviceId },
      from: { uid: '0', name: 'Armory', avatar: '', isFollowed: false },
      createTime: new Date(at).toISOString(),
      owner,
    });
    if (this.messages.length > 2000) this.messages.length = 2000;
  }

  private seedHistory(spec: SandboxPrinterSpec, owner: string, now: number): void {
    const statuses = [2, 2, 3, 2, 2, 4, 2, 2, 3, 2, 1];
    const seeded: (PrintTask & { owner: string })[] = [];
    for (let i = this.o.seedTasks; i >= 1; i--) {
      const end = now - i * 3_600_000;
      const status = statuses[i % statuses.length] ?? 2;
      const id = this.newTaskId();
      seeded.push({
        id,
        modelId: `US${id.slice(-6)}`,
        title: this.titleFor(spec.devId, -i),
        cover: this.coverUrl(id),
        status,
        startTime: new Date(end - 2_400_000).toISOString(),
        endTime: new Date(end).toISOString(),
        weight: 10 + (i % 30),
        costTime: '2700',
        deviceId: spec.devId,
        mode: 'cloud_file',
        owner,
      });
    }
    this.tasks.push(...seeded);
    this.sortTasks();
  }

  private seedMessages(owner: string, now: number): void {
    const recent = this.tasks.filter((t) => t.owner === owner && t.status === 2).slice(0, 2).reverse();
    for (const t of recent) this.pushMessage(owner, t, now - 600_000);
  }

  private newTaskId(): string {
    return String(this.nextTaskId++);
  }

  private titleFor(devId: string, n: number): string {
    let h = n;
    for (const ch of devId) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
    return TITLES[h % TITLES.length] ?? 'Print';
  }

  /** Stored as a path; the image host's address is added when answering (it starts after the world). */
  private coverUrl(taskId: string): string {
    return `/covers/${taskId}.jpg`;
  }

  private absolute(cover: string): string {
    if (!cover.startsWith('/covers/')) return cover;
    const base = this.options.coverBase?.();
    return base ? `${base}${cover}` : '';
  }
}

function clampLimit(limit: number): number {
  return limit <= 0 ? 20 : Math.min(limit, 50);
}
