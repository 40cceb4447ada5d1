/**
 * The MQTT topic tree Printdeck publishes (docs/mqtt.md), built and parsed in one place:
 *
 *   <base>/<site>/<host>/status                       online | offline (retained, also the Last Will)
 *   <base>/<site>/<host>/info                         host JSON (retained)
 *   <base>/<site>/<host>/printer/<printer>/status     online | offline (retained)
 *   <base>/<site>/<host>/printer/<printer>/state      state JSON (retained)
 *   <base>/<site>/<host>/printer/<printer>/profile    what it can print, JSON (retained; another site's queue routes by it)
 *   <base>/<site>/<host>/printer/<printer>/event      job events (not retained)
 *   <base>/<site>/<host>/printer/<printer>/camera     JPEG (not retained, opt-in)
 *   <base>/<site>/<host>/printer/<printer>/cmd/<a>    commands in (never retained, opt-in)
 *   <base>/<site>/<host>/printer/<printer>/ack        command replies (outside cmd/, so a commander cannot forge one)
 *
 * Every level is a slug, so no level can hold a wildcard, a `$` or a separator.
 */

export const SLUG = /^[a-z0-9][a-z0-9_-]{0,47}$/;
export const DEFAULT_BASE = 'printdeck';
export const COMMAND_ACTIONS = ['pause', 'resume', 'cancel', 'print-job', 'print'] as const;
export type CommandAction = (typeof COMMAND_ACTIONS)[number];
/** The actions a person presses (Home Assistant buttons); the others carry a job or a file. */
export const BUTTON_ACTIONS = ['pause', 'resume', 'cancel'] as const;
export type ButtonAction = (typeof BUTTON_ACTIONS)[number];

export function isButtonAction(value: string): value is ButtonAction {
  return (BUTTON_ACTIONS as readonly string[]).includes(value);
}

export function isCommandAction(value: string): value is CommandAction {
  return (COMMAND_ACTIONS as readonly string[]).includes(value);
}

/** FNV-1a, 32 bits, as 8 hex digits: a short stable suffix that keeps two mangled ids apart. */
function shortHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

/**
 * A topic level from any id: kept as it is when it already is a slug, otherwise lower-cased, every
 * other character replaced by `-`, and a hash of the original appended (so `A:1` and `a-1` differ).
 */
export function slugify(raw: string): string {
  if (SLUG.test(raw)) return raw;
  const cleaned = raw
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^[-_]+/, '')
    .slice(0, 38);
  return `${cleaned}${cleaned ? '-' : ''}${shortHash(raw)}`;
}

export interface PrinterTopics {
  status: string;
  state: string;
  profile: string;
  event: string;
  camera: string;
  ack: string;
  cmd(action: CommandAction): string;
}

export interface HostTopics {
  status: string;
  info: string;
  printer(printer: string): PrinterTopics;
  /** Every command to any of this host's printers (unlisted actions are answered FORBIDDEN). */
  commandFilter: string;
}

export function hostTopics(base: string, site: string, host: string): HostTopics {
  const root = `${base}/${site}/${host}`;
  return {
    status: `${root}/status`,
    info: `${root}/info`,
    printer(printer) {
      const p = `${root}/printer/${printer}`;
      return {
        status: `${p}/status`,
        state: `${p}/state`,
        profile: `${p}/profile`,
        event: `${p}/event`,
        camera: `${p}/camera`,
        ack: `${p}/ack`,
        cmd: (action) => `${p}/cmd/${action}`,
      };
    },
    commandFilter: `${root}/printer/+/cmd/+`,
  };
}

/** What a site subscriber listens to: every host of a site. */
export function siteFilters(base: string, site: string): string[] {
  const s = `${base}/${site}`;
  return [`${s}/+/status`, `${s}/+/info`, `${s}/+/printer/+/status`, `${s}/+/printer/+/state`, `${s}/+/printer/+/profile`, `${s}/+/printer/+/ack`, `${s}/+/printer/+/camera`];
}

export type ParsedTopic =
  | { kind: 'host-status'; host: string }
  | { kind: 'host-info'; host: string }
  | { kind: 'printer-status' | 'printer-state' | 'printer-profile' | 'printer-event' | 'printer-camera' | 'printer-ack'; host: string; printer: string }
  | { kind: 'printer-cmd'; host: string; printer: string; action: string };

const PRINTER_LEAVES = {
  status: 'printer-status',
  state: 'printer-state',
  profile: 'printer-profile',
  event: 'printer-event',
  camera: 'printer-camera',
  ack: 'printer-ack',
} as const;

/** Reads a topic of one site's tree; anything else (another site, a malformed level) is null. */
export function parseTopic(base: string, site: string, topic: string): ParsedTopic | null {
  const prefix = `${base}/${site}/`;
  if (!topic.startsWith(prefix)) return null;
  const parts = topic.slice(prefix.length).split('/');
  const [host, second, printer, leaf, action] = parts;
  if (!host || !SLUG.test(host)) return null;
  if (parts.length === 2 && second === 'status') return { kind: 'host-status', host };
  if (parts.length === 2 && second === 'info') return { kind: 'host-info', host };
  if (second !== 'printer' || !printer || !SLUG.test(printer) || !leaf) return null;
  if (parts.length === 4 && Object.hasOwn(PRINTER_LEAVES, leaf)) {
    return { kind: PRINTER_LEAVES[leaf as keyof typeof PRINTER_LEAVES], host, printer };
  }
  if (parts.length === 5 && leaf === 'cmd' && action) return { kind: 'printer-cmd', host, printer, action };
  return null;
}
