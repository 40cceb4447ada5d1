import type { DeviceStatus, QueuePrinter, QueueTarget } from '../../../shared/contract';
import { isPrinterBusy } from '../../../shared/domain/device-state';
import type { PrinterProfile } from '../../devices/print-profiles';
import { incompatibility } from './compatibility';
import type { StoredJob } from './queue-store';

/** A printer as the planner sees it: its live status, what it can print, and its queue settings. */
export interface PlanPrinter {
  status: DeviceStatus;
  profile: PrinterProfile;
  settings: QueuePrinter;
  /** A queue job is starting or printing there. */
  hasJob: boolean;
  /** After a failed start the printer rests until then (ms), so a refusing printer is not hammered. */
  restUntil: number;
}

export interface Plan {
  starts: { jobId: string; deviceId: string }[];
  /** Why each waiting job that does not start now waits, in words. */
  reasons: Map<string, string>;
}

export type Freedom = { free: true } | { free: false; why: string };

/** Whether a printer may take a job now, and why not in words. */
export function freedom(p: PlanPrinter, now: number): Freedom {
  const name = p.status.name;
  if (p.status.link !== 'online') return { free: false, why: `${name} is ${p.status.link}` };
  if (!p.status.capabilities.print) return { free: false, why: `${name} cannot be sent files` };
  if (p.hasJob) return { free: false, why: `${name} is busy with a queued job` };
  if (
    isPrinterBusy(p.status.state) ||
    p.status.state === 'error' ||
    p.status.state === 'unknown' ||
    p.status.state === 'offline'
  ) {
    return { free: false, why: `${name} is ${p.status.stateText.toLowerCase() || p.status.state}` };
  }
  if (!p.settings.bedClear && !p.settings.autoClear)
    return { free: false, why: `the bed of ${name} has not been cleared` };
  if (now < p.restUntil) return { free: false, why: `${name} refused the last start; trying again shortly` };
  return { free: true };
}

export function targets(target: QueueTarget, p: PlanPrinter): boolean {
  if (target.kind === 'any') return true;
  if (target.kind === 'printer') return target.deviceId === p.status.deviceId;
  return p.settings.tags.some((t) => t.toLowerCase() === target.tag.toLowerCase());
}

function describeTarget(target: QueueTarget): string {
  if (target.kind === 'printer') return 'its printer';
  if (target.kind === 'tag') return `a printer tagged "${target.tag}"`;
  return 'a printer';
}

/**
 * Which waiting job starts on which free printer, in queue order (priority, then position): each
 * job takes the first free printer that it targets and that can print it. Pure: the same inputs give
 * the same plan, so the decisions are tested without printers or a clock.
 */
export function planDispatch(jobs: readonly StoredJob[], printers: readonly PlanPrinter[], now: number): Plan {
  const starts: Plan['starts'] = [];
  const reasons = new Map<string, string>();
  const taken = new Set<string>();
  const free = new Map(printers.map((p) => [p.status.deviceId, freedom(p, now)]));
  // Jobs of one file and target (copies, repeats) have the same candidates: judged once per pass.
  const judged = new Map<string, { compatible: PlanPrinter[]; refusals: string[]; matching: number }>();
  const judge = (job: StoredJob) => {
    const key = `${JSON.stringify(job.target)}|${JSON.stringify(job.facts)}`;
    let verdict = judged.get(key);
    if (!verdict) {
      const matching = printers.filter((p) => targets(job.target, p));
      const compatible: PlanPrinter[] = [];
      const refusals: string[] = [];
      for (const p of matching) {
        const why = incompatibility(job.facts, p.profile, p.status.name);
        if (why) refusals.push(why);
        else compatible.push(p);
      }
      verdict = { compatible, refusals, matching: matching.length };
      judged.set(key, verdict);
    }
    return verdict;
  };
  for (const job of jobs) {
    if (job.state !== 'queued') continue;
    if (job.held) {
      reasons.set(job.id, 'Held: release it to print.');
      continue;
    }
    const { compatible, refusals, matching } = judge(job);
    if (matching === 0) {
      reasons.set(
        job.id,
        job.target.kind === 'printer'
          ? 'Its printer is not connected.'
          : `No printer matches: waiting for ${describeTarget(job.target)}.`,
      );
      continue;
    }
    if (compatible.length === 0) {
      reasons.set(job.id, `No matching printer can print it. ${summarizeRefusals(refusals)}`);
      continue;
    }
    const chosen = compatible.find((p) => !taken.has(p.status.deviceId) && free.get(p.status.deviceId)?.free);
    if (chosen) {
      taken.add(chosen.status.deviceId);
      starts.push({ jobId: job.id, deviceId: chosen.status.deviceId });
      continue;
    }
    const whys = compatible.slice(0, 3).map((p) => {
      const f = free.get(p.status.deviceId);
      return taken.has(p.status.deviceId)
        ? `${p.status.name} takes an earlier job`
        : f && !f.free
          ? f.why
          : `${p.status.name} is busy`;
    });
    const more = compatible.length - whys.length;
    reasons.set(job.id, `Waiting: ${whys.join('; ')}${more > 0 ? ` (and ${more} more)` : ''}.`);
  }
  return { starts, reasons };
}

/**
 * Several printers refused a file for the same reason ("The file was made for X; P takes Y."):
 * the reason is said once and the printers listed after it, at most `max` of them, instead of
 * repeating the sentence per printer.
 */
export function summarizeRefusals(refusals: readonly string[], max = 3): string {
  const groups = new Map<string, string[]>();
  for (const refusal of refusals) {
    const cut = refusal.indexOf('; ');
    const head = cut < 0 ? refusal : refusal.slice(0, cut);
    const tail = cut < 0 ? null : refusal.slice(cut + 2).replace(/\.$/, '');
    const tails = groups.get(head) ?? [];
    if (tail !== null && !tails.includes(tail)) tails.push(tail);
    groups.set(head, tails);
  }
  const sentences: string[] = [];
  for (const [head, tails] of groups) {
    if (tails.length === 0) {
      sentences.push(head);
      continue;
    }
    const shown = tails.slice(0, max).join('; ');
    const more = tails.length > max ? ` and ${tails.length - max} more` : '';
    sentences.push(`${head}; ${shown}${more}.`);
  }
  return sentences.slice(0, max).join(' ');
}
