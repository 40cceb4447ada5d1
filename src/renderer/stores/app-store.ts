import { create } from 'zustand';
import type { AppInfo, AppNotification } from '../../shared/contract';
import type { LinkStatus } from '../../shared/rpc/client';
import type { RpcErrorShape } from '../../shared/rpc/result';

export type Route = 'devices' | 'cloud' | 'chat' | 'uploads' | 'settings';
export const ROUTES: readonly Route[] = ['devices', 'cloud', 'chat', 'uploads', 'settings'];
export type Theme = 'system' | 'light' | 'dark';

export interface Toast {
  id: string;
  level: AppNotification['level'];
  title: string;
  body: string;
}

interface AppState {
  info: AppInfo | null;
  link: LinkStatus;
  route: Route;
  theme: Theme;
  toasts: Toast[];
  setInfo(info: AppInfo): void;
  setLink(link: LinkStatus): void;
  navigate(route: Route): void;
  setTheme(theme: Theme): void;
  toast(t: Omit<Toast, 'id'>): void;
  errorToast(title: string, error: RpcErrorShape): void;
  dismiss(id: string): void;
}

const MAX_TOASTS = 5;
let toastSeq = 0;

function routeFromHash(): Route {
  const hash = typeof location === 'undefined' ? '' : location.hash.replace(/^#\/?/, '');
  return (ROUTES as readonly string[]).includes(hash) ? (hash as Route) : 'devices';
}

function storedTheme(): Theme {
  try {
    const t = localStorage.getItem('printdeck.theme');
    return t === 'light' || t === 'dark' ? t : 'system';
  } catch {
    return 'system';
  }
}

export const useAppStore = create<AppState>((set) => ({
  info: null,
  link: 'connecting',
  route: routeFromHash(),
  theme: storedTheme(),
  toasts: [],
  setInfo: (info) => set({ info }),
  setLink: (link) => set({ link }),
  navigate: (route) => {
    if (typeof location !== 'undefined' && location.hash !== `#/${route}`) location.hash = `#/${route}`;
    set({ route });
  },
  setTheme: (theme) => {
    try {
      localStorage.setItem('printdeck.theme', theme);
    } catch {
      // Private mode: the choice lasts for this session only.
    }
    set({ theme });
  },
  toast: (t) =>
    set((s) => ({ toasts: [...s.toasts, { ...t, id: `t${++toastSeq}` }].slice(-MAX_TOASTS) })),
  errorToast: (title, error) =>
    set((s) => ({
      toasts: [...s.toasts, { id: `t${++toastSeq}`, level: 'error' as const, title, body: error.message }].slice(-MAX_TOASTS),
    })),
  dismiss: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
}));

export function syncRouteWithHash(): () => void {
  const onHash = (): void => useAppStore.setState({ route: routeFromHash() });
  window.addEventListener('hashchange', onHash);
  return () => window.removeEventListener('hashchange', onHash);
}
