import { z } from 'zod';
import { Ack, Empty } from './app';
import { call, event } from './define';

/** What a configured connection points at: a printer family or one of the cloud services. */
export const ConnectionKind = z.enum(['xyz', 'octoprint', 'moonraker', 'marlin', 'armory', 'skiserver', 'imss', 'site']);
export type ConnectionKind = z.infer<typeof ConnectionKind>;

export const ConnectionOrigin = z.enum(['user', 'demo']);
export type ConnectionOrigin = z.infer<typeof ConnectionOrigin>;

const OptionValue = z.union([z.string().max(1000), z.number().finite(), z.boolean()]);
export const ConnectionOptions = z
  .record(z.string().regex(/^[a-zA-Z][a-zA-Z0-9_.-]{0,63}$/), OptionValue)
  .refine((o) => Object.keys(o).length <= 32, 'at most 32 options');
export type ConnectionOptions = z.infer<typeof ConnectionOptions>;

/** Address schemes each kind accepts; the hint is shown to the user when an address is refused. */
export const ADDRESS_SCHEMES: Record<ConnectionKind, { schemes: readonly string[]; hint: string }> = {
  xyz: {
    schemes: ['tcp:', 'serial:', 'usb:'],
    hint: 'tcp://192.168.1.20:9100 (Wi-Fi), serial:///dev/ttyACM0 (USB or serial port) or usb://<serial number>',
  },
  octoprint: { schemes: ['http:', 'https:'], hint: 'octopi.local, 127.0.0.1:5000 or https://printer.example.org' },
  moonraker: { schemes: ['http:', 'https:'], hint: 'http://voron.local:7125 (or just voron.local:7125)' },
  marlin: { schemes: ['serial:'], hint: 'serial:///dev/ttyUSB0?baud=115200 (leave out ?baud= to have it detected)' },
  armory: { schemes: ['grpc:', 'grpcs:'], hint: 'grpcs://armory.example.com:443 (grpc:// for plaintext)' },
  skiserver: { schemes: ['grpc:', 'grpcs:'], hint: 'grpcs://chat.example.com:443 (grpc:// for plaintext)' },
  imss: { schemes: ['grpc:', 'grpcs:'], hint: 'grpcs://imss.example.com:443 (grpc:// for plaintext)' },
  site: { schemes: ['mqtt:', 'mqtts:'], hint: 'mqtts://broker.example.org:8883/lab-2 (the broker, then the site name)' },
};

/** A site name as it appears in MQTT topics (docs/mqtt.md). */
export const SITE_NAME = /^[a-z0-9][a-z0-9_-]{0,47}$/;

/** Kinds whose users type a bare host: Mainsail and Fluidd show `voron.local:7125`, OctoPi is `octopi.local`. */
const BARE_HOST_MEANS_HTTP: ReadonlySet<ConnectionKind> = new Set(['moonraker', 'octoprint']);

/**
 * The address as the driver uses it. A Moonraker or OctoPrint address without a scheme
 * (`octopi.local`, `127.0.0.1:5000`) means plain http, as those servers serve by default.
 */
export function normalizeAddress(kind: ConnectionKind, address: string): string {
  const trimmed = address.trim();
  return BARE_HOST_MEANS_HTTP.has(kind) && !/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? `http://${trimmed}` : trimmed;
}

