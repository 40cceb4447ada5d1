import type { SendPlanEntry, SendResult, TransferProgress } from '../../shared/contract';

/** The calls' answer for one printer, and what is shown for it. */
export type SendRowState = 'working' | 'started' | 'queued' | 'skipped' | 'failed';

export interface SendRow {
  deviceId: string;
  name: string;
  state: SendRowState;
  text: string;
  /** 0..1 while the file travels to the printer; null when not known or not sending. */
  progress: number | null;
}

/** What the confirmation sends: the printers that will print, and the busy ones the person chose to queue on. */
export function sendRequestOf(plan: readonly SendPlanEntry[], queueOnBusy: ReadonlySet<string>): { print: string[]; queue: string[] } {
  return {
    print: plan.filter((e) => e.plan === 'print').map((e) => e.deviceId),
    queue: plan.filter((e) => e.plan === 'busy' && queueOnBusy.has(e.deviceId)).map((e) => e.deviceId),
  };
}

/** The printers the confirmation left out (skipped, or busy and not queued), with why; they are not sent to the host. */
export function leftOut(plan: readonly SendPlanEntry[], queueOnBusy: ReadonlySet<string>): SendRow[] {
  return plan
    .filter((e) => e.plan === 'skip' || (e.plan === 'busy' && !queueOnBusy.has(e.deviceId)))
    .map((e) => ({ deviceId: e.deviceId, name: e.name, state: 'skipped', text: `Skipped: ${e.reason ?? 'not sent'}`, progress: null }));
}

const PHASE: Partial<Record<TransferProgress['phase'], string>> = {
  preparing: 'Preparing',
  converting: 'Converting to .3w',
  uploading: 'Uploading',
  starting: 'Starting the print',
};

/**
 * One printer's line after the send: its answer from the host, followed by its transfer's progress
 * (matched by transfer id, so an older transfer to the same printer never stands in for this one).
 */
export function sendRow(result: SendResult, transfer: TransferProgress | undefined): SendRow {
  const base = { deviceId: result.deviceId, name: result.name, progress: null };
  if (result.outcome === 'queued') return { ...base, state: 'queued', text: 'Queued: it starts when the printer is free.' };
  if (result.outcome === 'skipped') return { ...base, state: 'skipped', text: `Skipped: ${result.message ?? 'not sent'}` };
  if (result.outcome === 'failed') return { ...base, state: 'failed', text: `Failed: ${result.message ?? 'unknown error'}` };
  const mine = transfer && transfer.transferId === result.transferId ? transfer : undefined;
  if (!mine) return { ...base, state: 'working', text: 'Sending…' };
  if (mine.phase === 'done') return { ...base, state: 'started', text: 'Printing: the printer took the file.' };
  if (mine.phase === 'failed') return { ...base, state: 'failed', text: `Failed: ${mine.message ?? 'the printer did not take the file'}` };
  if (mine.phase === 'cancelled') return { ...base, state: 'failed', text: 'Cancelled.' };
  return {
    ...base,
    state: 'working',
    text: `${PHASE[mine.phase] ?? mine.phase}…`,
    progress: mine.totalBytes > 0 ? Math.min(1, mine.sentBytes / mine.totalBytes) : null,
  };
}

/** One line for the whole send, once every printer has its answer: "2 printing, 1 queued, 1 skipped". */
export function sendSummary(rows: readonly SendRow[]): string | null {
  if (rows.some((r) => r.state === 'working')) return null;
  const count = (s: SendRowState) => rows.filter((r) => r.state === s).length;
  const parts = [
    [count('started'), 'printing'],
    [count('queued'), 'queued'],
    [count('skipped'), 'skipped'],
    [count('failed'), 'failed'],
  ] as const;
  return parts
    .filter(([n]) => n > 0)
    .map(([n, what]) => `${n} ${what}`)
    .join(', ');
}
