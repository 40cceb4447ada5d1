import { create } from 'zustand';
import type { Connection, ConnectionInput, ConnectionUpdate } from '../../shared/contract';
import type { Result } from '../../shared/rpc/result';
import { api } from '../api';

interface ConnectionsState {
  connections: Connection[];
  loaded: boolean;
  load(): Promise<void>;
  replace(connections: Connection[]): void;
  add(input: ConnectionInput): Promise<Result<Connection>>;
  update(patch: ConnectionUpdate): Promise<Result<Connection>>;
  remove(id: string): Promise<Result<{ done: true }>>;
}

export const useConnectionsStore = create<ConnectionsState>((set) => ({
  connections: [],
  loaded: false,
  async load() {
    const result = await api().call('connections.list', {});
    if (result.ok) set({ connections: result.value, loaded: true });
  },
  replace: (connections) => set({ connections, loaded: true }),
  add: (input) => api().call('connections.add', input),
  update: (patch) => api().call('connections.update', patch),
  remove: (id) => api().call('connections.remove', { id }),
}));
