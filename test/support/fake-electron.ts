/**
 * An in-memory stand-in for the parts of Electron that carry IPC, so the real preload and the
 * real main-side IPC glue can be wired together in Node. Every message crosses structuredClone,
 * exactly as Electron's IPC serialises it (functions, class instances and Errors do not survive).
 */
export interface FakeFrame {
  url: string;
}

type Handler = (event: { senderFrame: FakeFrame | null }, arg: unknown) => unknown;
type RendererListener = (event: unknown, arg: unknown) => void;

export class FakeElectronBus {
  readonly mainFrame: FakeFrame = { url: 'app://printdeck/index.html' };
  /** The frame the next invoke claims to come from; tests swap it to play an intruder. */
  currentSender: FakeFrame | null = this.mainFrame;
  readonly exposed: Record<string, unknown> = {};
  private readonly handlers = new Map<string, Handler>();
  private readonly rendererListeners = new Map<string, Set<RendererListener>>();
  destroyed = false;
  sent = 0;

  readonly window = {
    id: 1,
    isDestroyed: () => this.destroyed,
    webContents: {
      mainFrame: this.mainFrame,
      ipc: {
        handle: (channel: string, handler: Handler) => this.handlers.set(channel, handler),
        removeHandler: (channel: string) => this.handlers.delete(channel),
      },
      send: (channel: string, arg: unknown) => {
        this.sent++;
        const cloned = structuredClone(arg);
        for (const l of this.rendererListeners.get(channel) ?? []) l({ sender: 'leaky' }, cloned);
      },
    },
  };

  readonly ipcRenderer = {
    invoke: async (channel: string, arg: unknown) => {
      const handler = this.handlers.get(channel);
      if (!handler) throw new Error(`No handler registered for '${channel}'`);
      const result = await handler({ senderFrame: this.currentSender }, structuredClone(arg));
      return structuredClone(result);
    },
    on: (channel: string, listener: RendererListener) => {
      let set = this.rendererListeners.get(channel);
      if (!set) this.rendererListeners.set(channel, (set = new Set()));
      set.add(listener);
    },
    off: (channel: string, listener: RendererListener) => {
      this.rendererListeners.get(channel)?.delete(listener);
    },
  };

  readonly contextBridge = {
    exposeInMainWorld: (key: string, api: unknown) => {
      this.exposed[key] = api;
    },
  };

  readonly ipcMain = { handle: () => {} };
  /** Paths of the Files the "user" dropped; any other File (one the page built) has none, as in Electron. */
  readonly droppedFiles = new Map<unknown, string>();
  readonly webUtils = { getPathForFile: (file: unknown): string => this.droppedFiles.get(file) ?? '' };
}
