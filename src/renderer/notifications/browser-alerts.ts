import { create } from 'zustand';
import type { AppNotification } from '../../shared/contract';
import { AlertGate, alertTag } from '../../shared/domain/desktop-alerts';
import { useAppStore, type Route } from '../stores/app-store';

/** The person's choice, per browser (and per host origin): on only after they switched it on here. */
export const BROWSER_ALERTS_KEY = 'printdeck.browserNotifications';

type Permission = 'default' | 'granted' | 'denied' | 'unsupported';

interface BrowserAlertsState {
  /** Switched on here and allowed by the browser. */
  enabled: boolean;
  permission: Permission;
  /** Asks the browser for permission: call it only from the person's click (browsers refuse otherwise). */
  enable(): Promise<void>;
  disable(): void;
}

function permissionNow(): Permission {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

function chosen(): boolean {
  try {
    return localStorage.getItem(BROWSER_ALERTS_KEY) === 'on';
  } catch {
    return false;
  }
}

function remember(on: boolean): void {
  try {
    localStorage.setItem(BROWSER_ALERTS_KEY, on ? 'on' : 'off');
  } catch {
    // Storage refused (private mode): the switch lasts for this page only.
  }
}

/**
 * Browser notifications in headless mode, opt-in: the switch in the notification centre asks the
 * browser once, on the person's click, and the choice is kept in this browser's localStorage. The
 * desktop app has native ones from main instead (src/main/electron/notifier.ts), by the same rule.
 */
export const useBrowserAlertsStore = create<BrowserAlertsState>((set) => ({
  enabled: chosen() && permissionNow() === 'granted',
  permission: permissionNow(),
  async enable() {
    if (typeof Notification === 'undefined') return;
    const permission = Notification.permission === 'granted' ? 'granted' : await Notification.requestPermission();
    remember(permission === 'granted');
    set({ permission, enabled: permission === 'granted' });
  },
  disable() {
    remember(false);
    set({ enabled: false });
  },
}));

const gate = new AlertGate();

/**
 * Called for each notification as it arrives (never for the stored backlog): shows the ones worth
 * an alert, a few a minute at most, one per printer at a time (`tag`). A click brings this tab
 * forward on the printer the notice is about.
 */
export function alertInBrowser(n: AppNotification, now = Date.now()): void {
  if (!useBrowserAlertsStore.getState().enabled || typeof Notification === 'undefined') return;
  if (Notification.permission !== 'granted') {
    // Revoked in the browser's settings since: the switch follows.
    useBrowserAlertsStore.setState({ enabled: false, permission: Notification.permission });
    return;
  }
  if (!gate.admit(n, now)) return;
  try {
    const shown = new Notification(n.title, { body: n.body, tag: alertTag(n) });
    shown.onclick = () => {
      window.focus();
      if (n.route) {
        const slash = n.route.indexOf('/');
        const route = slash < 0 ? n.route : n.route.slice(0, slash);
        useAppStore.getState().navigate(route as Route, slash < 0 ? null : n.route.slice(slash + 1));
      }
      shown.close();
    };
  } catch {
    // Some browsers allow notifications only from a service worker; the toast and the centre still have it.
  }
}
