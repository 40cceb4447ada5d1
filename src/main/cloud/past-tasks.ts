import type { PastJob } from '../devices/driver';
import type { PrintTask } from '../gen/armory/v1/armory';

/**
 * A task of the Armory task list in Printdeck's terms, or null for one not finished. Status 2 is
 * finished and 3 aborted or failed (the cloud does not tell which); 4 (probably running) and the
 * unknown codes are left out. `costTime` and `weight` are slice estimates, so the duration is the
 * task's end less its start and the filament stays unknown.
 */
export function pastJobOfTask(task: PrintTask): PastJob | null {
  if (task.status !== 2 && task.status !== 3) return null;
  const startedAt = Date.parse(task.startTime);
  const endedAt = Date.parse(task.endTime);
  if (!Number.isFinite(startedAt) || !Number.isFinite(endedAt) || !/^[0-9A-Za-z_-]{1,64}$/.test(task.id)) return null;
  const end = Math.max(endedAt, startedAt);
  return {
    source: 'armory',
    externalId: task.id,
    fileName: task.title ? task.title.slice(0, 512) : null,
    startedAt,
    endedAt: end,
    durationSec: Math.round((end - startedAt) / 1000),
    outcome: task.status === 2 ? 'success' : 'failed',
    reason: task.status === 2 ? null : 'The cloud reports the task as aborted or failed',
    filamentMm: null,
  };
}
