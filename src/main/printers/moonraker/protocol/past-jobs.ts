import type { PastJob } from '../../../devices/driver';
import type { HistoryJob } from './schemas';

const FAILED_REASON: Record<string, string> = {
  error: 'Klipper reported an error',
  klippy_shutdown: 'Klipper shut down during the print',
  klippy_disconnect: 'Moonraker lost Klipper during the print',
  interrupted: 'Moonraker restarted during the print',
};

/**
 * A finished job of `server.history.list` in Printdeck's terms, or null for one still running (or
 * with a status this Moonraker version added). Times are Unix seconds on the printer; a job with
 * no end (interrupted) ended at most its total duration after it started.
 */
export function pastJobOf(job: HistoryJob): PastJob | null {
  if (job.status === 'in_progress' || job.status === 'unknown') return null;
  const startedAt = Math.round(job.start_time * 1000);
  const endedAt = Math.round((job.end_time ?? job.start_time + job.total_duration) * 1000);
  const outcome = job.status === 'completed' ? 'success' : job.status === 'cancelled' ? 'cancelled' : 'failed';
  return {
    source: 'moonraker',
    externalId: job.job_id,
    fileName: job.filename || null,
    startedAt,
    endedAt: Math.max(endedAt, startedAt),
    durationSec: Math.max(0, Math.round(job.total_duration)),
    outcome,
    reason: outcome === 'failed' ? (FAILED_REASON[job.status] ?? `Moonraker says ${job.status}`) : null,
    filamentMm: job.filament_used > 0 ? job.filament_used : null,
  };
}
