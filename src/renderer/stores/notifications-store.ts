import { create } from 'zustand';
import type { AppNotification, NotificationQuery } from '../../shared/contract';
import { api } from '../api';

interface NotificationsState {
  unread: number;
  items: AppNotification[];
  query: NotificationQuery;
  setUnread(unread: number): void;
  /** A new notification: counted, and listed if the centre's filter shows it. */
  arrived(n: AppNotification): void;
  /** Whether older notifications than those listed may exist (the last page was full). */
  more: boolean;
  load(query?: NotificationQuery): Promise<void>;
  /** The next page of older notifications, under the same filter. */
  loadOlder(): Promise<void>;
  markRead(which: { ids: string[] } | { all: true }): Promise<void>;
}

function shows(q: NotificationQuery, n: AppNotification): boolean {
  return (
    (q.deviceId === undefined || q.deviceId === n.deviceId) &&
    (q.levels === undefined || q.levels.length === 0 || q.levels.includes(n.level)) &&
    (q.since === undefined || n.at >= q.since) &&
    (q.before === undefined || n.at < q.before)
  );
}

const PAGE = 200;

/** The notification centre: stored in main, so it holds what happened while this window was closed. */
export const useNotificationsStore = create<NotificationsState>((set, get) => ({
  unread: 0,
  items: [],
  query: {},
  more: false,
  setUnread: (unread) => set({ unread }),
  arrived: (n) => set((s) => (shows(s.query, n) ? { items: [n, ...s.items].slice(0, 500) } : {})),
  async load(query = get().query) {
    set({ query });
    const [list, unread] = await Promise.all([api().call('notifications.list', { ...query, limit: PAGE }), api().call('notifications.unread', {})]);
    set({ ...(list.ok ? { items: list.value, more: list.value.length === PAGE } : {}), ...(unread.ok ? { unread: unread.value.unread } : {}) });
  },
  async loadOlder() {
    const { query, items } = get();
    const oldest = items[items.length - 1];
    if (!oldest) return;
    const r = await api().call('notifications.list', { ...query, before: Math.min(oldest.at, query.before ?? oldest.at), limit: PAGE });
    // A filter changed while this page was on its way: it belongs to the old list.
    if (!r.ok || get().query !== query) return;
    set((s) => ({ items: [...s.items, ...r.value], more: r.value.length === PAGE }));
  },
  async markRead(which) {
    const r = await api().call('notifications.markRead', which);
    if (!r.ok) return;
    const ids = 'ids' in which ? new Set(which.ids) : null;
    set((s) => ({ unread: r.value.unread, items: s.items.map((n) => (ids === null || ids.has(n.id) ? { ...n, read: true } : n)) }));
  },
}));
