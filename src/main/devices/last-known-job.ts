import type { DeviceStatus } from '../../shared/domain/device';
import { isJobActive } from '../../shared/domain/device-state';

/**
 * Keeps a device's last job on screen while the device is out of reach. Drivers report `job: null`
 * when the link drops, which read as "No print running" although the printer may well be printing
 * on; the fleet shows the job it last saw instead, marked stale with `lastSeenAt`, until the device
 * answers again and says for itself what happened.
 */
export class LastKnownJobs {
  private readonly seen = new Map<string, { job: NonNullable<DeviceStatus['job']>; at: number }>();

  apply(status: DeviceStatus): DeviceStatus {
    if (status.link === 'online') {
      if (status.job && isJobActive(status.state)) this.seen.set(status.deviceId, { job: status.job, at: status.updatedAt });
      else if (status.state === 'done') return this.finished(status);
      else this.seen.delete(status.deviceId);
      return status;
    }
    // Out of reach, or connecting again after it was: the last job stays until the device answers.
    const last = this.seen.get(status.deviceId);
    if (!last) return status;
    return { ...status, job: status.job ?? last.job, lastSeenAt: last.at };
  }

  /**
   * Some printers zero their counters once a job is done (a da Vinci reports `0,0,0`), which read
   * "Elapsed 0 s" on a finished job: the time and progress it last reported stand instead.
   */
  private finished(status: DeviceStatus): DeviceStatus {
    const last = this.seen.get(status.deviceId)?.job;
    const job = status.job;
    if (!last || !job || (job.name !== null && last.name !== null && job.name !== last.name)) return status;
    return {
      ...status,
      job: {
        ...job,
        name: job.name ?? last.name,
        progress: 1,
        elapsedSec: job.elapsedSec ? job.elapsedSec : last.elapsedSec,
        remainingSec: 0,
      },
    };
  }

  forget(deviceId: string): void {
    this.seen.delete(deviceId);
  }
}
