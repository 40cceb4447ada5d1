import { create } from 'zustand';
import type { DeviceStatus } from '../../shared/contract';
import { api } from '../api';

interface DevicesState {
  byId: Record<string, DeviceStatus>;
  load(): Promise<void>;
  apply(status: DeviceStatus): void;
  remove(deviceId: string): void;
}

export const useDevicesStore = create<DevicesState>((set) => ({
  byId: {},
  async load() {
    const result = await api().call('devices.list', {});
    if (result.ok) set({ byId: Object.fromEntries(result.value.map((d) => [d.deviceId, d])) });
  },
  apply: (status) => set((s) => ({ byId: { ...s.byId, [status.deviceId]: status } })),
  remove: (deviceId) =>
    set((s) => {
      const { [deviceId]: _gone, ...rest } = s.byId;
      return { byId: rest };
    }),
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

/** Problems first, then what is printing, then the rest by name: what a lab manager scans for. */
export function sortDevices(devices: DeviceStatus[]): DeviceStatus[] {
  return [...devices].sort((a, b) => {
    const pa = a.problem ? -1 : a.link === 'offline' || a.link === 'error' ? 1 : PROBLEMS_FIRST[a.state];
    const pb = b.problem ? -1 : b.link === 'offline' || b.link === 'error' ? 1 : PROBLEMS_FIRST[b.state];
    return pa - pb || a.name.localeCompare(b.name);
  });
}
