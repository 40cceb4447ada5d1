import type { ProviderFactory } from '../fleet';

/** da Vinci printers over USB/serial/TCP; null until the driver lands. */
export const xyzProvider: ProviderFactory | null = null;
