// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BrowserAlertsSwitch } from '../../../src/renderer/components/BrowserAlertsSwitch';
import { alertInBrowser, BROWSER_ALERTS_KEY, useBrowserAlertsStore } from '../../../src/renderer/notifications/browser-alerts';
import { useAppStore } from '../../../src/renderer/stores/app-store';
import type { AppInfo, AppNotification } from '../../../src/shared/contract';
import { APP_INFO } from './fake-client';

/** Stands in for the browser's Notification: records what was shown and what permission was asked. */
class FakeNotification {
  static permission: NotificationPermission = 'default';
  static asked = 0;
  static shown: FakeNotification[] = [];
  static async requestPermission(): Promise<NotificationPermission> {
    FakeNotification.asked++;
    FakeNotification.permission = 'granted';
    return 'granted';
  }
  onclick: (() => void) | null = null;
  closed = false;
  constructor(
    readonly title: string,
    readonly options: NotificationOptions,
  ) {
    FakeNotification.shown.push(this);
  }
  close() {
    this.closed = true;
  }
}

let at = 0;
const notice = (level: AppNotification['level'], deviceId = 'p1'): AppNotification => ({
  id: `n${++at}`,
  at,
  level,
  title: `${deviceId} ${level}`,
  body: 'Thermal runaway',
  route: `devices/${deviceId}`,
  deviceId,
  read: false,
});

describe('browser notifications (headless mode)', () => {
  beforeEach(() => {
    FakeNotification.permission = 'default';
    FakeNotification.asked = 0;
    FakeNotification.shown = [];
    vi.stubGlobal('Notification', FakeNotification);
    localStorage.clear();
    useBrowserAlertsStore.setState({ enabled: false, permission: 'default' });
    useAppStore.setState({ info: { ...APP_INFO, transport: 'websocket' } as AppInfo });
  });
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('asks the browser only when the switch is clicked, and remembers the choice in this browser', async () => {
    render(<BrowserAlertsSwitch />);
    expect(FakeNotification.asked).toBe(0);
    fireEvent.click(screen.getByRole('switch', { name: 'Show notifications on this computer' }));
    await waitFor(() => expect(useBrowserAlertsStore.getState().enabled).toBe(true));
    expect(FakeNotification.asked).toBe(1);
    expect(localStorage.getItem(BROWSER_ALERTS_KEY)).toBe('on');
    fireEvent.click(screen.getByRole('switch'));
    expect(useBrowserAlertsStore.getState().enabled).toBe(false);
    expect(localStorage.getItem(BROWSER_ALERTS_KEY)).toBe('off');
  });

  it('is not offered in the desktop app, which has native notifications', () => {
    useAppStore.setState({ info: { ...APP_INFO, transport: 'ipc' } as AppInfo });
    render(<BrowserAlertsSwitch />);
    expect(screen.queryByRole('switch')).toBeNull();
  });

  it('shows warnings, errors and finished prints as they arrive, tagged per printer, not information, none while switched off; a click opens the printer', () => {
    alertInBrowser(notice('error'), 0);
    expect(FakeNotification.shown).toHaveLength(0);

    FakeNotification.permission = 'granted';
    useBrowserAlertsStore.setState({ enabled: true, permission: 'granted' });
    alertInBrowser(notice('info'), 1_000);
    alertInBrowser(notice('error', 'p7'), 2_000);
    alertInBrowser(notice('success', 'p8'), 3_000);
    expect(FakeNotification.shown.map((n) => [n.title, n.options.tag])).toEqual([
      ['p7 error', 'printdeck:p7'],
      ['p8 success', 'printdeck:p8'],
    ]);

    const focus = vi.spyOn(window, 'focus').mockImplementation(() => undefined);
    FakeNotification.shown[0]!.onclick!();
    expect(focus).toHaveBeenCalled();
    expect(useAppStore.getState()).toMatchObject({ route: 'devices', param: 'p7' });
    expect(FakeNotification.shown[0]!.closed).toBe(true);
  });

  it('turns itself off when the browser no longer allows notifications', () => {
    useBrowserAlertsStore.setState({ enabled: true, permission: 'granted' });
    FakeNotification.permission = 'denied';
    alertInBrowser(notice('error'), 100_000);
    expect(FakeNotification.shown).toHaveLength(0);
    expect(useBrowserAlertsStore.getState()).toMatchObject({ enabled: false, permission: 'denied' });
  });
});
