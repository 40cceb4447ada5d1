import path from 'node:path';
import { app, BrowserWindow, nativeTheme } from 'electron';
import { APP_ORIGIN } from '../../shared/rpc/ipc-channels';
import { shellPolicy } from './shell-policy';

export function createMainWindow(preloadPath: string): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 840,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'Printdeck',
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#15171a' : '#f6f7f9',
    webPreferences: {
      preload: path.resolve(preloadPath),
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      spellcheck: false,
      devTools: shellPolicy(app.isPackaged, process.platform).devTools,
    },
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(`${APP_ORIGIN}/index.html`);
  return window;
}
