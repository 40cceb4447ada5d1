import type { ImportSource, MaintenanceAction, TemperatureSample } from '../../shared/contract';
import type { DeviceStatus } from '../../shared/domain/device';

export type { MaintenanceAction };

export interface PrintRequest {
  /** A file on this machine's disk; drivers stream it, never read it whole. */
  path: string;
  /** The name the printer shows. */
  name: string;
}

export interface TransferProgress {
  phase: 'converting' | 'uploading' | 'starting';
  sentBytes: number;
  totalBytes: number;
}

export interface CameraFrame {
  mime: 'image/jpeg' | 'image/png';
  data: Uint8Array;
  at: number;
}

/**
 * One finished print from a printer's own history (OctoPrint, the Armory cloud, Moonraker), in
 * Printdeck's terms. `externalId` is stable across reads, so importing the same list twice adds
 * nothing; times are ms since the epoch on the printer's clock.
 */
export interface PastJob {
  source: ImportSource;
  externalId: string;
  fileName: string | null;
  /** Null where the printer keeps only when a print ended (OctoPrint's file statistics). */
  startedAt: number | null;
  endedAt: number;
  durationSec: number | null;
  outcome: 'success' | 'failed' | 'cancelled';
  reason: string | null;
  filamentMm: number | null;
}

/**
 * The one interface every printer family implements, so the fleet, the UI and the image sources
 * treat a da Vinci on USB, an OctoPrint and a cloud printer alike. Drivers own their reconnects;
 * `start` returns at once and status arrives through `onStatus`. Methods a model cannot do reject
 * with AppError('UNSUPPORTED', …) and the capabilities in its status say so beforehand.
 */
export interface PrinterDriver {
  readonly deviceId: string;
  start(): void;
  stop(): Promise<void>;
  status(): DeviceStatus;
  onStatus(listener: (status: DeviceStatus) => void): () => void;
  /** Sends the file and starts the print; resolves once the printer has accepted the job. */
  print(request: PrintRequest, onProgress: (p: TransferProgress) => void, signal: AbortSignal): Promise<void>;
  pause(): Promise<void>;
  resume(): Promise<void>;
  cancel(): Promise<void>;
  maintenance(action: MaintenanceAction): Promise<void>;
  captureSnapshot(): Promise<CameraFrame>;
  /**
   * The printer's own temperature backlog, stamped with the printer's clock (ms), oldest first — where the
   * family keeps one (OctoPrint sends its last ~30 minutes on connect). Families without one leave it out and
   * the printers module charts what it has recorded since the host started.
   */
  temperatureHistory?(): TemperatureSample[];
  /**
   * Finished prints from the printer's own history that ended at or after `since` (ms; null: as far
   * back as the family reads), for the history import. Families that keep no history leave it out.
   */
  pastJobs?(since: number | null): Promise<PastJob[]>;
}
