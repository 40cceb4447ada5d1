import { dialog, ipcMain, type BrowserWindow, type IpcMainInvokeEvent, type WebFrameMain } from 'electron';
import { IPC_CALL_CHANNEL, IPC_EVENTS_CHANNEL, IPC_PICK_FOLDER_CHANNEL, IPC_PICKED_FILE_CHANNEL, isAppUrl } from '../../shared/rpc/ipc-channels';
import { AppError, fail, ok } from '../../shared/rpc/result';
import type { EventHub } from '../events/event-hub';
import type { PickedFiles } from '../files/picked-files';
import type { Logger } from '../log';
import type { Registrar } from '../rpc/registrar';

/** Only the main frame of our own window, showing our own app:// page, may call. */
export function isTrustedSender(frame: WebFrameMain | null, window: BrowserWindow): boolean {
  if (!frame || window.isDestroyed()) return false;
  if (frame !== window.webContents.mainFrame) return false;
  return isAppUrl(frame.url);
}

const ALL_CHANNELS = [IPC_CALL_CHANNEL, IPC_PICKED_FILE_CHANNEL, IPC_PICK_FOLDER_CHANNEL];

/** Serves the contract to one window over Electron IPC, and streams event batches to it. */
export function serveWindow(window: BrowserWindow, registrar: Registrar, events: EventHub, log: Logger, picked: PickedFiles): () => void {
  const clientId = `window-${window.id}`;
  const untrusted = (event: IpcMainInvokeEvent) => {
    if (isTrustedSender(event.senderFrame, window)) return null;
    log.warn(`refused IPC call from untrusted frame ${event.senderFrame?.url ?? '(gone)'}`);
    return fail('FORBIDDEN', 'This frame may not call Printdeck.');
  };
  const handle = async (event: IpcMainInvokeEvent, frame: unknown) => {
    const refused = untrusted(event);
    if (refused) return refused;
    const { method, payload } = (typeof frame === 'object' && frame !== null ? frame : {}) as {
      method?: unknown;
      payload?: unknown;
    };
    return registrar.dispatch(method, payload, { transport: 'ipc', clientId });
  };
  // Per-window IPC scope: other webContents cannot reach this handler at all.
  window.webContents.ipc.handle(IPC_CALL_CHANNEL, handle);
  // The preload sends the path webUtils.getPathForFile gave for a dropped or picked File; the page gets a token.
  window.webContents.ipc.handle(IPC_PICKED_FILE_CHANNEL, (event, file: unknown) => {
    const refused = untrusted(event);
    if (refused) return refused;
    try {
      return ok({ token: picked.register(file as string) });
    } catch (err) {
      return err instanceof AppError ? { ok: false, error: err.toShape() } : fail('BAD_REQUEST', 'Not a file path.');
    }
  });
  window.webContents.ipc.handle(IPC_PICK_FOLDER_CHANNEL, async (event) => {
    const refused = untrusted(event);
    if (refused) return refused;
    const chosen = await dialog.showOpenDialog(window, { properties: ['openDirectory'] });
    const folder = chosen.canceled ? undefined : chosen.filePaths[0];
    return ok(folder ? { token: picked.register(folder), path: folder } : null);
  });
  const removeSink = events.addSink({
    deliver(batch) {
      if (!window.isDestroyed()) window.webContents.send(IPC_EVENTS_CHANNEL, batch);
    },
  }, clientId);
  return () => {
    removeSink();
    if (!window.isDestroyed()) for (const channel of ALL_CHANNELS) window.webContents.ipc.removeHandler(channel);
  };
}

/** Anything that reaches the global ipcMain (not a window scope) is refused and logged. */
export function refuseGlobalIpc(log: Logger): void {
  for (const channel of ALL_CHANNELS) {
    ipcMain.handle(channel, (event) => {
      log.warn(`refused IPC call outside a Printdeck window from ${event.senderFrame?.url ?? '(gone)'}`);
      return fail('FORBIDDEN', 'This frame may not call Printdeck.');
    });
  }
}
