import type { PickedFile } from '../shared/contract';
import type { PrintdeckClient } from '../shared/rpc/client';

declare global {
  interface Window {
    /** The contract client: from the preload in Electron, over WebSocket in a browser. */
    printdeck?: PrintdeckClient;
    /** Desktop only: tokens for files the user dropped or picked (the page never names host paths). */
    printdeckFiles?: {
      refOf(file: File): Promise<PickedFile | null>;
      pickFolder(): Promise<{ ref: PickedFile; path: string } | null>;
    };
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
