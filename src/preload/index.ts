import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { createClient, type ClientTransport } from '../shared/rpc/client';
import { IPC_CALL_CHANNEL, IPC_EVENTS_CHANNEL } from '../shared/rpc/ipc-channels';
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

// Dropped files carry no path in sandboxed renderers; this gives the path of a File the user dropped.
contextBridge.exposeInMainWorld('printdeckFiles', {
  pathOf: (file: File): string => webUtils.getPathForFile(file),
});
