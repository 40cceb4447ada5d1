import path from 'node:path';
import { app, BrowserWindow, dialog, Menu } from 'electron';
import { defaultDemoFleet, defaultDemoPlan, defaultDemoQueue } from '../../../sim/demo/plan';
import { Hub } from '../hub';
import { createLogger } from '../log';
import { StoreOpenError } from '../store/database';
import { registerAppScheme, serveAppProtocol } from './app-protocol';
import { refuseGlobalIpc, serveWindow } from './ipc';
import { nativeNotifier } from './notifier';
import { SafeStorageKeyProvider } from './safe-storage-key';
import { hardenWebContents } from './security';
import { notificationTarget, shellPolicy } from './shell-policy';
import { createMainWindow } from './window';

/** The desktop app: one window over the same Hub the headless host serves. */
export function runDesktopApp(): void {
  const log = createLogger('app');
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  registerAppScheme();
  let hub: Hub | null = null;
  let window: BrowserWindow | null = null;

  const open = (): void => {
    if (!hub) return;
    window = createMainWindow(path.join(__dirname, '../preload/index.js'));
    const stopServing = serveWindow(window, hub.registrar, hub.events, log.child('ipc'), hub.picked);
    window.on('closed', () => {
      stopServing();
      window = null;
    });
  };

  app.on('second-instance', () => {
    if (window) {
      if (window.isMinimized()) window.restore();
      window.focus();
    }
  });

  app.whenReady().then(async () => {
    const { menu } = shellPolicy(app.isPackaged, process.platform);
    if (menu !== 'electron-default') Menu.setApplicationMenu(menu && Menu.buildFromTemplate(menu));
    hardenWebContents(log);
    refuseGlobalIpc(log);
    serveAppProtocol(path.join(__dirname, '../renderer'));
    const dataDir = app.getPath('userData');
    try {
      hub = await Hub.create({ dataDir, keyProvider: new SafeStorageKeyProvider(dataDir, log), log, demo: defaultDemoFleet(dataDir, defaultDemoPlan, { queue: defaultDemoQueue }) });
    } catch (err) {
      const message = err instanceof StoreOpenError ? err.message : `Printdeck could not start: ${(err as Error).message}`;
      dialog.showErrorBox('Printdeck', message);
      app.exit(3);
      return;
    }
    hub.notifications.setDesktopNotifier(
      nativeNotifier((route) => {
        if (!window) return;
        const target = notificationTarget(route);
        // Same document, new hash: the renderer's router follows it (no will-navigate, no reload).
        if (target) void window.loadURL(target);
        window.show();
        window.focus();
      }),
    );
    if (process.argv.includes('--demo')) await hub.startDemo().catch((err: unknown) => log.error('demo fleet failed', err));
    open();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) open();
    });
  }, (err: unknown) => log.error('startup failed', err));

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting || !hub) return;
    event.preventDefault();
    quitting = true;
    void hub.close().finally(() => app.quit());
  });
}
