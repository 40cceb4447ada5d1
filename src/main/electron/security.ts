import { app, session, shell } from 'electron';
import { isAppUrl } from '../../shared/rpc/ipc-channels';
import type { Logger } from '../log';
import { allowPermission } from './shell-policy';

const EXTERNAL_PROTOCOLS = new Set(['https:', 'http:', 'mailto:']);

/** Opens a link in the system browser only for web and mail links (never file:, never custom schemes). */
export function openExternalSafely(raw: string, log: Logger): void {
  try {
    const url = new URL(raw);
    if (EXTERNAL_PROTOCOLS.has(url.protocol)) void shell.openExternal(url.toString());
    else log.warn(`refused to open ${url.protocol} link externally`);
  } catch {
    log.warn('refused to open a malformed link');
  }
}

/** Deny-by-default hardening applied to every webContents the app ever creates. */
export function hardenWebContents(log: Logger): void {
  session.defaultSession.setPermissionRequestHandler((_wc, permission, callback) => {
    const allowed = allowPermission(permission);
    if (!allowed) log.warn(`denied a ${permission} permission request`);
    callback(allowed);
  });
  session.defaultSession.setPermissionCheckHandler((_wc, permission) => allowPermission(permission));

  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url)) {
        event.preventDefault();
        log.warn(`blocked navigation to ${url}`);
      }
    });
    contents.on('will-redirect', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    contents.setWindowOpenHandler(({ url }) => {
      openExternalSafely(url, log);
      return { action: 'deny' };
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
}
