import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent, type WebFrameMain } from 'electron';
import { IPC_CALL_CHANNEL, IPC_EVENTS_CHANNEL, isAppUrl } from '../../shared/rpc/ipc-channels';
import { fail } from '../../shared/rpc/result';
import type { EventHub } from '../events/event-hub';
import type { Logger } from '../log';
import type { Registrar } from '../rpc/registrar';

/** Only the main frame of our own window, showing our own app:// page, may call. */
export function isTrustedSender(frame: WebFrameMain | null, window: BrowserWindow): boolean {
  if (!frame || window.isDestroyed()) return false;
  if (frame !== window.webContents.mainFrame) return false;
  return isAppUrl(frame.url);
}

/** Serves the contract to one window over Electron IPC, and streams event batches to it. */
export function serveWindow(window: BrowserWindow, registrar: Registrar, events: EventHub, log: Logger): () => void {
  const clientId = `window-${window.id}`;
  const handle = async (event: IpcMainInvokeEvent, frame: unknown) => {
    if (!isTrustedSender(event.senderFrame, window)) {
      log.warn(`refused IPC call from untrusted frame ${event.senderFrame?.url ?? '(gone)'}`);
      return fail('FORBIDDEN', 'This frame may not call Printdeck.');
    }
    const { method, payload } = (typeof frame === 'object' && frame !== null ? frame : {}) as {
      method?: unknown;
      payload?: unknown;
    };
    return registrar.dispatch(method, payload, { transport: 'ipc', clientId });
  };
  // Per-window IPC scope: other webContents cannot reach this handler at all.
  window.webContents.ipc.handle(IPC_CALL_CHANNEL, handle);
  const removeSink = events.addSink({
    deliver(batch) {
      if (!window.isDestroyed()) window.webContents.send(IPC_EVENTS_CHANNEL, batch);
    },
  });
  return () => {
    removeSink();
    if (!window.isDestroyed()) window.webContents.ipc.removeHandler(IPC_CALL_CHANNEL);
  };
}

/** Anything that reaches the global ipcMain (not a window scope) is refused and logged. */
export function refuseGlobalIpc(log: Logger): void {
  ipcMain.handle(IPC_CALL_CHANNEL, (event) => {
    log.warn(`refused IPC call outside a Printdeck window from ${event.senderFrame?.url ?? '(gone)'}`);
    return fail('FORBIDDEN', 'This frame may not call Printdeck.');
  });
}
