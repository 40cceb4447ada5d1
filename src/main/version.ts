/** Injected at build time by Vite (`define`); the fallback serves tests run straight from source. */
declare const __PRINTDECK_VERSION__: string | undefined;
export const APP_VERSION: string = typeof __PRINTDECK_VERSION__ === 'string' ? __PRINTDECK_VERSION__ : '0.0.0-dev';
