import type { CloudMessage, CloudTask, CloudTaskStatus, CloudUpdate } from '../../shared/contract';
import type { GetSlicerResourcesResponse, PrintTask, UserMessage } from '../gen/armory/v1/armory';

/** The task status code that means the task is still printing (the cloud shows it with end = start). */
export const TASK_RUNNING = 4;

/**
 * Task status codes in words: 2 finished, 3 failed or aborted, 4 printing. Codes the
 * cloud has never explained are shown as such, in words, not as a bare "unknown (n)".
 */
export function taskStatus(code: number): CloudTaskStatus {
  if (code === 2) return { code, label: 'Finished', tone: 'ok' };
  if (code === 3) return { code, label: 'Failed or aborted', tone: 'error' };
  if (code === TASK_RUNNING) return { code, label: 'Printing', tone: 'running' };
  return { code, label: `Status ${code}, not explained by the cloud`.slice(0, 64), tone: 'unknown' };
}

export function messageTypeLabel(type: number): string {
  return type === 6 ? 'Print task' : `Message type ${type}`;
}

function isoOrNull(s: string): string | null {
  if (!s) return null;
  const t = Date.parse(s);
  return Number.isFinite(t) ? new Date(t).toISOString() : null;
}

function nonNegative(n: number): number | null {
  return Number.isFinite(n) && n >= 0 ? n : null;
}

/** The real duration (end − start); the cloud's cost_time is only the slicer's estimate. */
export function durationSec(start: string, end: string): number | null {
  const a = Date.parse(start);
  const b = Date.parse(end);
  return Number.isFinite(a) && Number.isFinite(b) && b >= a ? Math.round((b - a) / 1000) : null;
}

const clip = (s: string, max: number): string => (s.length > max ? s.slice(0, max) : s);

export interface TaskContext {
  coverId(url: string): string | null;
  deviceName(devId: string): string | null;
  /** The clock, for the time a running task has taken so far. */
  now?: () => number;
}

/** A finished task's real duration; a running one's time so far (its end_time is only its start). */
function taskDurationSec(t: PrintTask, now: number): number | null {
  if (t.status !== TASK_RUNNING) return durationSec(t.startTime, t.endTime);
  return durationSec(t.startTime, new Date(now).toISOString());
}

export function toCloudTask(t: PrintTask, ctx: TaskContext): CloudTask {
  return {
    id: clip(t.id, 32),
    title: clip(t.title || 'Untitled print', 512),
    coverId: ctx.coverId(t.cover),
    status: taskStatus(t.status),
    startTime: isoOrNull(t.startTime),
    endTime: isoOrNull(t.endTime),
    durationSec: taskDurationSec(t, (ctx.now ?? Date.now)()),
    estimatedSec: nonNegative(Number(t.costTime)),
    weightGrams: nonNegative(t.weight),
    devId: clip(t.deviceId, 128),
    deviceName: ctx.deviceName(t.deviceId),
    mode: clip(t.mode, 64),
  };
}

export function toCloudMessage(m: UserMessage, ctx: TaskContext): CloudMessage {
  const tm = m.taskMessage;
  return {
    id: clip(m.id, 32),
    type: m.type,
    typeLabel: messageTypeLabel(m.type),
    createdAt: isoOrNull(m.createTime),
    task: tm
      ? {
          id: clip(tm.id, 32),
          title: clip(tm.title || 'Untitled print', 512),
          coverId: ctx.coverId(tm.cover),
          status: taskStatus(tm.status),
          devId: clip(tm.deviceId, 128),
          deviceName: ctx.deviceName(tm.deviceId),
        }
      : null,
    from: m.from?.name ? clip(m.from.name, 200) : null,
  };
}

/**
 * The cursor for the next page: the last id of a full page. A short or empty page is the end;
 * so is a page whose last id did not move the cursor (a server ignoring `after` must not loop us).
 */
export function nextCursor(ids: readonly string[], limit: number, after: string | undefined): string | null {
  if (ids.length < limit) return null;
  const last = ids.at(-1);
  if (!last || last === after || !/^[0-9A-Za-z_-]{1,64}$/.test(last)) return null;
  return last;
}

function safeUrl(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? clip(url, 2048) : null;
  } catch {
    return null;
  }
}

export function toUpdates(res: GetSlicerResourcesResponse): CloudUpdate[] {
  const out: CloudUpdate[] = [];
  if (res.software?.version) {
    const s = res.software;
    out.push({ type: 'software', version: clip(s.version, 64), description: clip(s.description, 4000), url: safeUrl(s.url), forceUpdate: s.forceUpdate });
  }
  for (const r of res.resources.slice(0, 99)) {
    if (!r.version) continue;
    out.push({ type: clip(r.type || 'resource', 200), version: clip(r.version, 64), description: clip(r.description, 4000), url: safeUrl(r.url), forceUpdate: r.forceUpdate });
  }
  return out;
}
