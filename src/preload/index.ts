import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { createClient, type ClientTransport } from '../shared/rpc/client';
import type { PickedFile } from '../shared/contract';
import { IPC_CALL_CHANNEL, IPC_EVENTS_CHANNEL, IPC_PICK_FOLDER_CHANNEL, IPC_PICKED_FILE_CHANNEL } from '../shared/rpc/ipc-channels';
import type { EventItem } from '../shared/rpc/wire';

// The renderer gets the contract client and nothing else: no ipcRenderer, no generic send.
const transport: ClientTransport = {
  request: (method, payload) => ipcRenderer.invoke(IPC_CALL_CHANNEL, { method, payload }),
  onEvents(listener) {
    // The IpcRendererEvent is not passed on: it would leak `sender` to the page.
    const handler = (_event: unknown, batch: unknown): void => {
      if (Array.isArray(batch)) listener(batch as EventItem[]);
    };
    ipcRenderer.on(IPC_EVENTS_CHANNEL, handler);
    return () => ipcRenderer.off(IPC_EVENTS_CHANNEL, handler);
  },
};

const client = createClient(transport);

contextBridge.exposeInMainWorld('printdeck', {
  call: client.call,
  on: client.on,
  onLinkStatus: client.onLinkStatus,
  linkStatus: client.linkStatus,
});

/**
 * Dropped and picked files reach main as opaque tokens: the preload registers the path of a real
 * File (webUtils.getPathForFile gives '' for one the page built itself), and the page never names
 * a path. Main opens only what was registered.
 */
async function refOf(file: File): Promise<PickedFile | null> {
  const filePath = webUtils.getPathForFile(file);
  if (!filePath) return null;
  const r = (await ipcRenderer.invoke(IPC_PICKED_FILE_CHANNEL, filePath)) as { ok: boolean; value?: { token: string } };
  return r.ok && r.value ? { kind: 'picked', token: r.value.token } : null;
}

async function pickFolder(): Promise<{ ref: PickedFile; path: string } | null> {
  const r = (await ipcRenderer.invoke(IPC_PICK_FOLDER_CHANNEL)) as { ok: boolean; value?: { token: string; path: string } | null };
  return r.ok && r.value ? { ref: { kind: 'picked', token: r.value.token }, path: r.value.path } : null;
}

contextBridge.exposeInMainWorld('printdeckFiles', { refOf, pickFolder });
