import { backoffDelay, Listeners, Poller } from '../../shared/async';
import type { PastJob } from '../devices/driver';
import type { DeviceChange, DeviceProvider } from '../devices/fleet';
import type { Device, PrintDeviceStatus, PrintTask } from '../gen/armory/v1/armory';
import type { Logger } from '../log';
import type { ArmoryApi } from './armory/armory-api';
import { ArmoryError } from './armory/errors';
import type { CloudSession } from './cloud-session';
import { CloudPrinterDriver } from './cloud-printer';
import { pastJobOfTask } from './past-tasks';
import { cloudPrinterStatus, isUsableDevId, type CloudDeviceFacts, type CloudJobFacts, type CloudOutcome, type CloudStaleness } from './printer-status';

export interface PollIntervals {
  /** While any printer prints: progress moves, so look often. */
  printingMs: number;
  /** When everything is idle. */
  idleMs: number;
  /** How often the device list (names, models, bindings) is re-read. */
  devicesMs: number;
  /** The longest wait after repeated failures. */
  maxBackoffMs: number;
}

export const DEFAULT_INTERVALS: PollIntervals = { printingMs: 5_000, idleMs: 30_000, devicesMs: 300_000, maxBackoffMs: 120_000 };

/** The next poll: fast while printing, slow when idle, backing off (with jitter) after failures. */
export function nextPollDelay(anyPrinting: boolean, failures: number, intervals: PollIntervals, random: () => number = Math.random): number {
  const normal = anyPrinting ? intervals.printingMs : intervals.idleMs;
  if (failures === 0) return normal;
  // Equal jitter: accounts that failed together spread out, yet none polls again at once.
  return Math.max(normal, backoffDelay(failures - 1, { baseMs: intervals.printingMs, maxMs: intervals.maxBackoffMs, jitter: 'equal' }, random));
}

/** A task whose end we saw in the print status but whose outcome the history has not told yet. */
interface PendingEnd {
  job: CloudJobFacts;
  attempts: number;
}

interface Entry {
  facts: CloudDeviceFacts;
  job: CloudJobFacts | null;
  pending: PendingEnd | null;
  outcome: CloudOutcome | null;
  driver: CloudPrinterDriver | null;
  /** When the cloud last told us about this printer. */
  seenAt: number;
}

const MAX_DEVICES = 5_000;
const MAX_TASK_FACTS = 5_000;
const OUTCOME_ATTEMPTS = 3;
const PER_DEVICE_LOOKUPS = 5;
const PAST_TASK_PAGE = 20;
const PAST_TASK_PAGES = 10;

/**
 * The account's printers: reads the device list and the print status on an adaptive schedule,
 * learns task titles and outcomes from the history, and keeps one CloudPrinterDriver per printer
 * that the fleet sees through `provider()`.
 */
export class CloudPrinters {
  private readonly entries = new Map<string, Entry>();
  private readonly taskFacts = new Map<string, { title: string; status: number }>();
  private readonly titleTries = new Map<string, number>();
  private readonly announcedTasks = new Set<string>();
  private readonly listeners: Listeners<[DeviceChange]>;
  private readonly poller = new Poller({
    poll: (force) => this.step(force),
    next: () => (this.deps.session.state === 'signed-in' ? nextPollDelay(this.anyPrinting(), this.failures, this.intervals) : null),
    settled: () => this.onPolled?.(),
    unref: true,
  });
  private failures = 0;
  private devicesReadAt = 0;
  syncedAt: number | null = null;
  syncProblem: string | null = null;
  /** Called after each poll, e.g. to publish the account's sync state. */
  onPolled: (() => void) | null = null;

  constructor(
    private readonly deps: {
      connectionId: string;
      session: CloudSession;
      api: ArmoryApi;
      log: Logger;
      intervals?: PollIntervals;
      now?: () => number;
    },
  ) {
    this.listeners = new Listeners((err) => deps.log.error('cloud printer change listener failed', err));
  }

  private get intervals(): PollIntervals {
    return this.deps.intervals ?? DEFAULT_INTERVALS;
  }
  private now(): number {
    return (this.deps.now ?? Date.now)();
  }

  get count(): number {
    return this.entries.size;
  }

  nameOf(devId: string): string | null {
    return this.entries.get(devId)?.facts.name ?? null;
  }

  provider(): DeviceProvider {
    return {
      start: () => this.start(),
      stop: async () => this.stop(),
      drivers: () => [...this.entries.values()].flatMap((e) => (e.driver ? [e.driver] : [])),
      onChange: (listener) => this.listeners.add(listener),
    };
  }

  start(): void {
    if (this.poller.running) return;
    this.poller.start();
    this.sessionChanged();
  }

