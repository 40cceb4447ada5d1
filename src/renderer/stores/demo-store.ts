import { create } from 'zustand';
import type { DemoFault, DemoStartRequest, DemoState } from '../../shared/contract';
import type { Result } from '../../shared/rpc/result';
import { api } from '../api';

interface DemoStoreState {
  demo: DemoState;
  busy: boolean;
  set(demo: DemoState): void;
  load(): Promise<void>;
  /** `{ printers: n }` starts a lab of n simulated printers instead of the built-in demo. */
  start(options?: DemoStartRequest): Promise<Result<DemoState>>;
  stop(): Promise<Result<DemoState>>;
  inject(simulatorId: string, fault: DemoFault): Promise<Result<DemoState>>;
}

export const useDemoStore = create<DemoStoreState>((set) => ({
  demo: { running: false, simulators: [] },
  busy: false,
  set: (demo) => set({ demo }),
  async load() {
    const r = await api().call('demo.state', {});
    if (r.ok) set({ demo: r.value });
  },
  async start(options = {}) {
    set({ busy: true });
    const r = await api().call('demo.start', options);
    set(r.ok ? { demo: r.value, busy: false } : { busy: false });
    return r;
  },
  async stop() {
    set({ busy: true });
    const r = await api().call('demo.stop', {});
    set(r.ok ? { demo: r.value, busy: false } : { busy: false });
    return r;
  },
  async inject(simulatorId, fault) {
    const r = await api().call('demo.inject', { simulatorId, fault });
    if (r.ok) set({ demo: r.value });
    return r;
  },
}));
