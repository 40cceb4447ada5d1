/** The only two Electron IPC channels: every call goes through one, every event batch through the other. */
export const IPC_CALL_CHANNEL = 'printdeck:call';
export const IPC_EVENTS_CHANNEL = 'printdeck:events';
/** The origin the renderer is served from inside Electron; the IPC sender check compares against it. */
export const APP_ORIGIN = 'app://printdeck';

/**
 * True for pages of our own UI. Compares scheme and host, not `URL.origin`: for custom schemes
 * WHATWG URL (Node's, and so Electron main's) reports the origin as "null".
 */
export function isAppUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    return url.protocol === 'app:' && url.host === 'printdeck';
  } catch {
    return false;
  }
}
