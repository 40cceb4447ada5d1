import type { DeviceStatus, QueueFileFacts, SendPlanEntry } from '../../../shared/contract';
import { isPrinterBusy } from '../../../shared/domain/device-state';
import type { PrinterProfile } from '../../devices/print-profiles';
import { incompatibility } from './compatibility';

/** A printer as sending a file now sees it: its live status, what it prints, what it is receiving. */
export interface SendCandidate {
  status: DeviceStatus;
  profile: PrinterProfile;
  /** The file on its way there now, if any (a printer takes one transfer at a time). */
  receiving: string | null;
}

/**
 * What sending one file now would do on each printer named, in the order named: compatibility
 * first (a printer that could never print the file is skipped, busy or not), then whether it can
 * take it now. A busy printer is `busy`, not skipped, so the person may queue the file there.
 * Pure: decided from the file's facts and the printers' statuses alone.
 */
export function planSend(
  facts: QueueFileFacts,
  deviceIds: readonly string[],
  candidates: ReadonlyMap<string, SendCandidate>,
): SendPlanEntry[] {
  const seen = new Set<string>();
  const entries: SendPlanEntry[] = [];
  for (const deviceId of deviceIds) {
    if (seen.has(deviceId)) continue;
    seen.add(deviceId);
    const c = candidates.get(deviceId);
    if (!c) {
      entries.push({ deviceId, name: deviceId, plan: 'skip', reason: 'This printer is not connected any more.' });
      continue;
    }
    entries.push({ deviceId, name: c.status.name, ...judge(facts, c) });
  }
  return entries;
}

function judge(facts: QueueFileFacts, c: SendCandidate): Pick<SendPlanEntry, 'plan' | 'reason'> {
  const { status } = c;
  const name = status.name;
  if (!status.capabilities.print) return skip(`${name} cannot be sent files from Printdeck.`);
  const why = incompatibility(facts, c.profile, name);
  if (why) return skip(why);
  if (status.link !== 'online') return skip(`${name} is ${status.link}.`);
  if (status.state === 'error' || status.state === 'unknown' || status.state === 'offline') {
    return skip(`${name} reports ${status.problem?.message ?? (status.stateText.toLowerCase() || status.state)}; it needs attention first.`);
  }
  if (c.receiving) return { plan: 'busy', reason: `${name} is receiving ${c.receiving}.` };
  if (isPrinterBusy(status.state)) {
    const what = status.job?.name ? ` ${status.job.name}` : '';
    return { plan: 'busy', reason: `${name} is ${status.stateText.toLowerCase() || status.state}${what}.` };
  }
  return { plan: 'print', reason: null };
}

function skip(reason: string): Pick<SendPlanEntry, 'plan' | 'reason'> {
  return { plan: 'skip', reason };
}
