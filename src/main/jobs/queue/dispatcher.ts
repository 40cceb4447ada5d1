import type { DeviceStatus, QueueJob, QueueSnapshot } from '../../../shared/contract';
import { isJobActive } from '../../../shared/domain/device-state';
import { Pump } from '../../../shared/async';
import { AppError } from '../../../shared/rpc/result';
import type { PrinterProfile } from '../../devices/print-profiles';
import type { PrintTransition } from '../../devices/print-sessions';
import type { Logger } from '../../log';
import { incompatibility } from './compatibility';
import { freedom, planDispatch, type PlanPrinter } from './plan';
import type { QueueStore, StoredJob } from './queue-store';

/** What the dispatcher needs from the fleet, so tests hand it fakes and a fake clock. */
export interface DispatchPort {
  devices(): DeviceStatus[];
  profileOf(status: DeviceStatus): PrinterProfile;
  /** Sends the job's file and resolves once the printer accepted it (the printers' transfer path). */
  send(deviceId: string, file: { path: string; name: string }, jobId: string): Promise<void>;
  now(): number;
  /** Waits before a pass, so a burst of status changes makes one pass (0 in tests). */
  settle(): Promise<void>;
}

/** How long a printer that refused a start rests before the queue tries it again. */
export const REST_AFTER_FAILED_START_MS = 30_000;

/**
 * Starts queued jobs on free printers. A pass plans in memory (planDispatch), then claims each
 * job and printer in one transaction and sends the file; a failed start puts the job back with
 * the reason. A job the store says is `starting` after a restart is reconciled with what its
 * printer is doing once it is seen online: printing that file → printing; idle → queued again.
 */
export class Dispatcher {
  private readonly reasons = new Map<string, string>();
  private readonly rest = new Map<string, number>();
  /** Jobs `starting` when this process began: their start is confirmed by the printer, not by a send. */
  private readonly unconfirmed = new Set<string>();
  private readonly sending = new Set<string>();
  private readonly names = new Map<string, string>();
  private readonly pump: Pump;
  private stopped = false;
  revision = 0;

  constructor(
    private readonly store: QueueStore,
    private readonly port: DispatchPort,
    private readonly log: Logger,
    private readonly changed: (revision: number) => void,
  ) {
    for (const job of store.inState('starting', 'printing')) this.unconfirmed.add(job.id);
    this.pump = new Pump({
      drain: async () => {
        await this.port.settle();
        if (!this.stopped) this.pass();
      },
      halted: () => this.stopped,
    });
  }

  /** Asks for a pass soon (status changes, new jobs, a bed cleared). */
  poke(): Promise<void> {
    return this.pump.request();
  }

  stop(): void {
    this.stopped = true;
  }

  snapshot(): QueueSnapshot {
    return {
      jobs: this.store.list().map((job) => this.view(job)),
      printers: this.store.printers(),
      revision: this.revision,
    };
  }

  /** A stored job as the contract shows it: without its path, with why it waits. */
  view(job: StoredJob): QueueJob {
    return { ...stripPath(job), waitReason: job.state === 'queued' ? (this.reasons.get(job.id) ?? null) : null };
  }

  notify(): void {
    this.revision += 1;
    this.changed(this.revision);
  }

  /** A device reported a print starting or ending, or its status: keeps queue jobs in step with it. */
  observe(status: DeviceStatus, transition: PrintTransition | null): void {
    // Written only when a printer is new or renamed: statuses arrive several times a second per printer.
    if (this.names.get(status.deviceId) !== status.name) {
      this.store.seePrinter(status.deviceId, status.name);
      this.names.set(status.deviceId, status.name);
    }
    const job = this.store.activeOn(status.deviceId);
    if (job && status.link === 'online') {
      if (this.unconfirmed.has(job.id)) this.reconcile(job, status);
      else if (
        transition?.type === 'ended' &&
        (job.state === 'printing' || (job.state === 'starting' && !this.sending.has(job.id)))
      ) {
        const outcome = transition.outcome === 'success' ? 'done' : transition.outcome;
        const after = this.store.finish(job.id, outcome, transition.reason, this.port.now());
        if (after.state === 'queued') this.log.info(`${job.fileName} failed on ${status.name}; queued again`);
        this.notify();
      }
    }
    void this.poke();
  }

  private reconcile(job: StoredJob, status: DeviceStatus): void {
    this.unconfirmed.delete(job.id);
    if (job.state === 'starting') {
      if (isJobActive(status.state)) this.store.markPrinting(job.id);
      // A printer showing a finished print took the job and printed it while Printdeck was away.
      else if (status.state === 'done') this.store.finish(job.id, 'done', null, this.port.now());
      else
        this.store.unclaim(
          job.id,
          `Printdeck stopped while starting it on ${status.name}, which did not start it; queued again.`,
        );
    } else if (!isJobActive(status.state)) {
      const failed = status.state === 'error';
      this.store.finish(
        job.id,
        failed ? 'failed' : 'done',
        failed ? (status.problem?.message ?? status.stateText) : null,
        this.port.now(),
      );
    }
    this.notify();
  }

