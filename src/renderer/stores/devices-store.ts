import { create } from 'zustand';
import { type DeviceStatus, type DeviceStatusDelta, type DiscoveredPrinter, type TransferProgress, type DeviceTagList } from '../../shared/contract';
import { api } from '../api';
import { isUnreachable } from '../../shared/domain/device-state';
import { applyDeltas, DeltaQueue, onNextFrame } from './delta-queue';

/** A file on its way from the browser to the Printdeck host (before the host sends it to the printer). */
export interface StagingProgress {
  fileName: string;
  sentBytes: number;
  totalBytes: number;
}

interface DevicesState {
  byId: Record<string, DeviceStatus>;
  /** The user's rooms, groups and tags per printer (kept by main). */
  tags: Record<string, string[]>;
  setTags(list: DeviceTagList): void;
  transfers: Record<string, TransferProgress>;
  staging: Record<string, StagingProgress | undefined>;
  discovered: DiscoveredPrinter[];
  loaded: boolean;
  load(): Promise<void>;
  apply(status: DeviceStatus): void;
  /** Queues a delta; the deltas that arrive within one frame reach the state in one update. */
  applyDelta(delta: DeviceStatusDelta): void;
  remove(deviceId: string): void;
  applyTransfer(progress: TransferProgress): void;
  setStaging(deviceId: string, progress: StagingProgress | undefined): void;
  setDiscovered(printers: DiscoveredPrinter[]): void;
}

/**
 * Deltas arrive one event at a time, in messages many times a second (the watched devices'
 * express lane, the others' summaries spread over the ticks). Copying `byId` and re-rendering for
 * each would cost the page most of its time at 1,000 printers, so they are merged per device and
 * applied together once per frame: at most one store update (and one render) per frame.
 */
const queued = new DeltaQueue();
let reloadQueued = false;

function applyQueued(state: DevicesState): Partial<DevicesState> {
  const { byId, unknown } = applyDeltas(state.byId, queued.take());
  // A partial delta for a device we never heard of: what we hold is behind, read it again.
  if (unknown && !reloadQueued) {
    reloadQueued = true;
    setTimeout(() => {
      reloadQueued = false;
      void useDevicesStore.getState().load();
    }, 0);
  }
  return { byId };
}

export const useDevicesStore = create<DevicesState>((set) => ({
  byId: {},
  tags: {},
  setTags: (list) => set({ tags: Object.fromEntries(list.map((t) => [t.deviceId, t.tags])) }),
  transfers: {},
  staging: {},
  discovered: [],
  loaded: false,
  async load() {
    const [devices, transfers, discovered, tags] = await Promise.all([
      api().call('devices.list', {}),
      api().call('printers.transfers', {}),
      api().call('discovery.list', {}),
      api().call('devices.tags', {}),
    ]);
    set({
      ...(tags.ok ? { tags: Object.fromEntries(tags.value.tags.map((t) => [t.deviceId, t.tags])) } : {}),
      ...(discovered.ok ? { discovered: discovered.value } : {}),
      ...(devices.ok ? { byId: Object.fromEntries(devices.value.map((d) => [d.deviceId, d])) } : {}),
      ...(transfers.ok ? { transfers: Object.fromEntries(transfers.value.map((t) => [t.deviceId, t])) } : {}),
      loaded: true,
    });
  },
  apply: (status) => set((s) => ({ byId: { ...s.byId, [status.deviceId]: status } })),
  applyDelta(delta) {
    if (queued.add(delta)) onNextFrame(() => set(applyQueued));
  },
  remove: (deviceId) =>
    set((s) => {
      const { [deviceId]: _gone, ...rest } = s.byId;
      const { [deviceId]: _transfer, ...transfers } = s.transfers;
      return { byId: rest, transfers };
    }),
  applyTransfer: (progress) => set((s) => ({ transfers: { ...s.transfers, [progress.deviceId]: progress } })),
  setStaging: (deviceId, progress) => set((s) => ({ staging: { ...s.staging, [deviceId]: progress } })),
  setDiscovered: (discovered) => set({ discovered }),
}));

const PROBLEMS_FIRST: Record<DeviceStatus['state'], number> = {
  error: 0,
  offline: 1,
  unknown: 2,
  paused: 3,
  pausing: 3,
  printing: 4,
  heating: 4,
  checking: 4,
  resuming: 4,
  cancelling: 4,
  finishing: 4,
  busy: 5,
  done: 6,
  idle: 7,
};

function rank(d: DeviceStatus): number {
  if (d.problem) return -1;
  if (isUnreachable(d.link)) return 1;
  return PROBLEMS_FIRST[d.state];
}

/** Problems first, then what is printing, then the rest by name: what a lab manager scans for. */
export function sortDevices(devices: DeviceStatus[]): DeviceStatus[] {
  return [...devices].sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
}
