import type { DeviceStatus } from '../../shared/domain/device';
import { isCancelling, isJobActive, isUnreachable } from '../../shared/domain/device-state';
import type { NotificationCenter } from '../notifications/notification-center';

/**
 * Turns state changes into the notices a person wants: a print finished, a print failed,
 * a printer dropped off while working. Only transitions count, so a restart does not re-announce.
 */
export class PrintWatcher {
  private readonly last = new Map<string, DeviceStatus>();

  constructor(private readonly notifications: NotificationCenter) {}

  observe(status: DeviceStatus): void {
    // A stale snapshot repeats the last thing heard (e.g. the cloud account cannot be read): it
    // is no news about the printer. The live one before it stays the reference, so the outcome
    // is announced once live facts return.
    if (status.lastSeenAt != null) return;
    const before = this.last.get(status.deviceId);
    this.last.set(status.deviceId, status);
    if (!before) return;
    const route = `devices/${status.deviceId}`;
    const job = before.job?.name ?? status.job?.name ?? 'the print';
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
  }
}
