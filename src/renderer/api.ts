import type { PrintdeckClient } from '../shared/rpc/client';

declare global {
  interface Window {
    /** The contract client: from the preload in Electron, over WebSocket in a browser. */
    printdeck?: PrintdeckClient;
    printdeckFiles?: { pathOf(file: File): string };
  }
}

let client: PrintdeckClient | null = null;

export function setClient(c: PrintdeckClient): void {
  client = c;
}

export function api(): PrintdeckClient {
  if (!client) throw new Error('Printdeck client not initialised');
  return client;
}
