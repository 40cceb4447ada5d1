import { create } from 'zustand';
import type { DeviceStatus, DiscoveredPrinter, TransferProgress } from '../../shared/contract';
import { api } from '../api';
import { isUnreachable } from '../../shared/domain/device-state';

/** A file on its way from the browser to the Printdeck host (before the host sends it to the printer). */
export interface StagingProgress {
  fileName: string;
  sentBytes: number;
  totalBytes: number;
}

interface DevicesState {
  byId: Record<string, DeviceStatus>;
  transfers: Record<string, TransferProgress>;
  staging: Record<string, StagingProgress | undefined>;
  discovered: DiscoveredPrinter[];
  loaded: boolean;
  load(): Promise<void>;
  apply(status: DeviceStatus): void;
  remove(deviceId: string): void;
  applyTransfer(progress: TransferProgress): void;
  setStaging(deviceId: string, progress: StagingProgress | undefined): void;
  setDiscovered(printers: DiscoveredPrinter[]): void;
}

export const useDevicesStore = create<DevicesState>((set) => ({
  byId: {},
  transfers: {},
  staging: {},
  discovered: [],
  loaded: false,
  async load() {
    const [devices, transfers, discovered] = await Promise.all([
      api().call('devices.list', {}),
      api().call('printers.transfers', {}),
      api().call('discovery.list', {}),
    ]);
    set({
      ...(discovered.ok ? { discovered: discovered.value } : {}),
      ...(devices.ok ? { byId: Object.fromEntries(devices.value.map((d) => [d.deviceId, d])) } : {}),
      ...(transfers.ok ? { transfers: Object.fromEntries(transfers.value.map((t) => [t.deviceId, t])) } : {}),
      loaded: true,
    });
  },
  apply: (status) => set((s) => ({ byId: { ...s.byId, [status.deviceId]: status } })),
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
