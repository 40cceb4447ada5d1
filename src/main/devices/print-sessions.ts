import type { DeviceStatus } from '../../shared/domain/device';
import { isCancelling, isJobActive, isUnreachable } from '../../shared/domain/device-state';

/** How early a print may end against the printer's own estimate and still count as finished. */
const FINISH_SLACK_SEC = 60;

export type PrintOutcome = 'success' | 'failed' | 'cancelled';

/** A print began or ended on a device, as its status snapshots show it, whatever the family. */
export type PrintTransition =
  | { type: 'started'; status: DeviceStatus; fileName: string | null }
  | {
      type: 'ended';
      status: DeviceStatus;
      fileName: string | null;
      outcome: PrintOutcome;
      reason: string | null;
      /** The print failed before any status showed it running: no start was reported for it. */
      startUnseen?: boolean;
    };

/**
 * Turns status snapshots into print starts and ends (the PrintWatcher's rules, as transitions
 * rather than notices): `done` or a complete job dropping to idle is a success, `error` a failure,
 * a job that was being cancelled, or dropped to idle unfinished, a cancellation. A printer that
 * goes offline mid-print keeps its print open: it ends when the printer is seen again.
 */
export class PrintSessions {
  /** The last snapshot of each device while it was online with a job active: what an end is judged by. */
  private readonly lastActive = new Map<string, DeviceStatus>();
  private readonly activeName = new Map<string, string | null>();
  /** Prints Printdeck started that the printer accepted, not yet seen running in a status. */
  private readonly expected = new Map<string, string | null>();

  observe(status: DeviceStatus): PrintTransition | null {
    if (isUnreachable(status.link) || status.link !== 'online') return null;
    const wasActive = this.activeName.has(status.deviceId);
    // "checking" with no job is a printer (or its host) getting ready — Klipper starting, OctoPrint
    // opening its serial port — not a print; with a job it is a file check before one.
    const active = isJobActive(status.state) && !(status.state === 'checking' && !status.job && !wasActive);
    const before = this.lastActive.get(status.deviceId);
    if (active) this.lastActive.set(status.deviceId, status);
    else this.lastActive.delete(status.deviceId);
    if (!wasActive && active) {
      const fileName = status.job?.name ?? this.expected.get(status.deviceId) ?? null;
      this.expected.delete(status.deviceId);
      this.activeName.set(status.deviceId, fileName);
      return { type: 'started', status, fileName };
    }
    if (!wasActive && status.state === 'error' && this.expected.has(status.deviceId)) {
      // Accepted, then failed before a status showed it printing (an emergency stop, a heater
      // fault at once, a slow status stream): still a print, and it failed.
      const fileName = this.expected.get(status.deviceId) ?? null;
      this.expected.delete(status.deviceId);
      return { type: 'ended', status, fileName, outcome: 'failed', reason: status.problem?.message ?? status.stateText, startUnseen: true };
    }
    if (wasActive && !active) {
      const fileName = this.activeName.get(status.deviceId) ?? status.job?.name ?? null;
      this.activeName.delete(status.deviceId);
      return { type: 'ended', status, fileName, ...outcomeOf(before, status) };
    }
    if (wasActive && active && status.job?.name && !this.activeName.get(status.deviceId))
      this.activeName.set(status.deviceId, status.job.name);
    return null;
  }

  /**
   * Printdeck started a print and the printer accepted it. Until a status shows it running, an
   * error on that printer is this print failing — otherwise a print that fails before its first
   * "printing" status would leave no trace (and its queue job would wait for an end forever).
   */
  expectStart(deviceId: string, fileName: string | null): void {
    if (!this.activeName.has(deviceId)) this.expected.set(deviceId, fileName);
  }

  /** Marks a device as printing already (a print recorded before a restart), so its end is seen. */
  assumeActive(deviceId: string, fileName: string | null): void {
    this.activeName.set(deviceId, fileName);
  }

  isActive(deviceId: string): boolean {
    return this.activeName.has(deviceId);
  }

  forget(deviceId: string): void {
    this.lastActive.delete(deviceId);
    this.activeName.delete(deviceId);
    this.expected.delete(deviceId);
  }
}

function outcomeOf(
  before: DeviceStatus | undefined,
  now: DeviceStatus,
): { outcome: PrintOutcome; reason: string | null } {
  if (now.state === 'error') return { outcome: 'failed', reason: now.problem?.message ?? now.stateText };
  if (before && isCancelling(before.state)) return { outcome: 'cancelled', reason: null };
  if (now.state === 'done') return { outcome: 'success', reason: null };
  if ((before?.job?.progress ?? 0) >= 0.99) return { outcome: 'success', reason: null };
  // A printer polled slowly can go from printing to idle between two polls: if the time it had left
  // has passed since it was last seen printing, it finished.
  const left = before?.job?.remainingSec;
  if (
    before &&
    left !== null &&
    left !== undefined &&
    (now.updatedAt - before.updatedAt) / 1000 >= left - FINISH_SLACK_SEC
  )
    return { outcome: 'success', reason: null };
  return {
    outcome: 'cancelled',
    reason: before ? `Stopped at ${Math.round((before.job?.progress ?? 0) * 100)}%.` : null,
  };
}
