import type { MenuItemConstructorOptions } from 'electron';
import { APP_ORIGIN } from '../../shared/rpc/ipc-channels';

/**
 * The shell's security decisions as plain functions (no Electron at run time), so they are
 * unit-tested in Node where no Electron binary exists. The Electron glue only applies them.
 */

/**
 * Every permission request is denied, whatever the origin: the renderer uses no camera,
 * microphone, geolocation or Web Notification API (desktop notices come from main).
 */
export function allowPermission(_permission: string): boolean {
  return false;
}

export interface ShellPolicy {
  /** `webPreferences.devTools`: DevTools only in development builds. */
  devTools: boolean;
  /**
   * The application menu: `'electron-default'` keeps Electron's menu (Reload, Toggle DevTools)
   * for development; otherwise the template to install, or null for no menu at all.
   */
  menu: 'electron-default' | MenuItemConstructorOptions[] | null;
}

/** Packaged builds get no DevTools and no Reload/Toggle DevTools; macOS keeps its app and Edit menus. */
export function shellPolicy(isPackaged: boolean, platform: NodeJS.Platform): ShellPolicy {
  if (!isPackaged) return { devTools: true, menu: 'electron-default' };
  // Without an Edit menu, macOS has no copy/paste shortcuts; elsewhere a window needs no menu.
  const menu: MenuItemConstructorOptions[] | null = platform === 'darwin' ? [{ role: 'appMenu' }, { role: 'editMenu' }, { role: 'windowMenu' }] : null;
  return { devTools: false, menu };
}

const ROUTE_HEAD = /^[a-z][a-z-]{0,31}$/;

/**
 * Where a clicked notification takes the window: `devices/<id>` → `app://printdeck/index.html#/devices/<id>`,
 * the same hash the renderer's router reads. A route that is not of that shape opens nothing.
 */
export function notificationTarget(route: string | null): string | null {
  if (!route) return null;
  const [head = '', ...rest] = route.split('/');
  if (!ROUTE_HEAD.test(head)) return null;
  const param = rest.join('/');
  return param ? `${APP_ORIGIN}/index.html#/${head}/${encodeURIComponent(param)}` : `${APP_ORIGIN}/index.html#/${head}`;
}