/** Returns a human message when `address` does not suit `kind`, else null. */
export function addressProblem(kind: ConnectionKind, address: string): string | null {
  let url: URL;
  try {
    url = new URL(normalizeAddress(kind, address));
  } catch {
    return `"${address}" is not an address. Expected something like ${ADDRESS_SCHEMES[kind].hint}.`;
  }
  const { schemes, hint } = ADDRESS_SCHEMES[kind];
  if (!schemes.includes(url.protocol)) return `A ${kind} connection needs an address like ${hint}.`;
  if (url.protocol === 'serial:') {
    if (url.pathname.length <= 1) return `A serial address names the port, e.g. serial:///dev/ttyACM0.`;
    const baud = url.searchParams.get('baud');
    if (baud !== null && !/^[1-9]\d{2,6}$/.test(baud)) return `"${baud}" is not a baud rate; use e.g. ?baud=115200 or ?baud=250000, or leave it out.`;
    return null;
  }
  if (kind === 'site' && !SITE_NAME.test(decodeURIComponent(url.pathname.slice(1)))) {
    return `A site address ends with the site name (lower-case letters, digits, - and _), e.g. ${ADDRESS_SCHEMES.site.hint}.`;
  }
  if (url.protocol === 'usb:') return url.hostname.length > 0 || url.pathname.length > 1 ? null : 'A usb address names the printer serial number.';
  if (!url.hostname) return `The address has no host. Expected something like ${hint}.`;
  // A broker user name may stay in a site's address (it is not a secret); passwords never do.
  if (url.password || (url.username && kind !== 'site')) {
    return 'Leave the user name and password out of the address: put the key or password in its own field, where it is stored encrypted.';
  }
  return null;
}

export const Connection = z.object({
  id: z.string().min(1).max(64),
  kind: ConnectionKind,
  name: z.string().min(1).max(120),
  address: z.string().min(1).max(2048),
  options: ConnectionOptions,
  /** True when a secret (API key, password) is stored for it; the secret itself never leaves main. */
  hasSecret: z.boolean(),
  origin: ConnectionOrigin,
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
});
export type Connection = z.infer<typeof Connection>;

const Name = z.string().trim().min(1, 'a name is required').max(120);
const Address = z.string().trim().min(1, 'an address is required').max(2048);
// Secrets travel in headers and metadata: control characters would only ever produce errors
// (whose messages then carry the secret), so they are refused here.
const Secret = z
  .string()
  .min(1)
  .max(8192)
  .regex(/^[^\x00-\x1f\x7f]+$/, 'must not contain control characters or line breaks');

/** Kinds whose secret travels in an HTTP header or gRPC metadata, where only visible ASCII can go. */
const HEADER_SECRET_KINDS: ReadonlySet<ConnectionKind> = new Set(['octoprint', 'imss']);
const VISIBLE_ASCII = /^[\x21-\x7e]+$/;

/**
 * Refuses at input a secret that could never be sent: a key with an emoji or U+2028 would
 * otherwise be stored and fail every request later as "cannot reach". Cloud passwords travel in
 * the message body and may hold any character.
 */
export function secretProblem(kind: ConnectionKind, secret: string | null | undefined): string | null {
  if (secret === null || secret === undefined || !HEADER_SECRET_KINDS.has(kind) || VISIBLE_ASCII.test(secret)) return null;
  return `A ${kind} key or token may hold only visible ASCII characters (letters, digits and punctuation, no spaces); this one has other characters. Copy it again from its source.`;
}

export const ConnectionInput = z
  .object({
    kind: ConnectionKind,
    name: Name,
    address: Address,
    options: ConnectionOptions.default({}),
    secret: Secret.optional(),
  })
  .superRefine((c, ctx) => {
    const problem = addressProblem(c.kind, c.address);
    if (problem) ctx.addIssue({ code: 'custom', path: ['address'], message: problem });
    const secret = secretProblem(c.kind, c.secret);
    if (secret) ctx.addIssue({ code: 'custom', path: ['secret'], message: secret });
  });
export type ConnectionInput = z.input<typeof ConnectionInput>;

export const ConnectionUpdate = z.object({
  id: z.string().min(1).max(64),
  name: Name.optional(),
  address: Address.optional(),
  options: ConnectionOptions.optional(),
  /** A new secret, or null to delete the stored one; absent leaves it as it is. */
  secret: Secret.nullable().optional(),
});
export type ConnectionUpdate = z.input<typeof ConnectionUpdate>;

export const connectionCalls = {
  'connections.list': call(Empty, z.array(Connection)),
  'connections.add': call(ConnectionInput, Connection),
  'connections.update': call(ConnectionUpdate, Connection),
  'connections.remove': call(z.object({ id: z.string().min(1).max(64) }).strict(), Ack),
};

export const connectionEvents = {
  'connections.changed': event(z.object({ connections: z.array(Connection) })),
};
