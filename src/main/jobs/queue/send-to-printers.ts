import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { FileSource, QueueFileFacts, SendPlanEntry, SendResult } from '../../../shared/contract';
import { AppError } from '../../../shared/rpc/result';
import { formatOf } from '../../devices/print-profiles';
import type { DomainContext } from '../../domain';
import type { CallContext } from '../../rpc/registrar';
import type { JobFiles } from './job-files';
import type { NewJob, QueueStore } from './queue-store';
import { planSend, type SendCandidate } from './send-plan';

type Ctx = Pick<DomainContext, 'fleet' | 'profiles' | 'transfers' | 'staging' | 'picked' | 'log'>;

interface Deps {
  ctx: Ctx;
  files: JobFiles;
  store: QueueStore;
  now(): number;
  /** The queue changed: tell clients, let the dispatcher look. */
  changed(): void;
}

interface SendRequest {
  file: FileSource;
  name?: string | undefined;
}

/**
 * One file to several printers (the fleet's multi-select): `check` reads the file once and answers
 * per printer; `send` takes the file once, queues it for the printers asked to queue it and starts
 * it on the others, judging every printer again since the check (the person may have waited).
 */
export class SendToPrinters {
  constructor(private readonly deps: Deps) {}

  async check(req: SendRequest & { deviceIds: readonly string[] }, call: CallContext): Promise<{ fileName: string; printers: SendPlanEntry[] }> {
    const { ctx } = this.deps;
    const source = await ctx.picked.admitSource(req.file, call, 'file');
    // A staged file is only looked at: it stays for the send (or its cancel).
    const file = source.kind === 'staged' ? ctx.staging.peek(source.stagedId) : { path: source.path, name: path.basename(source.path) };
    const fileName = nameOf(req.name, file, source.kind);
    const facts = await this.deps.files.facts(file.path, formatOrRefuse(fileName));
    return { fileName, printers: planSend(facts, req.deviceIds, this.candidates()) };
  }

  async send(
    req: SendRequest & { print: readonly string[]; queue: readonly string[] },
    call: CallContext,
  ): Promise<{ fileName: string; results: SendResult[] }> {
    const { ctx } = this.deps;
    const source = await ctx.picked.admitSource(req.file, call, 'file');
    const stagedId = source.kind === 'staged' ? source.stagedId : null;
    const file: { path: string; name: string; size?: number } =
      source.kind === 'staged' ? ctx.staging.resolve(source.stagedId) : { path: source.path, name: path.basename(source.path) };
    const transfers: Promise<void>[] = [];
    try {
      const fileName = nameOf(req.name, file, source.kind);
      const facts = await this.deps.files.facts(file.path, formatOrRefuse(fileName));
      const plan = new Map(planSend(facts, [...req.print, ...req.queue], this.candidates()).map((e) => [e.deviceId, e]));
      const results = new Map<string, SendResult>();
      const result = (e: SendPlanEntry, r: Pick<SendResult, 'outcome'> & Partial<SendResult>): void => {
        results.set(e.deviceId, { deviceId: e.deviceId, name: e.name, transferId: null, jobId: null, message: null, ...r });
      };

      const toQueue = req.queue.map((id) => plan.get(id)!).filter((e) => {
        if (e.plan !== 'skip') return true;
        result(e, { outcome: 'skipped', message: e.reason });
        return false;
      });
      if (toQueue.length > 0) {
        for (const [deviceId, jobId] of await this.queue(file.path, fileName, facts, toQueue.map((e) => e.deviceId))) {
          result(plan.get(deviceId)!, { outcome: 'queued', jobId, message: `Queued for ${plan.get(deviceId)!.name}.` });
        }
      }

      const origin = call.transport === 'websocket' ? 'browser' : 'desktop';
      for (const id of req.print) {
        const e = plan.get(id)!;
        if (e.plan !== 'print') {
          result(e, { outcome: 'skipped', message: e.plan === 'busy' ? `${e.reason} Queue it there instead.` : e.reason });
          continue;
        }
        try {
          const started = ctx.transfers.sendOwned(id, { path: file.path, name: fileName, ...(file.size === undefined ? {} : { size: file.size }) }, origin);
          transfers.push(started.done);
          result(e, { outcome: 'sending', transferId: started.transferId });
        } catch (err) {
          result(e, { outcome: 'failed', message: err instanceof Error ? err.message : String(err) });
        }
      }
      return { fileName, results: [...req.print, ...req.queue].map((id) => results.get(id)!) };
    } finally {
      // The file is used once: given back at once when nothing was started from it, else when the last transfer ends.
      if (stagedId && transfers.length > 0) void settleThenRelease(transfers, () => ctx.staging.release(stagedId));
      else if (stagedId) await ctx.staging.release(stagedId);
    }
  }

  private candidates(): Map<string, SendCandidate> {
    const { fleet, profiles, transfers } = this.deps.ctx;
    return new Map(
      fleet.list().map((status) => [status.deviceId, { status, profile: profiles.profileOf(status), receiving: transfers.receiving(status.deviceId) }]),
    );
  }

  /** One copy of the file in the queue's folder, one job per printer, each targeted at its printer. */
  private async queue(file: string, fileName: string, facts: QueueFileFacts, deviceIds: readonly string[]): Promise<Map<string, string>> {
    const { files, store } = this.deps;
    const fileId = randomUUID();
    const taken = await files.take(file, fileName, fileId, facts);
    const jobs: NewJob[] = deviceIds.map((deviceId, i) => ({
      id: i === 0 ? fileId : randomUUID(),
      fileName,
      filePath: taken.path,
      size: taken.size,
      facts: taken.facts,
      target: { kind: 'printer', deviceId },
      priority: 0,
      held: false,
      copyIndex: 1,
      copyCount: 1,
      requeueOnFailure: false,
    }));
    try {
      store.add(jobs, this.deps.now());
    } catch (err) {
      await files.drop(taken.path);
      throw err;
    }
    this.deps.changed();
    return new Map(jobs.map((j) => [(j.target as { deviceId: string }).deviceId, j.id]));
  }
}

/** The name the file prints under: a local file keeps its own extension, whatever the label. */
function nameOf(requested: string | undefined, file: { path: string; name: string }, kind: FileSource['kind']): string {
  const name = requested ?? file.name;
  const own = kind === 'staged' ? file.name : file.path;
  if (path.extname(name).toLowerCase() !== path.extname(own).toLowerCase()) {
    throw new AppError('BAD_REQUEST', `"${name}" must keep the file's own extension (${path.extname(own) || 'none'}).`, 'name');
  }
  return name;
}

function formatOrRefuse(fileName: string): 'gcode' | '3w' {
  const format = formatOf(fileName);
  if (!format) throw new AppError('BAD_REQUEST', `Printdeck prints .gcode and .3w files; "${fileName}" is neither.`, 'file');
  return format;
}

async function settleThenRelease(transfers: readonly Promise<void>[], release: () => Promise<void>): Promise<void> {
  await Promise.allSettled(transfers);
  await release();
}
