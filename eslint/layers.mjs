// @ts-check
/**
 * The layer rules of docs/architecture.md as data, in the style of VS Code's `code-layering` and
 * `code-import-patterns` rules: for each folder (a glob from the repository root), which files and
 * which npm packages its files may import. The first entry whose `target` matches a file applies;
 * a linted file that no entry names is an error too, so a new folder has to be placed here.
 * `./code-layering.mjs` enforces the table; test/unit/architecture proves that it bites.
 *
 * Globs: `*` is one path segment, `**` any depth, `{a,b}` either. Package names match the same way
 * (`@noble/*`, `node:*`); Node built-ins count as `node:<name>` with or without the prefix.
 */

// --- npm packages, by where they can run ---
/** Runs anywhere, the browser included. */
const BROWSER_PACKAGES = ['zod'];
/** The React UI. */
const UI_PACKAGES = ['react', 'react-dom', 'zustand', 'qrcode'];
const NODE = ['node:*'];
/** What main may use: the browser-safe packages and the Node-only libraries (sockets, gRPC, serial ports, codecs, the chat crypto). */
const MAIN_PACKAGES = [
  ...BROWSER_PACKAGES,
  '@grpc/grpc-js',
  '@bufbuild/protobuf',
  'serialport',
  'ws',
  'sockjs-client',
  'fflate',
  'jpeg-js',
  '@noble/*',
  'mqtt',
];
/** Only the simulators serve SockJS. */
const SIM_PACKAGES = ['sockjs'];
const TEST_PACKAGES = [
  'vitest',
  'eslint',
  'fast-check',
  '@testing-library/*',
  'happy-dom',
  '@playwright/test',
  '@axe-core/playwright',
  'playwright-core',
];

// --- the main process, top to bottom ---
const SHARED = 'src/shared/**';
/** The ground floor of main: logging, the version, generated gRPC code, and src/shared. */
const BASE = ['src/main/log.ts', 'src/main/version.ts', 'src/main/gen/**', SHARED];
/** Services every domain gets through its DomainContext. */
const SERVICES = 'src/main/{connections,events,files,notifications,store,rpc}/**';
/** The device abstraction (PrinterDriver, Fleet): below the domains, so every family can register. */
const DEVICES = 'src/main/devices/**';
/** Network client layers every domain may share (one gRPC client layer for Armory, Skiserver and IMSS). */
const NET = 'src/main/net/**';
/** Domains never import each other; what two of them share lives below them. */
export const DOMAINS = ['printers', 'cloud', 'chat', 'uploads', 'mqtt', 'jobs'];
const DOMAIN_FOLDERS = DOMAINS.map((d) => `src/main/${d}/**`);
const BELOW_DOMAINS = ['src/main/domain.ts', DEVICES, NET, SERVICES, ...BASE];
/** The seam through which the entry points hand the demo fleet (sim/) to the hub. */
const DEMO_PORT = 'src/main/demo-fleet-port.ts';

/**
 * @typedef {{ target: string | string[], layer: string, allow: string[], why: string }} LayerRule
 * @type {LayerRule[]}
 */
