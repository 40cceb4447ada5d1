import type { DeviceStatus, PrintOrigin } from '../../../shared/contract';
import type { PrintTransition } from '../../devices/print-sessions';
import type { HistoryStore } from './history-store';

/** A file sent to a printer this long before its print starts is taken to be that print. */
const ATTRIBUTION_WINDOW_MS = 30 * 60_000;

/**
 * Records every print every family reports: a row when a print starts, closed when it ends. Who
 * started it comes from the transfer that sent the file (desktop, browser, queue); a print no
 * transfer of ours explains was started at the printer (its panel, the cloud app, OctoPrint's UI).
 */
export class HistoryRecorder {
  private readonly sent = new Map<
    string,
    { fileName: string; origin: PrintOrigin; at: number; queueJobId: string | null }
  >();

  constructor(
    private readonly store: HistoryStore,
    private readonly changed: () => void,
  ) {}

  /** A file is on its way to a printer (printers.print or the queue). */
  sending(deviceId: string, fileName: string, origin: PrintOrigin, at: number, queueJobId: string | null = null): void {
    this.sent.set(deviceId, { fileName, origin, at, queueJobId });
  }

  record(transition: PrintTransition, now: number): void {
    const status = transition.status;
    if (transition.type === 'started') this.started(status, transition.fileName, now);
    else {
      // A print that failed before any status showed it running is recorded start and end at once.
      if (transition.startUnseen) this.started(status, transition.fileName, now);
      this.ended(status, transition.outcome, transition.reason, now);
    }
  }

  private started(status: DeviceStatus, fileName: string | null, now: number): void {
    if (this.store.running(status.deviceId)) return;
    const sent = this.sent.get(status.deviceId);
    this.sent.delete(status.deviceId);
    const ours = sent && now - sent.at <= ATTRIBUTION_WINDOW_MS ? sent : null;
    this.store.open({
      deviceId: status.deviceId,
      printerName: status.name,
      family: status.family,
      fileName: fileName ?? ours?.fileName ?? null,
      origin: ours?.origin ?? 'printer',
      // A print already running when first seen started when the printer says it did.
      startedAt: status.job?.elapsedSec ? now - Math.round(status.job.elapsedSec * 1000) : now,
      queueJobId: ours?.queueJobId ?? null,
      filamentStartMm: status.filament?.remainingMm ?? null,
    });
    this.changed();
  }

  private ended(
    status: DeviceStatus,
    outcome: 'success' | 'failed' | 'cancelled',
    reason: string | null,
    now: number,
  ): void {
    const open = this.store.running(status.deviceId);
    if (!open) return;
    const left = status.filament?.remainingMm ?? null;
    const used =
      open.filamentStartMm !== null && left !== null && open.filamentStartMm >= left
        ? open.filamentStartMm - left
        : null;
    this.store.close(open.id, { endedAt: now, outcome, reason, filamentMm: used });
    this.changed();
  }
}
