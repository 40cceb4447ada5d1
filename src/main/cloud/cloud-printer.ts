import { Listeners } from '../../shared/async';
import type { DeviceStatus } from '../../shared/domain/device';
import { AppError } from '../../shared/rpc/result';
import type { CameraFrame, PastJob, PrinterDriver } from '../devices/driver';
import { statusChanged } from './printer-status';

const NOT_VIA_ARMORY = 'Armory only reports cloud printers; it cannot send files to them or control them.';

/**
 * A printer of the cloud account. It owns no connection: the account's poller feeds it
 * snapshots, and it forwards those that changed. Every control says UNSUPPORTED, matching
 * its capabilities.
 */
export class CloudPrinterDriver implements PrinterDriver {
  private current: DeviceStatus;
  private readonly listeners = new Listeners<[DeviceStatus]>();

  constructor(
    initial: DeviceStatus,
    /** The printer's finished tasks from the account's task list (the history import). */
    private readonly readPastTasks: ((since: number | null) => Promise<PastJob[]>) | null = null,
  ) {
    this.current = initial;
  }

  pastJobs(since: number | null): Promise<PastJob[]> {
    return this.readPastTasks ? this.readPastTasks(since) : Promise.resolve([]);
  }

  get deviceId(): string {
    return this.current.deviceId;
  }

  start(): void {}
  async stop(): Promise<void> {
    this.listeners.clear();
  }

  status(): DeviceStatus {
    return this.current;
  }

  /** Replaces the snapshot; returns true (and notifies) only when something changed. */
  update(next: DeviceStatus): boolean {
    if (!statusChanged(this.current, next)) return false;
    this.current = next;
    this.listeners.emit(next);
    return true;
  }

  onStatus(listener: (s: DeviceStatus) => void): () => void {
    return this.listeners.add(listener);
  }

  print(): Promise<void> {
    return Promise.reject(new AppError('UNSUPPORTED', NOT_VIA_ARMORY));
  }
  pause(): Promise<void> {
    return Promise.reject(new AppError('UNSUPPORTED', NOT_VIA_ARMORY));
  }
  resume(): Promise<void> {
    return Promise.reject(new AppError('UNSUPPORTED', NOT_VIA_ARMORY));
  }
  cancel(): Promise<void> {
    return Promise.reject(new AppError('UNSUPPORTED', NOT_VIA_ARMORY));
  }
  maintenance(): Promise<void> {
    return Promise.reject(new AppError('UNSUPPORTED', NOT_VIA_ARMORY));
  }
  captureSnapshot(): Promise<CameraFrame> {
    return Promise.reject(new AppError('UNSUPPORTED', 'Remote cloud cameras need the vendor P2P SDK, which Printdeck does not include.'));
  }
}