export const LAYERS = [
  {
    target: 'src/shared/**',
    layer: 'shared',
    allow: [SHARED, ...BROWSER_PACKAGES],
    why: 'src/shared runs in main, the preload and the browser: it imports nothing above it and no Node-only package.',
  },
  {
    target: 'src/renderer/**',
    layer: 'renderer',
    allow: ['src/renderer/**', SHARED, ...BROWSER_PACKAGES, ...UI_PACKAGES],
    why: 'the renderer runs in a browser and reaches main only through the contract (window.printdeck): no main, no sim, no Node-only package.',
  },
  {
    target: 'src/preload/**',
    layer: 'preload',
    allow: ['src/preload/**', SHARED, 'electron'],
    why: 'the preload builds the contract client on src/shared and electron only.',
  },
  // Entry points: the only files that compose sim/ (the demo fleet) into the product.
  {
    target: 'src/main/index.ts',
    layer: 'entry point',
    allow: ['src/main/electron/**'],
    why: 'the Electron entry point only starts the app in src/main/electron.',
  },
  {
    target: 'src/main/electron/**',
    layer: 'entry point (Electron shell)',
    allow: ['src/main/**', SHARED, 'sim/**', ...NODE, ...MAIN_PACKAGES, 'electron'],
    why: 'the Electron shell may use all of main and compose the demo fleet.',
  },
  {
    target: 'src/main/cli/**',
    layer: 'entry point (CLI)',
    allow: ['src/main/**', SHARED, 'sim/**', ...NODE, ...MAIN_PACKAGES],
    why: 'the CLI may use all of main and compose the demo fleet; only src/main/electron and src/preload import electron.',
  },
  {
    target: 'src/main/host/**',
    layer: 'headless host',
    allow: ['src/main/host/**', 'src/main/hub.ts', SERVICES, ...BASE, ...NODE, ...MAIN_PACKAGES],
    why: 'the host serves the hub over WebSocket; it does not reach into domains, entry points, sim/ or electron.',
  },
  {
    target: 'src/main/hub.ts',
    layer: 'composition root',
    allow: [...DOMAIN_FOLDERS, DEMO_PORT, ...BELOW_DOMAINS, ...NODE],
    why: 'the hub builds the domains; it gets the demo fleet through DemoFleetPort and never imports sim/ or a transport.',
  },
  {
    target: DEMO_PORT,
    layer: 'demo fleet port',
    allow: [SHARED],
    why: 'the port is a plain interface over the contract types.',
  },
  ...DOMAINS.map((domain) => ({
    target: `src/main/${domain}/**`,
    layer: `domain ${domain}`,
    allow: [`src/main/${domain}/**`, ...BELOW_DOMAINS, ...NODE, ...MAIN_PACKAGES],
    why: 'a domain imports its own folder and what lies below the domains (src/main/devices, the services, src/shared); never a sibling domain, the hub, a transport, sim/ or electron.',
  })),
  {
    target: 'src/main/domain.ts',
    layer: 'domain context',
    allow: [DEVICES, SERVICES, ...BASE, ...NODE],
    why: 'the DomainContext is built from devices and services, below every domain.',
  },
  {
    target: DEVICES,
    layer: 'devices',
    allow: [DEVICES, SERVICES, ...BASE, ...NODE],
    why: 'devices sit below the domains: a family registers with the fleet, the fleet never imports a family.',
  },
  {
    target: NET,
    layer: 'network client layers',
    allow: [NET, ...BASE, ...NODE, '@grpc/grpc-js'],
    why: 'the gRPC client layer sits below the domains and knows none of them: each domain brings its own error table.',
  },
  {
    target: SERVICES,
    layer: 'services',
    allow: [SERVICES, ...BASE, ...NODE, ...MAIN_PACKAGES],
    why: 'services sit below devices and domains.',
  },
  {
    target: ['src/main/log.ts', 'src/main/version.ts'],
    layer: 'base',
    allow: [SHARED, ...NODE],
    why: 'logging and the version are the ground floor of main.',
  },
  {
    target: 'sim/**',
    layer: 'simulators',
    allow: ['sim/**', DEMO_PORT, ...DOMAIN_FOLDERS, ...BELOW_DOMAINS, ...NODE, ...MAIN_PACKAGES, ...SIM_PACKAGES],
    why: 'simulators may use product code below the hub; the entry points import them, so they never import an entry point, the hub or the host.',
  },
  {
    target: ['test/**', 'bench/**', 'e2e/**'],
    layer: 'tests and benchmarks',
    allow: ['**', ...NODE, ...MAIN_PACKAGES, ...SIM_PACKAGES, ...UI_PACKAGES, ...TEST_PACKAGES],
    why: 'tests drive every layer, but never import electron (the Electron binary is not there).',
  },
];

/** Files the rule checks; everything in them must match a target above. */
export const LAYERED_FILES = ['src/**/*.{ts,tsx}', 'sim/**/*.ts', 'test/**/*.{ts,tsx}', 'bench/**/*.ts', 'e2e/**/*.ts'];