  stop(): void {
    this.poller.stop();
  }

  /** React to sign-in, sign-out and expiry. */
  sessionChanged(): void {
    const state = this.deps.session.state;
    if (state === 'signed-in') {
      this.poller.schedule(0);
      return;
    }
    this.poller.cancel();
    if (state === 'expired') this.publish({ reason: 'sign-in', message: this.deps.session.message ?? 'Sign in to the cloud account again.' });
    else if (state === 'signed-out') this.removeAll();
  }

  /** A manual refresh: device list and print status with `force`, now. */
  async refresh(): Promise<void> {
    await this.poller.idle();
    await this.poller.poll(true);
  }

  private async step(force: boolean): Promise<void> {
    const { session, api } = this.deps;
    if (session.state !== 'signed-in') return;
    try {
      const stale = this.now() - this.devicesReadAt >= this.intervals.devicesMs;
      if (force || stale || this.entries.size === 0) await this.readDevices();
      const status = await session.authed((t) => api.getPrintStatus(t, force));
      if (status.devices.some((d) => isUsableDevId(d.devId) && !this.entries.has(d.devId))) {
        // A printer bound since the last list: read the list again to learn its name and model.
        await this.readDevices();
      }
      this.applyPrintStatus(status.devices);
      await this.resolveTasks();
      this.failures = 0;
      this.syncProblem = null;
      this.syncedAt = this.now();
      this.publish(null);
    } catch (err) {
      if (session.state !== 'signed-in') return; // the session reports it
      this.failures += 1;
      this.syncProblem = err instanceof Error ? err.message : String(err);
      // What the cards show is now only the last thing heard: mark it stale rather than frozen.
      this.publish({ reason: 'unreachable', message: `The cloud does not answer, so this is the last state it reported. ${this.syncProblem}` });
      if (err instanceof ArmoryError) this.deps.log.warn(`cloud poll failed (${this.failures} in a row)`, this.syncProblem);
      else this.deps.log.error('cloud poll failed unexpectedly', err);
    }
  }

  private async readDevices(): Promise<void> {
    const { session, api } = this.deps;
    const res = await session.authed((t) => api.listUserDevices(t));
    this.devicesReadAt = this.now();
    this.applyDevices(res.devices);
  }

  private applyDevices(devices: Device[]): void {
    const seen = new Set<string>();
    for (const d of devices.slice(0, MAX_DEVICES)) {
      if (!isUsableDevId(d.devId) || seen.has(d.devId)) continue;
      seen.add(d.devId);
      const facts: CloudDeviceFacts = { devId: d.devId, name: d.name, online: d.online, modelName: d.devModelName, productName: d.devProductName };
      const entry = this.entries.get(d.devId);
      if (entry) {
        entry.facts = facts;
        entry.seenAt = this.now();
      } else this.entries.set(d.devId, { facts, job: null, pending: null, outcome: null, driver: null, seenAt: this.now() });
    }
    for (const [devId, entry] of this.entries) {
      if (seen.has(devId)) continue;
      this.entries.delete(devId);
      if (entry.driver) this.emit({ type: 'removed', deviceId: entry.driver.deviceId });
    }
  }

  private applyPrintStatus(devices: PrintDeviceStatus[]): void {
    for (const s of devices) {
      const entry = this.entries.get(s.devId);
      if (!entry) continue;
      entry.facts = { ...entry.facts, online: s.devOnline, name: entry.facts.name || s.devName };
      entry.seenAt = this.now();
      const taskId = /^[0-9A-Za-z_-]{1,64}$/.test(s.taskId) ? s.taskId : '';
      const before = entry.job;
      if (before && before.taskId !== taskId) entry.pending = { job: before, attempts: 0 };
      if (taskId) {
        const progress = Number.isFinite(s.progress) ? Math.min(100, Math.max(0, s.progress)) : 0;
        const title = this.taskFacts.get(taskId)?.title ?? (before?.taskId === taskId ? before.title : null);
        entry.job = { taskId, progress, title };
        if (!before || before.taskId !== taskId) entry.outcome = null;
      } else {
        entry.job = null;
      }
    }
  }

