import { z } from 'zod';
import { Empty } from './app';
import { SITE_NAME } from './connections';
import { call, event } from './define';

/**
 * Commands another site or Home Assistant may send this host over MQTT, when allowed: `print-job`
 * starts a job of this host's own queue on one of its printers; `print` takes a file another site's
 * queue uploads and prints it here.
 */
export const MqttCommand = z.enum(['pause', 'resume', 'cancel', 'print-job', 'print']);
export type MqttCommand = z.infer<typeof MqttCommand>;

const BrokerUrl = z
  .string()
  .trim()
  .max(2048)
  .refine((u) => /^mqtts?:\/\/[^/@:]+(:\d+)?\/?$/i.test(u) || /^mqtts?:\/\/\[[0-9a-f:.]+\](:\d+)?\/?$/i.test(u), {
    message: 'expected mqtt://host:1883 or mqtts://host:8883, without a user name or password',
  });

/** Publishing this host's printers to an MQTT broker (docs/mqtt.md). */
export const MqttSettings = z.object({
  enabled: z.boolean(),
  url: z.union([BrokerUrl, z.literal('')]),
  username: z.string().trim().min(1).max(256).nullable(),
  site: z.string().regex(SITE_NAME, 'lower-case letters, digits, - and _, up to 48'),
  hostName: z.string().trim().min(1).max(120),
  discovery: z.boolean(),
  discoveryPrefix: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, 'letters, digits, - and _'),
  /** Commands accepted from the broker; empty by default (remote control is opt-in). */
  commands: z.array(MqttCommand).max(5),
  camera: z.boolean(),
});
export type MqttSettings = z.infer<typeof MqttSettings>;

export const MqttLink = z.object({
  state: z.enum(['off', 'connecting', 'online', 'offline', 'error']),
  message: z.string().max(1000).nullable(),
});
export type MqttLink = z.infer<typeof MqttLink>;

export const MqttView = z.object({
  settings: MqttSettings,
  /** The stable id this host publishes under (`<base>/<site>/<hostUid>/…`). */
  hostUid: z.string().max(64),
  hasPassword: z.boolean(),
  link: MqttLink,
});
export type MqttView = z.infer<typeof MqttView>;

export const MqttConfigure = MqttSettings.partial()
  .extend({
    /** A new broker password (kept in the secret store), null to delete it, absent to keep it. */
    password: z.string().min(1).max(1024).nullable().optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.enabled && s.url === '') ctx.addIssue({ code: 'custom', path: ['url'], message: 'a broker address is needed to publish' });
  });
export type MqttConfigure = z.input<typeof MqttConfigure>;

export const mqttCalls = {
  'mqtt.get': call(Empty, MqttView),
  'mqtt.configure': call(MqttConfigure, MqttView, { timeoutMs: 10_000 }),
};

export const mqttEvents = {
  'mqtt.changed': event(MqttView),
};
