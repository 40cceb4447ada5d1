import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';

/** Where an Electron binary is, if anywhere: ELECTRON_OVERRIDE_DIST_PATH, or the one the electron package downloaded. */
function electronBinary(): string | null {
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const bin = path.join(override, process.platform === 'win32' ? 'electron.exe' : 'electron');
    return existsSync(bin) ? bin : null;
  }
  const pkg = path.dirname(require.resolve('electron/package.json'));
  const pathTxt = path.join(pkg, 'path.txt');
  if (!existsSync(pathTxt)) return null;
  const bin = path.join(pkg, 'dist', readFileSync(pathTxt, 'utf8').trim());
  return existsSync(bin) ? bin : null;
}

const binary = electronBinary();

test.skip(
  binary === null,
  'No Electron binary on this machine (it cannot be downloaded here). Set ELECTRON_OVERRIDE_DIST_PATH to an Electron 45 dist folder to run this project.',
);

test('the desktop app opens its secure window on the empty state', async () => {
  const userData = mkdtempSync(path.join(os.tmpdir(), 'printdeck-electron-'));
  const app = await electron.launch({
    executablePath: binary!,
    args: [path.resolve(__dirname, '../../out/main/index.js'), `--user-data-dir=${userData}`],
    env: { ...process.env, ELECTRON_DISABLE_SECURITY_WARNINGS: '1' },
  });
  const window = await app.firstWindow();
  await expect(window.getByRole('heading', { name: 'No printers yet' })).toBeVisible();
  const prefs = await app.evaluate(({ BrowserWindow }) => {
    const w = BrowserWindow.getAllWindows()[0]!;
    const prefs = (w.webContents as unknown as { getLastWebPreferences?: () => { sandbox?: boolean } }).getLastWebPreferences?.();
    return { url: w.webContents.getURL(), sandboxed: prefs?.sandbox ?? null };
  });
  expect(prefs.url).toMatch(/^app:\/\/printdeck\//);
  expect(prefs.sandboxed).toBe(true);
  // The page has the contract client and no Node.
  expect(await window.evaluate(() => typeof (window as unknown as { require?: unknown }).require)).toBe('undefined');
  expect(await window.evaluate(() => typeof (window as unknown as { printdeck?: { call?: unknown } }).printdeck?.call)).toBe('function');
  await app.close();
});
