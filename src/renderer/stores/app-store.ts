import { create } from 'zustand';
import type { AppInfo, AppNotification } from '../../shared/contract';
import type { LinkStatus } from '../../shared/rpc/client';
import type { RpcErrorShape } from '../../shared/rpc/result';

export type Route = 'devices' | 'queue' | 'history' | 'cloud' | 'chat' | 'uploads' | 'settings';
export const ROUTES: readonly Route[] = ['devices', 'queue', 'history', 'cloud', 'chat', 'uploads', 'settings'];
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
  /** The item within the route, e.g. the device id of `#/devices/<id>`. */
  param: string | null;
  theme: Theme;
  toasts: Toast[];
  setInfo(info: AppInfo): void;
  setLink(link: LinkStatus): void;
  navigate(route: Route, param?: string | null): void;
  setTheme(theme: Theme): void;
  toast(t: Omit<Toast, 'id'>): void;
  errorToast(title: string, error: RpcErrorShape): void;
  dismiss(id: string): void;
}

/** A few at once, so they never pile up over the content; the notification centre keeps them all. */
const MAX_TOASTS = 3;
let toastSeq = 0;

function parseHash(): { route: Route; param: string | null } {
  const hash = typeof location === 'undefined' ? '' : location.hash.replace(/^#\/?/, '');
  const [head = '', ...rest] = hash.split('/');
  const route = (ROUTES as readonly string[]).includes(head) ? (head as Route) : 'devices';
  let param: string | null = null;
  if (route === head && rest.length > 0) {
    try {
      param = decodeURIComponent(rest.join('/')) || null;
    } catch {
      param = null;
    }
  }
  return { route, param };
}

export function hrefFor(route: Route, param?: string | null): string {
  return param ? `#/${route}/${encodeURIComponent(param)}` : `#/${route}`;
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
  ...parseHash(),
  theme: storedTheme(),
  toasts: [],
  setInfo: (info) => set({ info }),
  setLink: (link) => set({ link }),
  navigate: (route, param = null) => {
    const href = hrefFor(route, param);
    if (typeof location !== 'undefined' && location.hash !== href) location.hash = href;
    set({ route, param });
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
  const onHash = (): void => useAppStore.setState(parseHash());
  window.addEventListener('hashchange', onHash);
  return () => window.removeEventListener('hashchange', onHash);
}