  /** Marks a printer's bed as cleared, so the next job may start there. */
  bedCleared(deviceId: string) {
    const job = this.store.activeOn(deviceId);
    if (job)
      throw new AppError(
        'CONFLICT',
        `${job.deviceName ?? 'The printer'} is still ${job.state === 'starting' ? 'starting' : 'printing'} ${job.fileName}.`,
      );
    const printer = this.store.setPrinter(deviceId, { bedClear: true });
    this.rest.delete(deviceId);
    this.notify();
    void this.poke();
    return printer;
  }

  /** One dispatch pass: plan, then claim and send. Returns the jobs it started. */
  pass(): string[] {
    const waiting = this.store.waiting();
    if (waiting.length === 0) {
      // Nothing to place, so no printer need be asked about (a pass is requested on every status of every printer).
      const hadReasons = this.reasons.size > 0;
      this.reasons.clear();
      if (hadReasons) this.notify();
      return [];
    }
    const now = this.port.now();
    const printers: PlanPrinter[] = this.port.devices().map((status) => this.planPrinter(status));
    const plan = planDispatch(waiting, printers, now);
    const reasonsChanged = !sameReasons(this.reasons, plan.reasons);
    this.reasons.clear();
    for (const [id, why] of plan.reasons) this.reasons.set(id, why);
    const started: string[] = [];
    for (const { jobId, deviceId } of plan.starts) {
      const printer = printers.find((p) => p.status.deviceId === deviceId)!;
      if (!this.store.claim(jobId, deviceId, printer.status.name, now)) continue;
      started.push(jobId);
      // The outcome is in the store and the log; nobody waits for a start the planner chose.
      this.start(this.store.get(jobId), deviceId, printer.status.name).catch(() => undefined);
    }
    if (started.length > 0 || reasonsChanged) this.notify();
    return started;
  }

  /**
   * Starts one waiting job on one printer now, as asked from outside the planner (an MQTT
   * command): the same checks a pass makes (the printer free, its bed cleared, the file fits it),
   * except the job's target, since the request names the printer. Resolves once the printer took it.
   */
  async startQueued(jobId: string, deviceId: string): Promise<void> {
    const job = this.store.get(jobId);
    if (job.state !== 'queued') throw new AppError('CONFLICT', `${job.fileName} is ${job.state}, not waiting in the queue.`);
    if (job.held) throw new AppError('CONFLICT', `${job.fileName} is held; release it first.`);
    const status = this.port.devices().find((d) => d.deviceId === deviceId);
    if (!status) throw new AppError('NOT_FOUND', 'That printer is not connected to this host.');
    const printer = this.planPrinter(status);
    const free = freedom(printer, this.port.now());
    if (!free.free) throw new AppError('CONFLICT', `Cannot start ${job.fileName} now: ${free.why}.`);
    const why = incompatibility(job.facts, printer.profile, status.name);
    if (why) throw new AppError('UNSUPPORTED', why);
    if (!this.store.claim(job.id, deviceId, status.name, this.port.now())) {
      throw new AppError('CONFLICT', `${job.fileName} or ${status.name} was taken by another start a moment ago.`);
    }
    this.notify();
    await this.start(this.store.get(job.id), deviceId, status.name);
  }

  private planPrinter(status: DeviceStatus): PlanPrinter {
    return {
      status,
      profile: this.port.profileOf(status),
      settings: this.store.printer(status.deviceId),
      hasJob: this.store.activeOn(status.deviceId) !== null,
      restUntil: this.rest.get(status.deviceId) ?? 0,
    };
  }

  /** Sends a claimed job; rejects (after putting the job back with the reason) when the printer did not take it. */
  private start(job: StoredJob, deviceId: string, printerName: string): Promise<void> {
    this.sending.add(job.id);
    return this.port
      .send(deviceId, { path: job.filePath, name: job.fileName }, job.id)
      .then(
        () => {
          this.store.markPrinting(job.id);
          this.log.info(`started ${job.fileName} on ${printerName}`);
        },
        (err: unknown) => {
          const message = err instanceof Error ? err.message : String(err);
          this.store.unclaim(job.id, `Could not start on ${printerName}: ${message}`);
          this.rest.set(deviceId, this.port.now() + REST_AFTER_FAILED_START_MS);
          this.log.warn(`starting ${job.fileName} on ${printerName} failed`, message);
          throw err;
        },
      )
      .finally(() => {
        this.sending.delete(job.id);
        if (this.stopped) return;
        this.notify();
        void this.poke();
      });
  }
}

function stripPath(job: StoredJob): Omit<StoredJob, 'filePath'> {
  const { filePath: _path, ...rest } = job;
  return rest;
}

function sameReasons(a: Map<string, string>, b: Map<string, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}
