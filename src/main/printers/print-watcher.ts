import type { AppNotification } from '../../shared/contract';
import type { DeviceStatus } from '../../shared/domain/device';
import { isCancelling, isJobActive, isPaused, isUnreachable } from '../../shared/domain/device-state';
import type { NotificationCenter } from '../notifications/notification-center';

/** The job a printer was working on when it dropped off, to settle once it answers again. */
interface LostJob {
  name: string;
  progress: number | null;
}

/**
 * Turns state changes into the notices a person wants: a print finished, a print failed,
 * a printer dropped off while working — and, when it comes back, that it is back and what became
 * of the job it was on. Only transitions count, so a restart does not re-announce.
 */
export class PrintWatcher {
  private readonly last = new Map<string, DeviceStatus>();
  private readonly lost = new Map<string, LostJob>();

  constructor(private readonly notifications: NotificationCenter) {}

  observe(status: DeviceStatus): void {
    // A stale snapshot that repeats the last state heard (the cloud account cannot be read) is no
    // news about the printer: the live one before it stays the reference, and the outcome is
    // announced once live facts return. A printer that reports itself out of reach (state offline or
    // unknown, its last job kept on screen) is news: it went offline.
    if (status.lastSeenAt != null && status.state !== 'offline' && status.state !== 'unknown') return;
    const before = this.last.get(status.deviceId);
    this.last.set(status.deviceId, status);
    if (!before) return;
    const route = `devices/${status.deviceId}`;
    const job = before.job?.name ?? status.job?.name ?? 'the print';
    if (this.reconcile(status, route)) return;
    // A job being cancelled is not announced when it ends.
    const wasActive = isJobActive(before.state) && !isCancelling(before.state) && before.link === 'online';
    if (wasActive && status.state === 'done') {
      this.notifications.notify({ level: 'success', title: `${status.name} finished`, body: `${job} is done.`, route });
    } else if (before.state !== 'error' && status.state === 'error') {
      this.notifications.notify({
        level: 'error',
        title: `${status.name}: ${wasActive ? 'print failed' : 'error'}`,
        body: status.problem?.message ?? status.stateText,
        route,
      });
    } else if (wasActive && isUnreachable(status.link)) {
      this.lost.set(status.deviceId, { name: job, progress: before.job?.progress ?? null });
      this.notifications.notify({ level: 'warning', title: `${status.name} went offline`, body: `It was working on ${job}.`, route });
    } else if (wasActive && status.state === 'idle') {
      // Some printers drop straight to idle at the end; report it as finished only if progress was complete.
      if ((before.job?.progress ?? 0) >= 0.99) {
        this.notifications.notify({ level: 'success', title: `${status.name} finished`, body: `${job} is done.`, route });
      }
    }
  }

  forget(deviceId: string): void {
    this.last.delete(deviceId);
    this.lost.delete(deviceId);
  }

  /**
   * A printer that dropped off mid-job answers again: says it is back and how the job ended
   * (or that it is still going). Waits for a state the printer actually reported. True when done.
   */
  private reconcile(status: DeviceStatus, route: string): boolean {
    const lost = this.lost.get(status.deviceId);
    if (!lost || status.link !== 'online' || status.state === 'unknown' || status.state === 'offline') return false;
    this.lost.delete(status.deviceId);
    const title = `${status.name} is back online`;
    this.notifications.notify({ title, route, ...outcome(status, lost) });
    return true;
  }
}

function outcome(status: DeviceStatus, lost: LostJob): Pick<AppNotification, 'level' | 'body'> {
  const name = lost.name;
  if (status.state === 'error') {
    return { level: 'error', body: `${name} failed while it was out of reach: ${status.problem?.message ?? status.stateText}` };
  }
  if (isJobActive(status.state) && (status.job?.name ?? name) === name) {
    const progress = status.job?.progress;
    const at = progress === null || progress === undefined ? '' : ` (${Math.round(progress * 100)}%)`;
    return isPaused(status.state)
      ? { level: 'warning', body: `${name} is paused${at}.` }
      : { level: 'info', body: `Still printing ${name}${at}.` };
  }
  const finished = status.state === 'done' || (status.job?.progress ?? lost.progress ?? 0) >= 0.99;
  if (finished) return { level: 'success', body: `${name} finished while it was out of reach.` };
  return { level: 'warning', body: `${name} is no longer running and did not report finishing; check the printer.` };
}
