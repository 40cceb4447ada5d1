/** Electron IPC channels: every call goes through one, every event batch through the other. */
export const IPC_CALL_CHANNEL = 'printdeck:call';
export const IPC_EVENTS_CHANNEL = 'printdeck:events';
/**
 * The preload registers the path of a file the user dropped or picked (webUtils.getPathForFile) and
 * gets an opaque token for it; calls carry `{kind:'picked', token}`, never a path the page chose.
 */
export const IPC_PICKED_FILE_CHANNEL = 'printdeck:picked-file';
/** Main shows the system's folder picker and returns a token for the chosen folder. */
export const IPC_PICK_FOLDER_CHANNEL = 'printdeck:pick-folder';
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
