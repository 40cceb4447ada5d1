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
  load(query?: NotificationQuery): Promise<void>;
  markRead(which: { ids: string[] } | { all: true }): Promise<void>;
}

function shows(q: NotificationQuery, n: AppNotification): boolean {
  return (q.deviceId === undefined || q.deviceId === n.deviceId) && (q.levels === undefined || q.levels.length === 0 || q.levels.includes(n.level));
}

/** The notification centre: stored in main, so it holds what happened while this window was closed. */
export const useNotificationsStore = create<NotificationsState>((set, get) => ({
  unread: 0,
  items: [],
  query: {},
  setUnread: (unread) => set({ unread }),
  arrived: (n) => set((s) => (shows(s.query, n) ? { items: [n, ...s.items].slice(0, 500) } : {})),
  async load(query = get().query) {
    set({ query });
    const [list, unread] = await Promise.all([api().call('notifications.list', { ...query, limit: 200 }), api().call('notifications.unread', {})]);
    set({ ...(list.ok ? { items: list.value } : {}), ...(unread.ok ? { unread: unread.value.unread } : {}) });
  },
  async markRead(which) {
    const r = await api().call('notifications.markRead', which);
    if (!r.ok) return;
    const ids = 'ids' in which ? new Set(which.ids) : null;
    set((s) => ({ unread: r.value.unread, items: s.items.map((n) => (ids === null || ids.has(n.id) ? { ...n, read: true } : n)) }));
  },
}));
