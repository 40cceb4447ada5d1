import { Poller } from '../../../shared/async';
import type { DeviceStatus } from '../../../shared/domain/device';
import type { PrinterDriver } from '../../devices/driver';
import type { Logger } from '../../log';
import type { HistoryStore } from './history-store';

/** Read again this far before the newest imported print, so a print that ended late is not skipped. */
const OVERLAP_MS = 3_600_000;
export const IMPORT_INTERVAL_MS = 10 * 60_000;
/** After a printer comes online, wait this long so a fleet coming up together is read in one pass. */
const ON_CONNECT_DELAY_MS = 2_000;

export interface ImporterDeps {
  store: HistoryStore;
  devices: () => DeviceStatus[];
  driverOf: (deviceId: string) => PrinterDriver | null;
  /** Prints that started before this are not kept (the retention setting), so none are imported. */
  cutoff: () => number | null;
  changed: () => void;
  log: Logger;
  intervalMs?: number;
}

/**
 * Brings the printers' own histories (OctoPrint, the Armory cloud, Moonraker) into Printdeck's,
 * through each driver's optional `pastJobs`: when a printer comes online and every few minutes.
 * The store skips what it already has and links what Printdeck watched itself, so a print is one row.
 */
export class HistoryImporter {
  private readonly online = new Set<string>();
  private readonly poller: Poller;
  private readonly failing = new Set<string>();

  constructor(private readonly deps: ImporterDeps) {
    this.poller = new Poller({
      poll: () => this.importAll(),
      next: () => deps.intervalMs ?? IMPORT_INTERVAL_MS,
      unref: true,
    });
  }

  start(): void {
    this.poller.start();
    this.poller.schedule(ON_CONNECT_DELAY_MS);
  }

  stop(): void {
    this.poller.stop();
  }

  /** Follows the fleet: a printer that comes online is read soon. */
  observe(status: DeviceStatus): void {
    if (status.link !== 'online' || status.lastSeenAt) {
      this.online.delete(status.deviceId);
      return;
    }
    if (this.online.has(status.deviceId)) return;
    this.online.add(status.deviceId);
    this.poller.schedule(ON_CONNECT_DELAY_MS);
  }

  forget(deviceId: string): void {
    this.online.delete(deviceId);
    this.failing.delete(deviceId);
  }

  /** Imports now from every online printer that keeps a history (or joins the pass under way). */
  importNow(): Promise<void> {
    return this.poller.poll(true);
  }

  private async importAll(): Promise<void> {
    let changed = false;
    for (const status of this.deps.devices()) {
      if (status.link !== 'online' || status.lastSeenAt) continue;
      const driver = this.deps.driverOf(status.deviceId);
      if (!driver?.pastJobs) continue;
      try {
        const n = await this.importFrom(status, driver);
        changed ||= n > 0;
        this.failing.delete(status.deviceId);
      } catch (err) {
        // Said once per spell of failures; the next pass tries again.
        if (!this.failing.has(status.deviceId))
          this.deps.log.warn(`history import from ${status.name} failed: ${(err as Error).message}`);
        this.failing.add(status.deviceId);
      }
    }
    if (changed) this.deps.changed();
  }

  private async importFrom(status: DeviceStatus, driver: PrinterDriver): Promise<number> {
    const last = this.deps.store.lastImportedEnd(status.deviceId);
    const cutoff = this.deps.cutoff();
    const since = last === null ? cutoff : Math.max(last - OVERLAP_MS, cutoff ?? -Infinity);
    const entries = (await driver.pastJobs?.(since)) ?? [];
    const kept = cutoff === null ? entries : entries.filter((e) => (e.startedAt ?? e.endedAt) >= cutoff);
    if (kept.length === 0) return 0;
    const { added, merged } = this.deps.store.importBatch(
      { deviceId: status.deviceId, printerName: status.name, family: status.family },
      kept,
    );
    if (added + merged > 0)
      this.deps.log.info(
        `history: ${added} prints imported from ${status.name}, ${merged} matched to prints already recorded`,
      );
    return added + merged;
  }
}
