/** Byte transports to da Vinci printers: serial/USB, TCP 9100, and per-command TCP for the 1.1 Plus. */
export * from './transport';
export * from './os-errors';
export * from './tcp-transport';
export * from './serial-transport';
export * from './serial-discovery';
export * from './tcp-command-channel';
