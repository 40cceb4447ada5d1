// Electron entry point (out/main/index.js). Everything Electron-specific lives in ./electron.
import { runDesktopApp } from './electron/app';

runDesktopApp();
