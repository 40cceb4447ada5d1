import { create } from 'zustand';
import type { ChatAccount, ChatConversationRef, ChatMessage, ChatOverview } from '../../../shared/contract/chat';
import { api } from '../../api';
import { subscribeStore } from '../../stores/subscribe-store';

/** Chat screen state: accounts, the selected account's overview, and loaded message lists. */

export function convKey(c: ChatConversationRef): string {
  return `${c.type}:${c.id}`;
}

interface ChatState {
  accounts: ChatAccount[];
  connectionId: string | null;
  overview: ChatOverview | null;
  selected: ChatConversationRef | null;
  messages: Record<string, ChatMessage[]>;
  error: string | null;
  /** A backlog being worked off per account (null when none). */
  catchUp: Record<string, { stored: number; waiting: number } | null>;
  loadAccounts(): Promise<void>;
  /** Accounts, the overview and the open conversation's messages, all read again. */
  reload(): Promise<void>;
  selectAccount(id: string | null): void;
  refresh(): Promise<void>;
  select(conv: ChatConversationRef | null): Promise<void>;
  merge(connectionId: string, list: ChatMessage[]): void;
  setError(error: string | null): void;
}

export const useChatStore = create<ChatState>((set, get) => ({
  accounts: [],
  connectionId: null,
  overview: null,
  selected: null,
  messages: {},
  error: null,
  catchUp: {},
  async loadAccounts() {
    const r = await api().call('chat.accounts', {});
    if (!r.ok) return;
    const current = get().connectionId;
    const keep = r.value.some((a) => a.connectionId === current);
    set({ accounts: r.value, connectionId: keep ? current : (r.value[0]?.connectionId ?? null) });
    await get().refresh();
  },
  async reload() {
    await get().loadAccounts();
    const id = get().connectionId;
    const conv = get().selected;
    if (!id || !conv) return;
    const r = await api().call('chat.messages', { connectionId: id, conversation: conv, limit: 100 });
    if (r.ok && get().connectionId === id) set((s) => ({ messages: { ...s.messages, [convKey(conv)]: r.value } }));
  },
  selectAccount(id) {
    set({ connectionId: id, overview: null, selected: null, messages: {} });
    void get().refresh();
  },
  async refresh() {
    const id = get().connectionId;
    if (!id) return set({ overview: null });
    const r = await api().call('chat.overview', { connectionId: id });
    if (r.ok && get().connectionId === id) set({ overview: r.value });
  },
  async select(conv) {
    set({ selected: conv });
    const id = get().connectionId;
    if (!conv || !id) return;
    const r = await api().call('chat.messages', { connectionId: id, conversation: conv, limit: 100 });
    if (r.ok) set((s) => ({ messages: { ...s.messages, [convKey(conv)]: r.value } }));
    await api().call('chat.markRead', { connectionId: id, conversation: conv });
  },
  merge(connectionId, list) {
    if (connectionId !== get().connectionId) return;
    set((s) => {
      const next = { ...s.messages };
      for (const m of list) {
        const key = convKey(m.conversation);
        const current = next[key];
        if (!current) continue;
        const index = current.findIndex((x) => x.id === m.id);
        next[key] = index >= 0 ? current.map((x, i) => (i === index ? m : x)) : [...current, m];
      }
      return { messages: next };
    });
    const selected = get().selected;
    if (selected && list.some((m) => convKey(m.conversation) === convKey(selected) && m.direction === 'in')) {
      void api().call('chat.markRead', { connectionId, conversation: selected });
    }
  },
  setError: (error) => set({ error }),
}));

/** Keeps the chat store in step with main while the Chat screen is open. */
export function subscribeChat(): () => void {
  const store = useChatStore.getState;
  return subscribeStore({
    events: {
      'chat.changed': (p) => {
        if (p.connectionId === store().connectionId) void store().refresh();
        else void store().loadAccounts();
      },
      'chat.messages': (p) => {
        store().merge(p.connectionId, p.messages);
        void store().refresh();
      },
      'chat.progress': (p) => {
        useChatStore.setState((s) => ({ catchUp: { ...s.catchUp, [p.connectionId]: p.waiting > 0 ? { stored: p.stored, waiting: p.waiting } : null } }));
      },
      'connections.changed': () => void store().loadAccounts(),
    },
    reload: () => store().reload(),
  });
}