  /** Titles of running tasks and outcomes of ended ones, from the history: one account-wide page first. */
  private async resolveTasks(): Promise<void> {
    const entries = [...this.entries.values()];
    const needTitle = entries.filter((e) => e.job && e.job.title === null && (this.titleTries.get(e.job.taskId) ?? 0) < OUTCOME_ATTEMPTS);
    const needOutcome = entries.filter((e) => e.pending);
    if (needTitle.length === 0 && needOutcome.length === 0) return;
    const { session, api } = this.deps;
    this.learn((await session.authed((t) => api.listMyTasks(t, { deviceId: '', after: '', limit: 50 }))).hits);
    const missing = needOutcome.filter((e) => e.pending && !this.taskFacts.has(e.pending.job.taskId)).slice(0, PER_DEVICE_LOOKUPS);
    for (const e of missing) {
      this.learn((await session.authed((t) => api.listMyTasks(t, { deviceId: e.facts.devId, after: '', limit: 20 }))).hits);
    }
    for (const e of needTitle) {
      if (!e.job) continue;
      const fact = this.taskFacts.get(e.job.taskId);
      if (fact) e.job = { ...e.job, title: fact.title };
      else this.titleTries.set(e.job.taskId, (this.titleTries.get(e.job.taskId) ?? 0) + 1);
    }
    for (const e of needOutcome) {
      const pending = e.pending;
      if (!pending) continue;
      const fact = this.taskFacts.get(pending.job.taskId);
      const ended = fact && (fact.status === 2 || fact.status === 3);
      pending.attempts += 1;
      if (ended || pending.attempts >= OUTCOME_ATTEMPTS) {
        e.pending = null;
        if (!e.job) e.outcome = { taskId: pending.job.taskId, title: fact?.title ?? pending.job.title, status: fact?.status ?? 0 };
        if (ended) this.rememberAnnounced(pending.job.taskId);
      }
    }
  }

  /** True when this printer's end-of-task (finished/failed) already went through the fleet's notices. */
  announced(taskId: string): boolean {
    return this.announcedTasks.has(taskId);
  }

  private rememberAnnounced(taskId: string): void {
    this.announcedTasks.add(taskId);
    if (this.announcedTasks.size > 1_000) {
      const first = this.announcedTasks.values().next().value;
      if (first !== undefined) this.announcedTasks.delete(first);
    }
  }

  private learn(tasks: PrintTask[]): void {
    for (const t of tasks) this.taskFacts.set(t.id, { title: t.title.slice(0, 400), status: t.status });
    while (this.taskFacts.size > MAX_TASK_FACTS) {
      const oldest = this.taskFacts.keys().next().value;
      if (oldest === undefined) break;
      this.taskFacts.delete(oldest);
    }
    if (this.titleTries.size > MAX_TASK_FACTS) this.titleTries.clear();
  }

  private anyPrinting(): boolean {
    for (const e of this.entries.values()) if (e.job || e.pending) return true;
    return false;
  }

  /** Builds every printer's snapshot and forwards those that changed. */
  private publish(stale: Omit<CloudStaleness, 'lastSeenAt'> | null): void {
    const now = this.now();
    for (const e of this.entries.values()) {
      const status = cloudPrinterStatus({
        connectionId: this.deps.connectionId,
        device: e.facts,
        // Until the history says how an ended task went, it still shows as printing.
        job: e.job ?? e.pending?.job ?? null,
        outcome: e.outcome,
        stale: stale ? { ...stale, lastSeenAt: e.seenAt } : null,
        now,
      });
      if (!e.driver) {
        const devId = e.facts.devId;
        e.driver = new CloudPrinterDriver(status, (since) => this.pastTasks(devId, since));
        this.emit({ type: 'status', status });
      } else if (e.driver.update(status)) {
        this.emit({ type: 'status', status });
      }
    }
  }

  /** One printer's finished tasks that ended since `since` (ms), newest first, a few pages at most. */
  private async pastTasks(devId: string, since: number | null): Promise<PastJob[]> {
    const { session, api } = this.deps;
    const out: PastJob[] = [];
    let after = '';
    for (let page = 0; page < PAST_TASK_PAGES; page++) {
      const reply = await session.authed((t) => api.listMyTasks(t, { deviceId: devId, after, limit: PAST_TASK_PAGE }));
      let older = false;
      for (const task of reply.hits) {
        if (task.deviceId && task.deviceId !== devId) continue;
        const past = pastJobOfTask(task);
        // Tasks come newest first; one that started before `since` ends the reading (the importer reads with an overlap).
        if (since !== null && Date.parse(task.startTime) < since) older = true;
        if (past && (since === null || past.endedAt >= since)) out.push(past);
      }
      const last = reply.hits.at(-1);
      if (older || !last || reply.hits.length < PAST_TASK_PAGE) break;
      after = last.id;
    }
    return out;
  }

  private removeAll(): void {
    for (const e of this.entries.values()) if (e.driver) this.emit({ type: 'removed', deviceId: e.driver.deviceId });
    this.entries.clear();
    this.devicesReadAt = 0;
  }

  private emit(change: DeviceChange): void {
    this.listeners.emit(change);
  }
}
