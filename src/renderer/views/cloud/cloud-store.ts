import { create } from 'zustand';
import type { CloudAccount, CloudMessage } from '../../../shared/contract';
import { api } from '../../api';
import { subscribeStore } from '../../stores/subscribe-store';

interface CloudState {
  accounts: Record<string, CloudAccount>;
  loaded: boolean;
  /** Messages that arrived (cloud.inbox) since the screen opened, per account, newest first. */
  fresh: Record<string, CloudMessage[]>;
  load(): Promise<void>;
  apply(account: CloudAccount): void;
  addFresh(connectionId: string, messages: CloudMessage[]): void;
}

export const useCloudStore = create<CloudState>((set) => ({
  accounts: {},
  loaded: false,
  fresh: {},
  async load() {
    const r = await api().call('cloud.accounts', {});
    if (r.ok) set({ accounts: Object.fromEntries(r.value.map((a) => [a.connectionId, a])), loaded: true });
  },
  apply: (account) => set((s) => ({ accounts: { ...s.accounts, [account.connectionId]: account } })),
  addFresh: (connectionId, messages) =>
    set((s) => {
      const known = new Set((s.fresh[connectionId] ?? []).map((m) => m.id));
      const merged = [...messages.filter((m) => !known.has(m.id)), ...(s.fresh[connectionId] ?? [])].slice(0, 100);
      return { fresh: { ...s.fresh, [connectionId]: merged } };
    }),
}));

/** Keeps the cloud store in step with main while the Cloud screen is open. */
export function subscribeCloud(): () => void {
  return subscribeStore({
    events: {
      'cloud.account': (a) => useCloudStore.getState().apply(a),
      'cloud.inbox': (p) => useCloudStore.getState().addFresh(p.connectionId, p.messages),
      'connections.changed': () => void useCloudStore.getState().load(),
    },
    reload: () => useCloudStore.getState().load(),
  });
}

/** Pictures already fetched, so scrolling back does not ask main again. */
const covers = new Map<string, string | null>();

export async function loadCover(connectionId: string, coverId: string): Promise<string | null> {
  if (covers.has(coverId)) return covers.get(coverId) ?? null;
  const r = await api().call('cloud.cover', { connectionId, coverId });
  const url = r.ok ? r.value.dataUrl : null;
  if (covers.size > 300) covers.clear();
  covers.set(coverId, url);
  return url;
}
