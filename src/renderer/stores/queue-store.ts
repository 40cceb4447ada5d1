import { create } from 'zustand';
import type { QueueJob, QueuePrinter } from '../../shared/contract';
import { api } from '../api';
import { subscribeStore } from './subscribe-store';

interface QueueState {
  jobs: QueueJob[];
  printers: QueuePrinter[];
  loaded: boolean;
  load(): Promise<void>;
}

/** The print queue as main has it; reloaded whenever main says it changed. */
export const useQueueStore = create<QueueState>((set) => ({
  jobs: [],
  printers: [],
  loaded: false,
  load: async () => {
    const r = await api().call('queue.list', {});
    if (r.ok) set({ jobs: r.value.jobs, printers: r.value.printers, loaded: true });
  },
}));

/** Follows the queue while a view that shows it is mounted. */
export function followQueue(): () => void {
  return subscribeStore({
    events: { 'queue.changed': () => void useQueueStore.getState().load() },
    reload: () => useQueueStore.getState().load(),
  });
}
