import { describe, expect, it } from 'vitest';
import { allowPermission, notificationTarget, shellPolicy } from '../../../src/main/electron/shell-policy';

describe('desktop shell policy', () => {
  it('denies every permission request, notifications included (main shows notices natively)', () => {
    for (const permission of ['notifications', 'media', 'geolocation', 'clipboard-read', 'openExternal', 'fullscreen']) {
      expect(allowPermission(permission)).toBe(false);
    }
  });

  it('keeps DevTools and the default menu out of packaged builds', () => {
    for (const platform of ['linux', 'win32', 'darwin'] as const) {
      const packaged = shellPolicy(true, platform);
      expect(packaged.devTools).toBe(false);
      expect(packaged.menu).not.toBe('electron-default');
      const roles = JSON.stringify(packaged.menu ?? []);
      expect(roles).not.toMatch(/toggleDevTools|reload|forceReload|viewMenu/i);
    }
    expect(shellPolicy(true, 'linux').menu).toBeNull();
    expect(shellPolicy(false, 'linux')).toEqual({ devTools: true, menu: 'electron-default' });
  });

  it("turns a notification's route into the renderer's hash route", () => {
    expect(notificationTarget('devices/xyz:tcp/1')).toBe('app://printdeck/index.html#/devices/xyz%3Atcp%2F1');
    expect(notificationTarget('uploads')).toBe('app://printdeck/index.html#/uploads');
    expect(notificationTarget(null)).toBeNull();
    expect(notificationTarget('https://evil.example/')).toBeNull();
    expect(notificationTarget('../etc')).toBeNull();
  });
});
