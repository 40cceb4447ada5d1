import { NO_CAPABILITIES, type DeviceStatus } from '../../shared/domain/device';

export interface CloudDeviceFacts {
  devId: string;
  name: string;
  online: boolean;
  modelName: string;
  productName: string;
}

export interface CloudJobFacts {
  /** 0..100 from the cloud. */
  progress: number;
  taskId: string;
  title: string | null;
}

/** How the last task ended, learnt from the history once it left the print status. */
export interface CloudOutcome {
  taskId: string;
  title: string | null;
  status: number;
}

export function cloudDeviceId(connectionId: string, devId: string): string {
  return `armory:${connectionId}:${devId}`;
}

/** dev_ids are serial numbers; anything else is not put into device ids or the UI. */
export function isUsableDevId(devId: string): boolean {
  return /^[0-9A-Za-z_.-]{1,64}$/.test(devId);
}

const clip = (s: string, max: number): string => (s.length > max ? s.slice(0, max) : s);

/** Why the cloud's picture of a printer cannot be refreshed right now. */
export interface CloudStaleness {
  /** 'sign-in': the account's token was refused; 'unreachable': the cloud does not answer. */
  reason: 'sign-in' | 'unreachable';
  message: string;
  /** When the printer's facts were last read from the cloud (ms since the epoch). */
  lastSeenAt: number;
}

/**
 * One cloud printer as a fleet snapshot. Armory reports only online, progress and task id, so a
 * running task is "printing"; when it leaves, the history says whether it finished (2) or failed
 * (3), which the PrintWatcher turns into the usual notices. Nothing can be controlled remotely
 * through Armory, hence no capabilities.
 *
 * When the account cannot be read (token refused, cloud unreachable) the printer is not offline:
 * nothing is known about it. It keeps its last known state, marked stale with `lastSeenAt`, so
 * the UI says "last seen …" and the PrintWatcher announces nothing until live facts return.
 */
export function cloudPrinterStatus(input: {
  connectionId: string;
  device: CloudDeviceFacts;
  job: CloudJobFacts | null;
  outcome: CloudOutcome | null;
  stale: CloudStaleness | null;
  now: number;
}): DeviceStatus {
  const live = liveStatus(input);
  const { stale } = input;
  if (!stale) return live;
  const code = stale.reason === 'sign-in' ? 'cloud-sign-in' : 'cloud-unreachable';
  return { ...live, lastSeenAt: stale.lastSeenAt, problem: { code, message: clip(stale.message, 1000) } };
}

function liveStatus(input: { connectionId: string; device: CloudDeviceFacts; job: CloudJobFacts | null; outcome: CloudOutcome | null; now: number }): DeviceStatus {
  const { device, job, outcome } = input;
  const base = {
    deviceId: cloudDeviceId(input.connectionId, device.devId),
    connectionId: input.connectionId,
    family: 'cloud' as const,
    name: clip(device.name || device.devId, 200),
    model: clip(device.productName || device.modelName, 200) || null,
    serial: clip(device.devId, 128),
    firmware: null,
    temperatures: [],
    filament: null,
    capabilities: NO_CAPABILITIES,
    updatedAt: input.now,
    lastSeenAt: null,
  };
  if (!device.online) {
    return { ...base, link: 'offline', state: 'offline', stateText: 'Offline', job: null, problem: null };
  }
  if (job) {
    const progress = Math.min(1, Math.max(0, job.progress / 100));
    return {
      ...base,
      link: 'online',
      state: 'printing',
      stateText: 'Printing',
      job: { name: jobName(job.title), progress, elapsedSec: null, remainingSec: null, taskId: clip(job.taskId, 128) },
      problem: null,
    };
  }
  if (outcome?.status === 2) {
    return {
      ...base,
      link: 'online',
      state: 'done',
      stateText: 'Finished',
      job: { name: jobName(outcome.title), progress: 1, elapsedSec: null, remainingSec: null, taskId: clip(outcome.taskId, 128) },
      problem: null,
    };
  }
  if (outcome?.status === 3) {
    const name = jobName(outcome.title);
    return {
      ...base,
      link: 'online',
      state: 'error',
      stateText: 'Print failed or aborted',
      job: { name, progress: null, elapsedSec: null, remainingSec: null, taskId: clip(outcome.taskId, 128) },
      problem: { code: 'cloud-task-failed', message: `${name} failed or was aborted.` },
    };
  }
  return { ...base, link: 'online', state: 'idle', stateText: 'Idle', job: null, problem: null };
}

/** The job's title as the card shows it; the cloud's task id is an internal number, not for people. */
export function jobName(title: string | null): string {
  return clip(title || 'Cloud print', 512);
}

/** True when two snapshots differ in anything but their timestamp. */
export function statusChanged(a: DeviceStatus | null, b: DeviceStatus): boolean {
  if (!a) return true;
  return JSON.stringify({ ...a, updatedAt: 0 }) !== JSON.stringify({ ...b, updatedAt: 0 });
}
